/**
 * Judgements are sparse (a judge's and a human's verdict per sampled target), so they are kept as
 * rows per bucket rather than summarised: the judge signal pairs them, the retrieval signal
 * averages its judge scores, and both read them back through the judgements relation below.
 */
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import type { TraceSource } from '../../sources/source.ts';

export const judgementsFamily: RollupFamily = {
  name: 'judgements',
  columns: [
    { name: 'ts_ms', type: 'Int64' },
    { name: 'trace_id', type: 'String' },
    { name: 'span_id', type: 'String' },
    { name: 'target', type: 'String' },
    { name: 'rubric', type: 'String' },
    { name: 'annotator', type: 'String' },
    { name: 'identifier', type: 'String' },
    { name: 'label', type: 'String' },
    { name: 'score', type: 'Nullable(Float64)' },
    { name: 'environment', type: 'String' },
  ],
  key: ['rubric', 'target'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, toUnixTimestamp64Milli(toDateTime64(ts, 3)) AS ts_ms, trace_id, span_id, target, rubric, annotator, identifier, label, score, environment
      FROM (${source.judgements()})`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

/**
 * The source, with its judgements relation answered from the rollups: the judge's and the
 * retrieval signal's SQL over judgements runs unchanged on stored rows. `prewhere` (a condition
 * on the stored columns) is read first: for a reader that wants few of the judgements.
 */
export function withStoredJudgements(source: TraceSource, reader: RollupReader, prewhere?: string): TraceSource {
  return {
    ...source,
    judgements: () => `
      SELECT fromUnixTimestamp64Milli(ts_ms) AS ts, trace_id, span_id, target, rubric, annotator, identifier, label, score, environment
      FROM ${reader.table('judgements', prewhere)}`,
  };
}
