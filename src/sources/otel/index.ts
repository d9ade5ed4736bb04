/** The OpenTelemetry Collector ClickHouse exporter's `otel_traces` table as a trace source. */
import type { TraceSource } from '../source.ts';
import { ERROR_CLASS, IS_ERROR, MASK_PARAMS, SPAN_KIND, TOOL_NAME } from './expressions.ts';

const OTEL_COLUMNS = ['Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'SpanName', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage'];

/** Builds the source for `database.table`; both identifiers were validated by the config schema. */
export function otelSource(database: string, table: string): TraceSource {
  const from = `${database}.${table}`;
  return {
    schema: 'otel',
    requiredColumns: new Map([[table, OTEL_COLUMNS]]),
    params: MASK_PARAMS,
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
  };
}
