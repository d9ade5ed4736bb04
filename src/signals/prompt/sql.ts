/** Prompt versions per prompt and window, with when each version was first seen in the range read. */
import type { TraceSource } from '../../sources/source.ts';
import { subjectName } from '../../sources/fragments.ts';

export interface PromptVersionRow {
  prompt: string;
  version: string;
  calls_c: number;
  calls_b: number;
  first_seen_ms: number;
}

export const promptVersionsSql = (source: TraceSource) => `
    WITH
      p AS (${source.promptUses()}),
      top_prompts AS (SELECT prompt FROM p GROUP BY prompt ORDER BY count() DESC, prompt LIMIT {maxPrompts:UInt32})
    SELECT if(prompt IN (SELECT prompt FROM top_prompts), prompt, 'other') AS prompt, ${subjectName('version')} AS version,
           countIf(ts >= fromUnixTimestamp64Milli({currentFromMs:Int64})) AS calls_c,
           countIf(ts < fromUnixTimestamp64Milli({currentFromMs:Int64})) AS calls_b,
           toUnixTimestamp64Milli(min(ts)) AS first_seen_ms
    FROM p
    GROUP BY prompt, version
    ORDER BY prompt, calls_c DESC, version`;

/** Versions that appeared (first seen after the start of the range read) in [since, until). */
export function promptChanges(rows: readonly PromptVersionRow[], range: { fromMs: number }, since: number, until: number, prompt?: string) {
  const margin = 60 * 60_000; // a version present from the first hour read was already live before
  return rows
    .filter((r) => (prompt === undefined || r.prompt === prompt) && r.first_seen_ms >= since && r.first_seen_ms < until && r.first_seen_ms > range.fromMs + margin)
    .map((r) => {
      const total = rows.filter((x) => x.prompt === r.prompt).reduce((s, x) => s + x.calls_c, 0);
      return { prompt: r.prompt, version: r.version, firstSeen: new Date(r.first_seen_ms).toISOString(), share: total > 0 ? r.calls_c / total : 0 };
    })
    .filter((c) => c.share >= 0.2)
    .sort((a, b) => b.share - a.share);
}
