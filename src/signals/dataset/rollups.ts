/**
 * Dataset statistics per bucket: traffic per intent, and a deterministic sample of inputs (the
 * `maxInputs` smallest trace-id hashes of each bucket, whose union holds every window's sample:
 * the raw scan takes the same smallest hashes of the whole window).
 */
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, mergedExamples, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import type { Windows } from '../../core/windows.ts';
import { windowParams } from '../../core/windows.ts';
import type { Config } from '../../config/shape.ts';
import { NEAREST_EVAL_DISTANCE, type IntentRow, type NoveltyRow } from './sql.ts';

/** Without an eval set there is nothing to compare inputs with, so nothing to build. */
const onlyWhen = (c: Config) => Boolean(c.signals.dataset.evalSet.path || c.signals.dataset.evalSet.table);

export const intentsFamily: RollupFamily = {
  name: 'intents',
  columns: [
    { name: 'intent', type: 'String' },
    { name: 'n', type: 'UInt64' },
    { name: 'examples', type: 'Array(String)' },
  ],
  key: ['intent'],
  onlyWhen,
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, intent, count() AS n, groupArraySorted(5)(trace_id) AS examples
      FROM (${source.traceRoots()}) WHERE intent != '' GROUP BY bucket, intent`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

export const inputSampleFamily: RollupFamily = {
  name: 'input_sample',
  columns: [
    { name: 'h', type: 'UInt64' },
    { name: 'trace_id', type: 'String' },
    { name: 'text', type: 'String' },
  ],
  key: ['h'],
  onlyWhen,
  reach: () => 0,
  build: (source, config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, cityHash64(trace_id) AS h, trace_id, lowerUTF8(left(input, 1000)) AS text
      FROM (${source.traceRoots()}) WHERE input != ''
      ORDER BY bucket, h LIMIT {maxInputs:UInt32} BY bucket`,
    params: { ...source.params, ...rangeParams(range), maxInputs: config.signals.dataset.maxInputs },
  }),
};

/** Intent counts per window from the rollups (the raw-scan row shape). */
export function intentRowsFromRollups(reader: RollupReader, windows: Windows): Promise<IntentRow[]> {
  return reader.store.query<IntentRow>(
    `SELECT c AS cur, i AS intent, total AS n, ex AS examples FROM (
       SELECT bucket >= {currentFromMs:Int64} AS c, intent AS i, sum(n) AS total, ${mergedExamples('examples', 5)} AS ex
       FROM ${reader.table('intents')} GROUP BY c, i)`,
    { ...reader.params, ...windowParams(windows) },
    { comment: 'driftwatch signal dataset' },
  );
}

/** Lexical novelty per window, on the same deterministic sample the raw scan takes. */
export function noveltyRowsFromRollups(reader: RollupReader, windows: Windows, params: { evalInputs: string[]; maxInputs: number; noveltyDistance: number }): Promise<NoveltyRow[]> {
  return reader.store.query<NoveltyRow>(
    `SELECT cur, count() AS n, countIf(distance > {noveltyDistance:Float64}) AS novel,
            arraySlice(arrayMap(x -> x.2, arraySort(x -> -x.1, groupArrayIf((distance, trace_id), cur AND distance > {noveltyDistance:Float64}))), 1, 10) AS examples
     FROM (
       SELECT cur, trace_id, ${NEAREST_EVAL_DISTANCE} AS distance
       FROM (SELECT bucket >= {currentFromMs:Int64} AS cur, trace_id, text FROM ${reader.table('input_sample')} ORDER BY h LIMIT {maxInputs:UInt32} BY cur))
     GROUP BY cur`,
    { ...reader.params, ...windowParams(windows), ...params },
    { comment: 'driftwatch signal dataset' },
  );
}
