/**
 * Agent traces per bucket of their root's start: traces, failures, steps and step failures by
 * kind, looping traces, and per tool the traces in which it failed. A trace's spans (and its
 * outcome evaluation) arrive up to the source's maxTraceDuration after its root, so a build reads that far past
 * its buckets and a bucket stays open that much longer.
 */
import type { RollupReader } from '../../rollups/engine.ts';
import { IN_CURRENT, mergedExamples, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import type { Windows } from '../../core/windows.ts';
import { windowParams } from '../../core/windows.ts';
import type { Config } from '../../config/shape.ts';
import { judgedTracesCte, judgedTracesParams, type AgentWindowRow } from './sql.ts';

export const agentTracesFamily: RollupFamily = {
  name: 'agent_traces',
  columns: [
    { name: 'agent', type: 'String' },
    { name: 'traces', type: 'UInt64' },
    { name: 'failed', type: 'UInt64' },
    { name: 'steps', type: 'UInt64' },
    { name: 'kind_steps', type: 'Map(String, UInt64)' },
    { name: 'kind_errors', type: 'Map(String, UInt64)' },
    { name: 'looping', type: 'UInt64' },
    { name: 'tool_error_traces', type: 'Map(String, UInt64)' },
    { name: 'tool_error_failed', type: 'Map(String, UInt64)' },
    { name: 'failed_examples', type: 'Array(String)' },
  ],
  key: ['agent'],
  reach: (_c, source) => source.conventions.maxTraceDuration,
  // Every trace of a chunk is grouped at once: a day of a busy source was the peak of a backfill's
  // memory (about 350 MiB more than any other family on the bench week).
  maxChunkMs: 6 * 3_600_000,
  build: (source, config, range) => {
    const a = config.signals.agent;
    return {
      sql: `${judgedTracesCte(source, a)}
        SELECT intDiv(toUnixTimestamp64Milli(toDateTime64(root_ts, 3)), {bucketMs:Int64}) * {bucketMs:Int64} AS bucket,
               agent_name AS agent, count() AS traces, countIf(NOT ok) AS failed, sum(steps) AS steps,
               sumMap(kind_steps) AS kind_steps, sumMap(kind_errors) AS kind_errors,
               countIf(max_same_tool >= {loopMinCalls:UInt32}) AS looping,
               sumMap(mapFromArrays(errored_tools, arrayMap(x -> toUInt64(1), errored_tools))) AS tool_error_traces,
               sumMapIf(mapFromArrays(errored_tools, arrayMap(x -> toUInt64(1), errored_tools)), NOT ok) AS tool_error_failed,
               arrayDistinct(groupArraySortedIf(20)(trace_id, NOT ok)) AS failed_examples
        FROM judged
        WHERE root_ts >= fromUnixTimestamp64Milli({bucketFromMs:Int64}) AND root_ts < fromUnixTimestamp64Milli({bucketToMs:Int64})
        GROUP BY bucket, agent`,
      // Roots up to maxTraceDuration past the buckets are read too, so outcome evaluations that
      // arrive after their trace's bucket are found; only roots inside the buckets are kept.
      params: {
        ...source.params,
        ...rangeParams(range, 0, source.conventions.maxTraceDuration),
        ...judgedTracesParams(config),
        loopMinCalls: a.loopMinCalls,
      },
    };
  },
};

/** The agent rows for `windows`, merged from the rollups (the raw-scan row shape). */
export function agentRowsFromRollups(reader: RollupReader, windows: Windows, config: Config): Promise<AgentWindowRow[]> {
  return reader.store.query<AgentWindowRow>(
    `WITH b AS ${reader.table('agent_traces')},
          top AS (SELECT agent FROM b GROUP BY agent ORDER BY sum(traces) DESC, agent LIMIT {maxSubjects:UInt32})
     SELECT subject AS agent, cur, n_traces AS traces, n_failed AS failed, n_steps AS steps, k_steps AS kind_steps, k_errors AS kind_errors,
            n_looping AS looping, t_errors AS tool_error_traces, t_failed AS tool_error_failed, examples AS failed_examples
     FROM (
       SELECT if(agent IN (SELECT agent FROM top), agent, 'other') AS subject, bucket >= {currentFromMs:Int64} AS cur,
              sum(traces) AS n_traces, sum(failed) AS n_failed, sum(steps) AS n_steps,
              sumMap(kind_steps) AS k_steps, sumMap(kind_errors) AS k_errors, sum(looping) AS n_looping,
              sumMap(tool_error_traces) AS t_errors, sumMap(tool_error_failed) AS t_failed,
              ${mergedExamples('failed_examples', 20, IN_CURRENT)} AS examples
       FROM b GROUP BY subject, cur)`,
    { ...reader.params, ...windowParams(windows), maxSubjects: config.signals.agent.maxSubjects },
    { comment: 'driftwatch signal agent' },
  );
}
