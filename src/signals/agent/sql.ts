/**
 * Per agent and window, the shape of its traces, aggregated in ClickHouse from every span of
 * every trace: traces, failed traces, steps by kind and their failures, looping traces, and per
 * tool the traces in which it failed (and how many of those failed end to end).
 */
import type { TraceSource } from '../../sources/source.ts';
import type { AgentConfig } from './config.ts';
import type { Config } from '../../config/shape.ts';

export interface AgentWindowRow {
  agent: string;
  cur: number;
  traces: number;
  failed: number;
  steps: number;
  kind_steps: Record<string, number>;
  kind_errors: Record<string, number>;
  looping: number;
  tool_error_traces: Record<string, number>;
  tool_error_failed: Record<string, number>;
  failed_examples: string[];
}

/**
 * One row per trace (`judged`): its root time, agent, end-to-end success, steps and failing tools;
 * with `failure`, also where it failed: the first failing step (`first_failed`, kind and tool),
 * how many steps failed and the last tool it called.
 */
export function judgedTracesCte(source: TraceSource, config: AgentConfig, failure = false): string {
  // The outcome evaluation, when configured, replaces the root status as the success criterion.
  const outcome = config.outcomeEvaluation
    ? `,
      outcomes AS (
        SELECT trace_id, max(score >= 0.5 OR lower(label) IN ('pass', 'passed', 'success', 'succeeded', 'true', 'yes', '1', 'completed')) AS success
        FROM (${source.judgements()}) WHERE rubric = {outcomeEvaluation:String} GROUP BY trace_id)`
    : '';
  const okExpr = config.outcomeEvaluation ? `if(o.trace_id != '', o.success, t.root_ok)` : 't.root_ok';
  const join = config.outcomeEvaluation ? 'LEFT JOIN outcomes AS o ON o.trace_id = t.trace_id' : '';
  return `
    WITH
      s AS (${source.traceSpans()}),
      traces AS (
        SELECT trace_id,
               minIf(ts, is_root) AS root_ts,
               anyIf(agent, is_root) AS agent_name,
               maxIf(is_error, is_root) = 0 AS root_ok,
               countIf(NOT is_root AND kind IN {stepKinds:Array(String)}) AS steps,
               groupArrayIf((kind, is_error), NOT is_root AND kind IN {stepKinds:Array(String)}) AS step_spans,
               groupArrayIf(tool, kind = 'tool') AS tool_calls,
               arrayMax(arrayConcat([toUInt64(0)], arrayMap(x -> toUInt64(countEqual(tool_calls, x)), arrayDistinct(tool_calls)))) AS max_same_tool,
               groupUniqArrayIf(tool, kind = 'tool' AND is_error = 1) AS errored_tools${
                 failure
                   ? `,
               argMinIf(concat(kind, if(tool != '', concat(' ', tool), '')), ts, is_error = 1 AND NOT is_root) AS first_failed,
               countIf(is_error = 1 AND NOT is_root) AS failed_steps,
               argMaxIf(tool, ts, kind = 'tool') AS last_tool`
                   : ''
               }
        FROM s
        GROUP BY trace_id
        HAVING countIf(is_root) > 0)${outcome},
      judged AS (
        SELECT t.trace_id AS trace_id, t.root_ts AS root_ts, t.agent_name AS agent_name, ${okExpr} AS ok, t.steps AS steps,
               mapFromArrays(arraySort(arrayDistinct(arrayMap(x -> x.1, t.step_spans))) AS step_kinds,
                 arrayMap(k -> toUInt64(arrayCount(x -> x.1 = k, t.step_spans)), step_kinds)) AS kind_steps,
               mapFromArrays(step_kinds, arrayMap(k -> toUInt64(arrayCount(x -> x.1 = k AND x.2 = 1, t.step_spans)), step_kinds)) AS kind_errors,
               t.max_same_tool AS max_same_tool, t.errored_tools AS errored_tools${failure ? ', t.first_failed AS first_failed, t.failed_steps AS failed_steps, t.last_tool AS last_tool' : ''}
        FROM traces AS t ${join})`;
}

/** The parameters judgedTracesCte takes, from the config. */
export function judgedTracesParams(config: Config) {
  const a = config.signals.agent;
  return { stepKinds: a.stepKinds, outcomeEvaluation: a.outcomeEvaluation ?? '' };
}

export function agentWindowsSql(source: TraceSource, config: AgentConfig): string {
  return `${judgedTracesCte(source, config)},
      top_agents AS (SELECT agent_name FROM judged GROUP BY agent_name ORDER BY count() DESC, agent_name LIMIT {maxSubjects:UInt32})
    SELECT
      if(agent_name IN (SELECT agent_name FROM top_agents), agent_name, 'other') AS agent,
      root_ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur,
      count() AS traces,
      countIf(NOT ok) AS failed,
      sum(steps) AS steps,
      sumMap(kind_steps) AS kind_steps,
      sumMap(kind_errors) AS kind_errors,
      countIf(max_same_tool >= {loopMinCalls:UInt32}) AS looping,
      sumMap(mapFromArrays(errored_tools, arrayMap(x -> toUInt64(1), errored_tools))) AS tool_error_traces,
      sumMapIf(mapFromArrays(errored_tools, arrayMap(x -> toUInt64(1), errored_tools)), NOT ok) AS tool_error_failed,
      arrayDistinct(groupArraySortedIf(20)(trace_id, NOT ok)) AS failed_examples
    FROM judged
    GROUP BY agent, cur`;
}
