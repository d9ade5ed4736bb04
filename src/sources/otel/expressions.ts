/**
 * How OpenInference, OpenTelemetry GenAI, traceAI and OpenLLMetry spans in the Collector's
 * `otel_traces` table are read (../shared/docs/trace-conventions.md §1, §3–§6, §8).
 */

const attr = (key: string) => `SpanAttributes['${key}']`;
const present = (key: string) => `nullIf(${attr(key)}, '')`;

/** Span kind, lower-cased, from whichever convention set it; GenAI `execute_tool` counts as a tool. */
export const SPAN_KIND = `lower(coalesce(${present('openinference.span.kind')}, ${present('gen_ai.span.kind')}, ${present('fi.span.kind')}, ${present('traceloop.span.kind')}, multiIf(${attr('gen_ai.operation.name')} = 'execute_tool', 'tool', '')))`;

/** Tool name: `tool.name`, else `gen_ai.tool.name`, else the span name. */
export const TOOL_NAME = `coalesce(${present('tool.name')}, ${present('gen_ai.tool.name')}, toString(SpanName))`;

/** A span failed when its status says so (both exporter spellings) or it carries `error.type`. */
export const IS_ERROR = `(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR ${attr('error.type')} != '')`;

/**
 * Error class: `error.type`, else the status message with ids and numbers masked so that
 * "timeout after 3012 ms for req 8f3a…" and "timeout after 2990 ms for req 11bc…" are one class.
 * The regexes arrive as query parameters (see MASK_PARAMS).
 */
export const ERROR_CLASS = `left(multiIf(
  ${attr('error.type')} != '', ${attr('error.type')},
  StatusMessage != '', replaceRegexpAll(replaceRegexpAll(replaceRegexpAll(StatusMessage, {maskUuid:String}, '<id>'), {maskToken:String}, '<id>'), {maskNumber:String}, '<n>'),
  'unknown'), 120)`;

/** RE2 patterns for ERROR_CLASS: UUIDs, then tokens mixing letters and digits, then numbers. */
export const MASK_PARAMS = {
  maskUuid: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  maskToken: '[A-Za-z0-9_-]*(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9_-]*',
  maskNumber: '[0-9]+(\\.[0-9]+)?',
};
