/**
 * Each prompt version's share of its prompt's calls, slot by slot, from the same rollups as the
 * verdict (versions beyond the named ones are `other`, as there).
 */
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { gridParams, SLOT_OF_BUCKET } from '../../rollups/series-sql.ts';
import { rateAt, seriesFromRows, type SeriesGrid } from '../../core/series.ts';
import { OVERFLOW_SUBJECT } from '../../sources/fragments.ts';
import { seriesKey, type Judgement } from '../../core/verdict.ts';
import type { HourlySeries } from '../../core/series.ts';

export async function promptHourly(reader: RollupReader, grid: SeriesGrid, _config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>> {
  const shares = verdicts.filter((v) => v.signal === 'prompt_version_share' && v.subject.prompt && v.subject.prompt !== OVERFLOW_SUBJECT);
  if (shares.length === 0) return new Map();
  const prompts = [...new Set(shares.map((v) => v.subject.prompt!))];
  const rows = await reader.store.query<{ prompt: string; version: string; at: number; n: number }>(
    `SELECT prompt, version, ${SLOT_OF_BUCKET} AS at, sum(calls) AS n
     FROM ${reader.table('prompt_versions')} WHERE prompt IN {prompts:Array(String)} GROUP BY prompt, version, at`,
    { ...reader.params, ...gridParams(grid), prompts },
    { comment: 'driftwatch series prompt' },
  );
  const out = new Map<string, HourlySeries>();
  for (const r of shares) {
    const { prompt, version } = r.subject as { prompt: string; version: string };
    const named = new Set(shares.filter((v) => v.subject.prompt === prompt).map((v) => v.subject.version));
    const mine = (v: string) => (version === OVERFLOW_SUBJECT ? !named.has(v) : v === version);
    const hours = new Map<number, { events: number; trials: number }>();
    for (const x of rows.filter((row) => row.prompt === prompt)) {
      const h = hours.get(Number(x.at)) ?? { events: 0, trials: 0 };
      h.trials += Number(x.n);
      if (mine(x.version)) h.events += Number(x.n);
      hours.set(Number(x.at), h);
    }
    out.set(
      seriesKey(r),
      seriesFromRows(
        grid,
        [...hours].map(([at, c]) => rateAt(at, c.events, c.trials)),
        'both',
      ),
    );
  }
  return out;
}
