/** The OpenTelemetry Collector ClickHouse exporter's `otel_traces` table as a trace source. */
import type { TraceSource } from '../source.ts';
import { ERROR_CLASS, IS_ERROR, MASK_PARAMS, SPAN_KIND, TOOL_NAME } from './expressions.ts';
import { DOC_IDS, RETRIEVAL_PARAMS, queryHash } from './retrieval.ts';
import { JUDGE_SCORES } from './judgements.ts';

const OTEL_COLUMNS = ['Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'SpanName', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage'];

/** Builds the source for `database.table`; both identifiers were validated by the config schema. */
export function otelSource(database: string, table: string): TraceSource {
  const from = `${database}.${table}`;
  return {
    schema: 'otel',
    requiredColumns: new Map([[table, OTEL_COLUMNS]]),
    params: { ...MASK_PARAMS, ...RETRIEVAL_PARAMS },
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
        AND ${SPAN_KIND} = 'tool'`,
    retrievals: (normalization) => `
      SELECT
        Timestamp AS ts,
        TraceId AS trace_id,
        toString(SpanName) AS retriever,
        ${queryHash(normalization)} AS query_hash,
        ${DOC_IDS} AS doc_ids
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND (${SPAN_KIND} IN ('retriever', 'reranker', 'vector_db') OR SpanAttributes['gen_ai.operation.name'] = 'retrieval')`,
    judgeScores: () => `
      SELECT ts, trace_id, span_id, pair.1 AS name, assumeNotNull(pair.2) AS score
      FROM (
        SELECT Timestamp AS ts, TraceId AS trace_id, SpanId AS span_id, arrayJoin(${JUDGE_SCORES}) AS pair
        FROM ${from}
        WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
          AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
          AND (mapContains(SpanAttributes, 'evaluations.0.evaluation.name') OR mapContains(SpanAttributes, 'annotations.0.annotation.name')))
      WHERE isNotNull(pair.2)`,
  };
}
