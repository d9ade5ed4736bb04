/** The OpenTelemetry Collector ClickHouse exporter's `otel_traces` table as a trace source. */
import type { TraceSource } from '../source.ts';
import type { ColumnKind } from '../../clickhouse/column-types.ts';
import { ERROR_CLASS, IS_ERROR, SPAN_KIND, TOOL_NAME } from './expressions.ts';
import { conventionParams, MASK_PARAMS } from '../fragments.ts';
import { DEFAULT_CONVENTIONS, type TraceConventions } from '../../config/shape.ts';
import { DOC_ID_SOURCE, DOC_IDS, RETRIEVAL_PARAMS, queryHash } from './retrieval.ts';
import { judgementRows, judgementsSql } from './judgements.ts';
import { PROMPT_VERSION, promptName } from './prompts.ts';
import { AGENT_NAME, SESSION_ID, USER_INPUT } from './traces.ts';

/** What driftwatch reads of the exporter's table (Events and Links are Nested: arrays per field). */
/** The exporter's columns driftwatch reads, with the kind each must hold (start-up checks them). */
export const OTEL_COLUMNS: Readonly<Record<string, ColumnKind>> = {
  Timestamp: 'time',
  TraceId: 'string',
  SpanId: 'string',
  ParentSpanId: 'string',
  SpanName: 'string',
  ServiceName: 'string',
  SpanAttributes: 'map',
  ResourceAttributes: 'map',
  Duration: 'number',
  StatusCode: 'string',
  StatusMessage: 'string',
  'Events.Name': 'string array',
  'Events.Attributes': 'map array',
  'Links.SpanId': 'string array',
};

/** Builds the source for `database.table`; both identifiers were validated by the config schema. */
export function otelSource(database: string, table: string, conventions: TraceConventions = DEFAULT_CONVENTIONS): TraceSource {
  const from = `${database}.${table}`;
  return {
    schema: 'otel',
    id: `otel:${from}`,
    requiredColumns: new Map([[table, OTEL_COLUMNS]]),
    conventions,
    params: { ...MASK_PARAMS, ...RETRIEVAL_PARAMS, ...conventionParams(conventions) },
    toolCalls: () => `
      SELECT
        Timestamp AS ts,
        TraceId AS trace_id,
        ParentSpanId AS parent_id,
        ${TOOL_NAME} AS tool,
        toUInt8(${IS_ERROR}) AS is_error,
        ${ERROR_CLASS} AS error_class,
        Duration / 1e6 AS duration_ms
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND ${SPAN_KIND} = 'tool'
        AND isFinite(Duration)`,
    retrievals: (normalization) => `
      SELECT
        Timestamp AS ts,
        TraceId AS trace_id,
        toString(SpanName) AS retriever,
        ${queryHash(normalization)} AS query_hash,
        ${DOC_IDS} AS doc_ids,
        ${DOC_ID_SOURCE} AS id_source
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND (${SPAN_KIND} IN ('retriever', 'reranker', 'vector_db') OR SpanAttributes['gen_ai.operation.name'] = 'retrieval')`,
    judgements: () => judgementsSql(from, SPAN_KIND, conventions.environmentKeys.length),
    nonFinite: () => `
      SELECT
        (SELECT count() FROM ${from}
         WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
           AND NOT isFinite(Duration) AND ${SPAN_KIND} = 'tool') AS duration,
        (SELECT count() FROM (${judgementRows(from, SPAN_KIND, conventions.environmentKeys.length)}) WHERE NOT finite) AS score`,
    fingerprint: () => `
      SELECT intDiv(toUnixTimestamp64Milli(Timestamp), {bucketMs:Int64}) * {bucketMs:Int64} AS bucket,
             count() AS rows, sum(cityHash64(TraceId, SpanId, Duration, StatusCode)) AS checksum
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
      GROUP BY bucket`,
    activity: () => `
      SELECT Timestamp AS ts FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})`,
    // GLOBAL: on a Distributed table a plain IN over the same table is refused (code 288,
    // distributed_product_mode = deny); the root trace ids are gathered once and sent to every shard,
    // which is also right when a trace's spans sit on several shards. On a local table it is IN.
    traceSpans: () => `
      SELECT Timestamp AS ts, TraceId AS trace_id, ParentSpanId = '' AS is_root,
             ${SPAN_KIND} AS kind,
             if(${SPAN_KIND} = 'tool', ${TOOL_NAME}, '') AS tool,
             toUInt8(${IS_ERROR}) AS is_error,
             if(ParentSpanId = '', ${AGENT_NAME}, '') AS agent
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64}) + toIntervalMillisecond({lateMs:Int64})
        AND TraceId GLOBAL IN (SELECT TraceId FROM ${from}
                        WHERE ParentSpanId = '' AND Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64}))`,
    traceRoots: () => `
      SELECT Timestamp AS ts, TraceId AS trace_id, ${AGENT_NAME} AS agent, toString(ServiceName) AS service,
             ${SESSION_ID} AS session, ${USER_INPUT} AS input,
             JSONExtractString(SpanAttributes['metadata'], {intentKey:String}) AS intent
      FROM ${from}
      WHERE ParentSpanId = ''
        AND Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})`,
    promptUses: () => `
      SELECT Timestamp AS ts, TraceId AS trace_id, ${promptName(SPAN_KIND)} AS prompt, ${PROMPT_VERSION} AS version
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND (${SPAN_KIND} IN ('llm', 'generation', 'prompt') OR SpanAttributes['gen_ai.operation.name'] IN ('chat', 'text_completion', 'generate_content'))
        AND version != ''`,
  };
}
