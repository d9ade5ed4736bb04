/**
 * The shapes of a rubric's merged scores (rollups.ts merges them from bucket rows), the labels
 * that read as pass and fail, a rubric's pass threshold in SQL, and the per-intent scores a
 * drifting gap is split by (read from raw judgements of the current window only).
 */
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import type { TraceSource } from '../../sources/source.ts';

/** Labels that read as a pass or a failure (lower-cased; Langfuse BOOLEAN scores read True/False). */
export const PASS_LABELS = ['pass', 'passed', 'true', 'yes', 'correct', 'success', 'ok'];
export const FAIL_LABELS = ['fail', 'failed', 'false', 'no', 'incorrect', 'failure', 'error'];

/** What every summary of a rubric's scores holds. */
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

/** A rubric's pass threshold (`rubrics[].passThreshold`), NaN when it has none. */
export const THRESHOLD = `if(has({thresholdRubrics:Array(String)}, rubric), arrayElement({thresholdValues:Array(Float64)}, indexOf({thresholdRubrics:Array(String)}, rubric)), nan)`;

export interface OfflineTraceRow extends ScoreSummary {
  rubric: string;
  environment: string;
  /** The newest score of the run, ms. */
  at: number;
}

/** The aggregates of ScoreSummary over rows of the latest score per target. */
const SUMMARY = `count() AS n,
           countIf(isNotNull(score)) AS scored,
           if(scored > 0, avgIf(assumeNotNull(score), isNotNull(score)), NULL) AS mean,
           if(scored > 1, varSampIf(assumeNotNull(score), isNotNull(score)), NULL) AS variance,
           countIf(label IN {passLabels:Array(String)}) AS passes,
           countIf(label IN {failLabels:Array(String)}) AS fails,
           countIf(isNotNull(score) AND assumeNotNull(score) >= ${THRESHOLD}) AS thresholdPasses`;

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
