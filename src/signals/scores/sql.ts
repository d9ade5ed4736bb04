/**
 * Each rubric's automated scores per window, over the source's judgements relation (raw spans,
 * Langfuse scores, or the judgements rollup read back through the same relation). A target judged
 * more than once counts with its latest verdict; human labels stay with the judge signal. Only
 * small rows come back: one per rubric, evaluator and window, and the label counts.
 */
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import type { TraceSource } from '../../sources/source.ts';

/** Labels that read as a pass or a failure (lower-cased; Langfuse BOOLEAN scores read True/False). */
export const PASS_LABELS = ['pass', 'passed', 'true', 'yes', 'correct', 'success', 'ok'];
export const FAIL_LABELS = ['fail', 'failed', 'false', 'no', 'incorrect', 'failure', 'error'];

/** What every summary of a rubric's scores holds (the columns of SUMMARY). */
export interface ScoreSummary {
  /** Scored targets (latest automated verdict each). */
  n: number;
  /** Of them, with a numeric score. */
  scored: number;
  mean: number | null;
  variance: number | null;
  /** Labelled pass / fail, and at or above the rubric's pass threshold. */
  passes: number;
  fails: number;
  thresholdPasses: number;
}

export interface ScoreRow extends ScoreSummary {
  rubric: string;
  evaluator: string;
  cur: number;
  /** The traces of the lowest scores (failing labels first), at most 10. */
  lowest: string[];
}

export interface LabelRow {
  rubric: string;
  evaluator: string;
  cur: number;
  label: string;
  n: number;
}

/**
 * The latest automated verdict per rubric, evaluator and target in [fromMs, toMs), busiest rubrics
 * first: of production (`offline` false) or of eval runs (traces of {offlineEnvironments}).
 */
const latest = (source: TraceSource, offline = false) => `
    latest AS (
      SELECT rubric, identifier AS evaluator, environment, target,
             argMax(score, ts) AS score, argMax(lower(label), ts) AS label, max(ts) AS last_ts, argMax(trace_id, ts) AS trace_id
      FROM (${source.judgements()})
      WHERE annotator != 'HUMAN' AND rubric != '' AND ${offline ? '' : 'NOT '}${OFFLINE_JUDGEMENT}
        AND ts >= fromUnixTimestamp64Milli({fromMs:Int64}) AND ts < fromUnixTimestamp64Milli({toMs:Int64})
      GROUP BY rubric, evaluator, environment, target),
    top AS (SELECT rubric FROM latest GROUP BY rubric ORDER BY count() DESC, rubric LIMIT {maxSubjects:UInt32})`;

/** A rubric's pass threshold (`rubrics[].passThreshold`), NaN when it has none. */
export const THRESHOLD = `if(has({thresholdRubrics:Array(String)}, rubric), arrayElement({thresholdValues:Array(Float64)}, indexOf({thresholdRubrics:Array(String)}, rubric)), nan)`;

/** The aggregates of ScoreSummary over `latest` rows. */
export const SUMMARY = `count() AS n,
           countIf(isNotNull(score)) AS scored,
           if(scored > 0, avgIf(assumeNotNull(score), isNotNull(score)), NULL) AS mean,
           if(scored > 1, varSampIf(assumeNotNull(score), isNotNull(score)), NULL) AS variance,
           countIf(label IN {passLabels:Array(String)}) AS passes,
           countIf(label IN {failLabels:Array(String)}) AS fails,
           countIf(isNotNull(score) AND assumeNotNull(score) >= ${THRESHOLD}) AS thresholdPasses`;

export const scoreStatsSql = (source: TraceSource) => `
    WITH ${latest(source)}
    SELECT rubric, evaluator, toUInt8(last_ts >= fromUnixTimestamp64Milli({currentFromMs:Int64})) AS cur,
           ${SUMMARY},
           arrayMap(x -> x.3, groupArraySorted(10)((label NOT IN {failLabels:Array(String)}, ifNull(score, 0), trace_id))) AS lowest
    FROM latest
    WHERE rubric IN (SELECT rubric FROM top)
    GROUP BY rubric, evaluator, cur
    ORDER BY rubric, evaluator, cur`;

export interface OfflineTraceRow extends ScoreSummary {
  rubric: string;
  environment: string;
  /** The newest score of the run, ms. */
  at: number;
}

/** The scores of eval runs recorded as traces (their environment is offline), per rubric and environment, over the whole range. */
export const offlineTraceScoresSql = (source: TraceSource) => `
    WITH ${latest(source, true)}
    SELECT rubric, environment,
           ${SUMMARY},
           toUnixTimestamp64Milli(toDateTime64(max(last_ts), 3)) AS at
    FROM latest
    WHERE rubric IN (SELECT rubric FROM top)
    GROUP BY rubric, environment
    ORDER BY rubric, environment`;

export const labelCountsSql = (source: TraceSource) => `
    WITH ${latest(source)}
    SELECT rubric, evaluator, toUInt8(last_ts >= fromUnixTimestamp64Milli({currentFromMs:Int64})) AS cur, label, count() AS n
    FROM latest
    WHERE rubric IN (SELECT rubric FROM top) AND label != ''
    GROUP BY rubric, evaluator, cur, label
    ORDER BY rubric, evaluator, cur, n DESC, label
    LIMIT 20 BY rubric, evaluator, cur`;

export interface IntentScoreRow extends ScoreSummary {
  rubric: string;
  evaluator: string;
  /** The root's intent ('' when the trace's root names none). */
  intent: string;
}

/**
 * Production's scores of the current window per rubric, evaluator and the intent of the judged
 * trace's root (roots from {fromMs}, a trace's longest duration before the window, so a late
 * judgement still finds its root), at most 200 intents a rubric, busiest first. Read only for a
 * drifting gap: how much of it inputs the eval set does not cover explain.
 */
export const scoresByIntentSql = (source: TraceSource) => `
    WITH latest AS (
      SELECT rubric, identifier AS evaluator, target,
             argMax(score, ts) AS score, argMax(lower(label), ts) AS label, argMax(trace_id, ts) AS trace_id
      FROM (${source.judgements()})
      WHERE annotator != 'HUMAN' AND rubric IN {rubrics:Array(String)} AND NOT ${OFFLINE_JUDGEMENT}
        AND ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AND ts < fromUnixTimestamp64Milli({toMs:Int64})
      GROUP BY rubric, evaluator, target),
    roots AS (SELECT trace_id, any(intent) AS intent FROM (${source.traceRoots()}) GROUP BY trace_id)
    SELECT rubric, evaluator, ifNull(roots.intent, '') AS intent, ${SUMMARY}
    FROM latest LEFT ANY JOIN roots ON latest.trace_id = roots.trace_id
    GROUP BY rubric, evaluator, intent
    ORDER BY rubric, evaluator, n DESC, intent
    LIMIT 200 BY rubric, evaluator`;
