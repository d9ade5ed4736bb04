/**
 * Prompt versions per bucket: calls and the first time each (prompt, version) was seen. Merged
 * for a window they give exactly the raw-scan rows (sums, and the minimum first-seen time).
 * The judge signal reads the same family over its longer windows.
 */
import type { QueryParams } from '../../clickhouse/store.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import type { PromptVersionRow } from './sql.ts';
import { subjectName } from '../../sources/fragments.ts';

export const promptVersionsFamily: RollupFamily = {
  name: 'prompt_versions',
  columns: [
    { name: 'prompt', type: 'String' },
    { name: 'version', type: 'String' },
    { name: 'calls', type: 'UInt64' },
    { name: 'first_ms', type: 'Int64' },
  ],
  key: ['prompt', 'version'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, prompt, ${subjectName('version')} AS version, count() AS calls, toUnixTimestamp64Milli(toDateTime64(min(ts), 3)) AS first_ms
      FROM (${source.promptUses()})
      GROUP BY bucket, prompt, version`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

/** The prompt-version rows for [{fromMs}, {toMs}) split at {currentFromMs}, from the rollups. */
export function promptVersionsFromRollups(reader: RollupReader, params: QueryParams & { maxPrompts: number }, signal: string): Promise<PromptVersionRow[]> {
  return reader.store.query<PromptVersionRow>(
    `WITH p AS ${reader.table('prompt_versions')},
          top AS (SELECT prompt FROM p GROUP BY prompt ORDER BY sum(calls) DESC, prompt LIMIT {maxPrompts:UInt32})
     SELECT subject AS prompt, v AS version, n_cur AS calls_c, n_base AS calls_b, first_seen AS first_seen_ms FROM (
       SELECT if(prompt IN (SELECT prompt FROM top), prompt, 'other') AS subject, version AS v,
              sumIf(calls, bucket >= {currentFromMs:Int64}) AS n_cur, sumIf(calls, bucket < {currentFromMs:Int64}) AS n_base,
              min(first_ms) AS first_seen
       FROM p GROUP BY subject, v)
     ORDER BY prompt, calls_c DESC, version`,
    { ...reader.params, ...params },
    { comment: `driftwatch signal ${signal}` },
  );
}
