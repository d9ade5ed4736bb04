/**
 * Each rubric's automated scores summed per rollup bucket, evaluator and environment: counts,
 * the sum and sum of squares of numeric scores, passes and failures, the label mix, the lowest
 * scores' traces and the newest score's time. A window's mean, variance, pass rate and label mix
 * are merged from a week of these small rows instead of a week of judgements. A target scored more
 * than once counts once per bucket, with its latest score there.
 *
 * Without rollups the same rows are built from the raw judgements over the windows (the family's
 * own query, src/rollups/raw-reader.ts), so both paths run the same merge.
 */
import { BUCKET_OF_TS, IN_CURRENT, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import type { QueryParams } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import { FAIL_LABELS, PASS_LABELS, THRESHOLD, type LabelRow, type OfflineTraceRow, type ScoreRow } from './sql.ts';

/** The parameters the build reads: pass and fail labels, and each rubric's pass threshold. */
export function thresholdParams(config: Config) {
  const withThreshold = config.rubrics.filter((r) => r.passThreshold !== undefined);
  return { passLabels: PASS_LABELS, failLabels: FAIL_LABELS, thresholdRubrics: withThreshold.map((r) => r.name), thresholdValues: withThreshold.map((r) => r.passThreshold!) };
}

export const evalScoresFamily: RollupFamily = {
  name: 'eval_scores',
  columns: [
    { name: 'rubric', type: 'String' },
    { name: 'evaluator', type: 'String' },
    { name: 'environment', type: 'String' },
    { name: 'n', type: 'UInt64' },
    { name: 'scored', type: 'UInt64' },
    { name: 'score_sum', type: 'Float64' },
    { name: 'score_sumsq', type: 'Float64' },
    { name: 'passes', type: 'UInt64' },
    { name: 'fails', type: 'UInt64' },
    { name: 'threshold_passes', type: 'UInt64' },
    { name: 'labels', type: 'Map(String, UInt64)' },
    { name: 'lowest', type: 'Array(Tuple(UInt8, Float64, String))' },
    { name: 'last_ms', type: 'Int64' },
  ],
  key: ['rubric', 'evaluator', 'environment'],
  reach: () => 0,
  build: (source, config, range) => ({
    sql: `
      SELECT bucket, rubric, evaluator, environment,
             count() AS n,
             countIf(isNotNull(score)) AS scored,
             sumIf(assumeNotNull(score), isNotNull(score)) AS score_sum,
             sumIf(assumeNotNull(score) * assumeNotNull(score), isNotNull(score)) AS score_sumsq,
             countIf(label IN {passLabels:Array(String)}) AS passes,
             countIf(label IN {failLabels:Array(String)}) AS fails,
             countIf(isNotNull(score) AND assumeNotNull(score) >= ${THRESHOLD}) AS threshold_passes,
             sumMapIf(map(label, toUInt64(1)), label != '') AS labels,
             groupArraySorted(10)((toUInt8(label NOT IN {failLabels:Array(String)}), ifNull(score, 0), trace_id)) AS lowest,
             max(last_ms) AS last_ms
      FROM (
        SELECT ${BUCKET_OF_TS} AS bucket, rubric, identifier AS evaluator, environment, target,
               argMax(score, ts) AS score, argMax(lower(label), ts) AS label, argMax(trace_id, ts) AS trace_id,
               toUnixTimestamp64Milli(toDateTime64(max(ts), 3)) AS last_ms
        FROM (${source.judgements()})
        WHERE annotator != 'HUMAN' AND rubric != ''
        GROUP BY bucket, rubric, evaluator, environment, target)
      GROUP BY bucket, rubric, evaluator, environment`,
    params: { ...source.params, ...rangeParams(range), ...thresholdParams(config) },
  }),
};

/** Sums of the family's rows, as one summary (ScoreSummary's columns). */
const MERGED = `sum(n) AS m_n, sum(scored) AS m_scored, sum(score_sum) AS m_sum, sum(score_sumsq) AS m_sumsq,
               sum(passes) AS m_passes, sum(fails) AS m_fails, sum(threshold_passes) AS m_threshold`;

type Merged = { m_n: number; m_scored: number; m_sum: number; m_sumsq: number; m_passes: number; m_fails: number; m_threshold: number };

/** Mean and sample variance from the sums (scores are bounded, so the sums lose no precision that matters). */
function summary(r: Merged) {
  const scored = Number(r.m_scored);
  const sum = Number(r.m_sum);
  const mean = scored > 0 ? sum / scored : null;
  const variance = scored > 1 ? Math.max(0, (Number(r.m_sumsq) - (sum * sum) / scored) / (scored - 1)) : null;
  return { n: Number(r.m_n), scored, mean, variance, passes: Number(r.m_passes), fails: Number(r.m_fails), thresholdPasses: Number(r.m_threshold) };
}

/** The busiest rubrics of production (by scored targets), the rest left out. */
const TOP = `top AS (SELECT rubric FROM b WHERE NOT ${OFFLINE_JUDGEMENT} GROUP BY rubric ORDER BY sum(n) DESC, rubric LIMIT {maxSubjects:UInt32})`;

/** Of each rubric, evaluator and window, the label mix keeps this many labels, the most frequent. */
const LABELS_KEPT = 20;

/** Production's rows per rubric, evaluator and window, the label mix, and the eval runs recorded as traces. */
export async function mergeScores(reader: RollupReader, params: QueryParams): Promise<{ stats: ScoreRow[]; labels: LabelRow[]; offlineTraces: OfflineTraceRow[] }> {
  const b = `b AS ${reader.table('eval_scores')}`;
  const all = { ...reader.params, ...params };
  const options = { comment: 'driftwatch signal scores' };
  // The label mix comes with the sums (one pass over the buckets); its 20 most frequent labels per
  // rubric, evaluator and window are kept.
  const stats = await reader.store.query<Merged & { rubric: string; evaluator: string; cur: number; lowest: string[]; mix: Record<string, number | string> }>(
    `WITH ${b}, ${TOP}
     SELECT rubric, evaluator, toUInt8(bucket >= {currentFromMs:Int64}) AS cur, ${MERGED},
            arrayMap(x -> x.3, arraySlice(arraySort(arrayFlatten(groupArrayIf(lowest, ${IN_CURRENT}))), 1, 10)) AS lowest,
            sumMap(labels) AS mix
     FROM b WHERE NOT ${OFFLINE_JUDGEMENT} AND rubric IN (SELECT rubric FROM top)
     GROUP BY rubric, evaluator, cur ORDER BY rubric, evaluator, cur`,
    all,
    options,
  );
  const labels = stats.flatMap((r) =>
    Object.entries(r.mix)
      .map(([label, n]) => ({ rubric: r.rubric, evaluator: r.evaluator, cur: Number(r.cur), label, n: Number(n) }))
      .sort((x, y) => y.n - x.n || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0))
      .slice(0, LABELS_KEPT),
  );
  const offline = await reader.store.query<Merged & { rubric: string; environment: string; at: number }>(
    `WITH ${b}, ${TOP}
     SELECT rubric, environment, ${MERGED}, max(last_ms) AS at
     FROM b WHERE ${OFFLINE_JUDGEMENT} AND rubric IN (SELECT rubric FROM top)
     GROUP BY rubric, environment ORDER BY rubric, environment`,
    all,
    options,
  );
  return {
    stats: stats.map((r) => ({ rubric: r.rubric, evaluator: r.evaluator, cur: Number(r.cur), lowest: r.lowest, ...summary(r) })),
    labels,
    offlineTraces: offline.map((r) => ({ rubric: r.rubric, environment: r.environment, at: Number(r.at), ...summary(r) })),
  };
}
