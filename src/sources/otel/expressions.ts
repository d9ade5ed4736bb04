/**
 * How OpenInference, OpenTelemetry GenAI, traceAI and OpenLLMetry spans in the Collector's
 * `otel_traces` table are read (README: Trace sources and each signal's section).
 */

import { maskedMessage } from '../fragments.ts';

const attr = (key: string) => `SpanAttributes['${key}']`;
const present = (key: string) => `nullIf(${attr(key)}, '')`;

/** Span kind, lower-cased, from whichever convention set it; GenAI `execute_tool` counts as a tool. */
export const SPAN_KIND = `lower(coalesce(${present('openinference.span.kind')}, ${present('gen_ai.span.kind')}, ${present('fi.span.kind')}, ${present('traceloop.span.kind')}, multiIf(${attr('gen_ai.operation.name')} = 'execute_tool', 'tool', '')))`;

/** Tool name: `tool.name`, else `gen_ai.tool.name`, else the span name. */
export const TOOL_NAME = `coalesce(${present('tool.name')}, ${present('gen_ai.tool.name')}, toString(SpanName))`;

/** A span failed when its status says so (both exporter spellings) or it carries `error.type`. */
export const IS_ERROR = `(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR ${attr('error.type')} != '')`;

/** Error class: `error.type`, else the status message with ids and numbers masked. */
export const ERROR_CLASS = `left(multiIf(
  ${attr('error.type')} != '', ${attr('error.type')},
  StatusMessage != '', ${maskedMessage('StatusMessage')},
  'unknown'), 120)`;
