/**
 * Tool-API drift queries. Each returns one small row per tool (the busiest `maxSubjects` by
 * name, the rest as `other`), aggregated in ClickHouse over both windows in one scan.
 */
import type { TraceSource } from '../../sources/source.ts';
import { OVERFLOW_SUBJECT, subjectName } from '../../sources/fragments.ts';

/** The tool calls of both windows, named (or folded into `other`) and marked current or baseline. */
function namedCalls(source: TraceSource): string {
  return `
    WITH
      calls AS (${source.toolCalls()}),
      top_tools AS (SELECT tool FROM calls GROUP BY tool ORDER BY count() DESC, tool LIMIT {maxSubjects:UInt32}),
      named AS (
        SELECT
          if(tool IN (SELECT tool FROM top_tools), ${subjectName('tool')}, '${OVERFLOW_SUBJECT}') AS subject,
          ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur,
          trace_id, parent_id, is_error, error_class, duration_ms, ts
        FROM calls)`;
}

/**
 * Calls, errors and latency per tool and window; `slow_*` count calls above the baseline quantile.
 * Quantiles are exact: an approximate sketch depends on the order rows are read in, and replicas
 * (or a backtest reading another table layout) must reach the same verdict.
 */
export interface CallStatsRow {
  tool: string;
  calls_c: number;
  calls_b: number;
  errors_c: number;
  errors_b: number;
  q_c: number | null;
  q_b: number | null;
  slow_c: number;
  slow_b: number;
  error_traces: string[];
  slow_traces: string[];
  /** Baseline traces in which the tool succeeded: the passing call an alert links beside the failing ones. */
  passing_traces: string[];
}

// No SETTINGS clause (join_use_nulls): a readonly=1 user may not change any setting, so a tool
// without baseline calls is told apart by `has_q` instead of a NULL from the join.
export const callStatsSql = (source: TraceSource) => `${namedCalls(source)},
    baseline_quantile AS (
      SELECT subject, quantileExact({quantile:Float64})(duration_ms) AS q, toUInt8(1) AS has_q FROM named WHERE NOT cur GROUP BY subject)
    SELECT
      n.subject AS tool,
      countIf(cur) AS calls_c,
      countIf(NOT cur) AS calls_b,
      countIf(cur AND is_error) AS errors_c,
      countIf(NOT cur AND is_error) AS errors_b,
      quantileExactIf({quantile:Float64})(duration_ms, cur) AS q_c,
      if(max(b.has_q) = 1, any(b.q), NULL) AS q_b,
      countIf(cur AND b.has_q = 1 AND duration_ms > b.q) AS slow_c,
      countIf(NOT cur AND b.has_q = 1 AND duration_ms > b.q) AS slow_b,
      arrayDistinct(groupArraySortedIf(20)(trace_id, cur AND is_error)) AS error_traces,
      arrayDistinct(groupArraySortedIf(20)(trace_id, cur AND b.has_q = 1 AND duration_ms > b.q)) AS slow_traces,
      arrayDistinct(groupArraySortedIf(3)(trace_id, NOT cur AND NOT is_error)) AS passing_traces
    FROM named AS n
    LEFT JOIN baseline_quantile AS b ON n.subject = b.subject
    GROUP BY n.subject`;

/** Traces that called a tool, and those that retried it, per window (a trace counts once). */
export interface RetryStatsRow {
  tool: string;
  traces_c: number;
  traces_b: number;
  retried_c: number;
  retried_b: number;
  retry_traces: string[];
}

// A retry is a later sibling call of the same tool under the same parent after a failed one:
// within (trace, tool, parent) some call started after the first failure.
export const retryStatsSql = (source: TraceSource) => `${namedCalls(source)},
    siblings AS (
      SELECT trace_id, subject, min(ts) AS first_ts,
             countIf(is_error) > 0 AND minIf(ts, is_error) < max(ts) AS retried
      FROM named GROUP BY trace_id, subject, parent_id),
    per_trace AS (
      SELECT trace_id, subject,
             min(first_ts) >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur,
             max(retried) AS retried
      FROM siblings GROUP BY trace_id, subject)
    SELECT
      subject AS tool,
      countIf(cur) AS traces_c,
      countIf(NOT cur) AS traces_b,
      countIf(cur AND retried) AS retried_c,
      countIf(NOT cur AND retried) AS retried_b,
      arrayDistinct(groupArraySortedIf(20)(trace_id, cur AND retried)) AS retry_traces
    FROM per_trace
    GROUP BY subject`;

/** Error classes seen in the current window and never in the baseline, per tool. */
export interface NewErrorClassRow {
  tool: string;
  error_class: string;
  count: number;
  traces: string[];
}

export const newErrorClassesSql = (source: TraceSource) => `${namedCalls(source)}
    SELECT subject AS tool, error_class, countIf(cur) AS count, arrayDistinct(groupArraySortedIf(20)(trace_id, cur)) AS traces
    FROM named
    WHERE is_error
    GROUP BY subject, error_class
    HAVING count > 0 AND countIf(NOT cur) = 0
    ORDER BY count DESC, error_class
    LIMIT 20 BY tool`;
