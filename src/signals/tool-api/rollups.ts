/**
 * The tool-API signal's bucket statistics and their merge. Per bucket and tool: calls, errors, a
 * log-scale latency histogram (quantiles within ±0.5%), the slowest calls and the smallest failing
 * trace ids (and a few passing ones, for the alert's comparison); per error class its count; per tool the traces that called it and those that
 * retried it. A window's rows are the sum of its buckets, shaped exactly like the raw-scan rows.
 */
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, byWindow, IN_BASELINE, IN_CURRENT, mergedExamples, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import { countAbove, logBinOf, logBinSql, logBinValue, quantileBin, type Histogram } from '../../rollups/sketch.ts';
import type { Windows } from '../../core/windows.ts';
import { windowParams } from '../../core/windows.ts';
import type { CallStatsRow, NewErrorClassRow, RetryStatsRow } from './sql.ts';
import type { ToolApiRows } from './evaluate.ts';
import { subjectName } from '../../sources/fragments.ts';

export const toolCallsFamily: RollupFamily = {
  name: 'tool_calls',
  columns: [
    { name: 'tool', type: 'String' },
    { name: 'calls', type: 'UInt64' },
    { name: 'errors', type: 'UInt64' },
    { name: 'duration_hist', type: 'Map(Int32, UInt64)' },
    { name: 'error_examples', type: 'Array(String)' },
    { name: 'pass_examples', type: 'Array(String)' },
    { name: 'slow_ms', type: 'Array(Float64)' },
    { name: 'slow_traces', type: 'Array(String)' },
  ],
  key: ['tool'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, ${subjectName('tool')} AS tool, count() AS calls, countIf(is_error = 1) AS errors,
             sumMap(map(${logBinSql('duration_ms')}, toUInt64(1))) AS duration_hist,
             groupArraySortedIf(20)(trace_id, is_error = 1) AS error_examples,
             groupArraySortedIf(3)(trace_id, is_error = 0) AS pass_examples,
             arrayMap(x -> -x.1, groupArraySorted(10)((-duration_ms, trace_id))) AS slow_ms,
             arrayMap(x -> x.2, groupArraySorted(10)((-duration_ms, trace_id))) AS slow_traces
      FROM (${source.toolCalls()})
      GROUP BY bucket, tool`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

export const toolErrorClassesFamily: RollupFamily = {
  name: 'tool_error_classes',
  columns: [
    { name: 'tool', type: 'String' },
    { name: 'error_class', type: 'String' },
    { name: 'count', type: 'UInt64' },
    { name: 'examples', type: 'Array(String)' },
  ],
  key: ['tool', 'error_class'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, ${subjectName('tool')} AS tool, error_class, count() AS count, groupArraySorted(20)(trace_id) AS examples
      FROM (${source.toolCalls()})
      WHERE is_error = 1
      GROUP BY bucket, tool, error_class`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

// A retry is a later sibling call of the same tool under the same parent after a failed one; a
// trace counts in the bucket of its first call of the tool. Its later calls may fall in the next
// buckets, so a build reads up to the source's maxTraceDuration around its buckets.
export const toolRetriesFamily: RollupFamily = {
  name: 'tool_retries',
  columns: [
    { name: 'tool', type: 'String' },
    { name: 'traces', type: 'UInt64' },
    { name: 'retried', type: 'UInt64' },
    { name: 'retry_examples', type: 'Array(String)' },
  ],
  key: ['tool'],
  reach: (_c, source) => source.conventions.maxTraceDuration,
  build: (source, _config, range) => ({
    sql: `
      WITH
        siblings AS (
          SELECT trace_id, ${subjectName('tool')} AS tool, min(ts) AS first_ts,
                 countIf(is_error = 1) > 0 AND minIf(ts, is_error = 1) < max(ts) AS retried
          FROM (${source.toolCalls()}) GROUP BY trace_id, tool, parent_id),
        per_trace AS (SELECT trace_id, tool, min(first_ts) AS ts, max(retried) AS did_retry FROM siblings GROUP BY trace_id, tool)
      SELECT ${BUCKET_OF_TS} AS bucket, tool, count() AS traces, countIf(did_retry > 0) AS retried, groupArraySortedIf(20)(trace_id, did_retry > 0) AS retry_examples
      FROM per_trace
      WHERE ts >= fromUnixTimestamp64Milli({bucketFromMs:Int64}) AND ts < fromUnixTimestamp64Milli({bucketToMs:Int64})
      GROUP BY bucket, tool`,
    params: { ...source.params, ...rangeParams(range, source.conventions.maxTraceDuration, source.conventions.maxTraceDuration) },
  }),
};

export const TOOL_API_FAMILIES = [toolCallsFamily, toolErrorClassesFamily, toolRetriesFamily];

interface CallWindowRow {
  subject: string;
  cur: number;
  n_calls: number;
  n_errors: number;
  hist: Histogram;
  errors_traces: string[];
  passing: string[];
  slow_durations: number[];
  slow_ids: string[];
}

/** The tool-API rows for `windows`, merged from the rollups. */
export async function collectToolApiFromRollups(reader: RollupReader, windows: Windows, config: Config): Promise<ToolApiRows> {
  const t = config.signals.toolApi;
  const params = { ...reader.params, ...windowParams(windows), maxSubjects: t.maxSubjects };
  const options = { comment: 'driftwatch signal tool-api' };
  const calls = await reader.store.query<CallWindowRow>(
    `WITH b AS ${reader.table('tool_calls')},
          top AS (SELECT tool FROM b GROUP BY tool ORDER BY sum(calls) DESC, tool LIMIT {maxSubjects:UInt32})
     SELECT if(tool IN (SELECT tool FROM top), tool, 'other') AS subject, bucket >= {currentFromMs:Int64} AS cur,
            sum(calls) AS n_calls, sum(errors) AS n_errors, sumMap(duration_hist) AS hist,
            ${mergedExamples('error_examples', 20, IN_CURRENT)} AS errors_traces,
            ${mergedExamples('pass_examples', 3, IN_BASELINE)} AS passing,
            arrayFlatten(groupArrayIf(slow_ms, ${IN_CURRENT})) AS slow_durations,
            arrayFlatten(groupArrayIf(slow_traces, ${IN_CURRENT})) AS slow_ids
     FROM b GROUP BY subject, cur`,
    params,
    options,
  );
  const topTools = [...new Set(calls.map((r) => r.subject))].filter((s) => s !== 'other');
  const retries = await reader.store.query<RetryWindowRow>(
    `SELECT if(tool IN {topTools:Array(String)}, tool, 'other') AS subject, bucket >= {currentFromMs:Int64} AS cur,
            sum(traces) AS n_traces, sum(retried) AS n_retried, ${mergedExamples('retry_examples', 20, IN_CURRENT)} AS examples
     FROM ${reader.table('tool_retries')} GROUP BY subject, cur`,
    { ...params, topTools },
    options,
  );
  // Output names differ from stored column names: ClickHouse resolves a name to a SELECT alias first.
  const newClasses = await reader.store.query<NewErrorClassRow>(
    `SELECT subject AS tool, error_class, n_cur AS count, traces FROM (
       SELECT if(tool IN {topTools:Array(String)}, tool, 'other') AS subject, error_class,
              sumIf(count, bucket >= {currentFromMs:Int64}) AS n_cur, sumIf(count, bucket < {currentFromMs:Int64}) AS n_base,
              ${mergedExamples('examples', 20, IN_CURRENT)} AS traces
       FROM ${reader.table('tool_error_classes')}
       GROUP BY subject, error_class
       HAVING n_cur > 0 AND n_base = 0
       ORDER BY n_cur DESC, error_class
       LIMIT 20 BY subject)`,
    { ...params, topTools },
    options,
  );
  return { calls: mergeCallWindows(calls, t.latency.quantile), retries: mergeRetryWindows(retries), newClasses };
}

/** Per tool, the current and baseline rows of one window pair turned into the raw-scan row shape. */
export function mergeCallWindows(rows: readonly CallWindowRow[], quantile: number): CallStatsRow[] {
  const out: CallStatsRow[] = [];
  for (const { subject, c, b } of byWindow(rows, (r) => r.subject)) {
    const qBin = b ? quantileBin(b.hist, quantile) : null;
    const qcBin = c ? quantileBin(c.hist, quantile) : null;
    const qb = qBin === null ? null : logBinValue(qBin);
    // "Slow" is a call in a bin above the baseline quantile's bin, the same rule in both windows.
    const slowTraces = c && qBin !== null ? [...new Set(c.slow_durations.flatMap((ms, i) => (ms > 0 && logBinOf(ms) > qBin ? [c.slow_ids[i]!] : [])))].sort().slice(0, 20) : [];
    out.push({
      tool: subject,
      calls_c: Number(c?.n_calls ?? 0),
      calls_b: Number(b?.n_calls ?? 0),
      errors_c: Number(c?.n_errors ?? 0),
      errors_b: Number(b?.n_errors ?? 0),
      q_c: qcBin === null ? null : logBinValue(qcBin),
      q_b: qb,
      slow_c: c && qBin !== null ? countAbove(c.hist, qBin) : 0,
      slow_b: b && qBin !== null ? countAbove(b.hist, qBin) : 0,
      error_traces: c?.errors_traces ?? [],
      slow_traces: slowTraces,
      passing_traces: b?.passing ?? [],
    });
  }
  return out;
}

interface RetryWindowRow {
  subject: string;
  cur: number;
  n_traces: number;
  n_retried: number;
  examples: string[];
}

function mergeRetryWindows(rows: readonly RetryWindowRow[]): RetryStatsRow[] {
  return byWindow(rows, (r) => r.subject).map(({ subject: tool, c, b }) => {
    return {
      tool,
      traces_c: Number(c?.n_traces ?? 0),
      traces_b: Number(b?.n_traces ?? 0),
      retried_c: Number(c?.n_retried ?? 0),
      retried_b: Number(b?.n_retried ?? 0),
      retry_traces: c?.examples ?? [],
    };
  });
}
