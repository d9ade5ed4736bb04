/**
 * How OpenInference, OpenTelemetry GenAI, traceAI and OpenLLMetry spans in the Collector's
 * `otel_traces` table are read (README: Trace sources and each signal's section).
 */

import { maskedMessage } from '../fragments.ts';

const attr = (key: string) => `SpanAttributes['${key}']`;
const present = (key: string) => `nullIf(${attr(key)}, '')`;

/** The Vercel AI SDK's model-call spans (its tool calls are `ai.toolCall`). */
const AI_SDK_MODEL_CALLS = `('ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.generateObject.doGenerate', 'ai.streamObject.doStream')`;

/**
 * Span kind, lower-cased: a GenAI `execute_tool` operation or an AI SDK `ai.toolCall` is a tool and
 * an AI SDK model call an LLM (whatever else the span says, e.g. OpenLLMetry's `task`); else the
 * kind whichever convention set it.
 */
export const SPAN_KIND = `lower(multiIf(
  ${attr('gen_ai.operation.name')} = 'execute_tool' OR SpanName = 'ai.toolCall', 'tool',
  SpanName IN ${AI_SDK_MODEL_CALLS}, 'llm',
  coalesce(${present('openinference.span.kind')}, ${present('gen_ai.span.kind')}, ${present('fi.span.kind')}, ${present('traceloop.span.kind')}, '')))`;

/** Tool name: `tool.name`, `gen_ai.tool.name`, the AI SDK's `ai.toolCall.name`, OpenLLMetry's entity name, else the span name. */
export const TOOL_NAME = `coalesce(${present('tool.name')}, ${present('gen_ai.tool.name')}, ${present('ai.toolCall.name')}, ${present('traceloop.entity.name')}, toString(SpanName))`;

/** A span failed when its status says so (both exporter spellings) or it carries `error.type`. */
export const IS_ERROR = `(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR ${attr('error.type')} != '')`;

/** `exception.type` of the span's first exception event, unless it only names the base class (`Error`). */
const EXCEPTION_TYPE = `arrayFirst(a -> a['exception.type'] != '', \`Events.Attributes\`)['exception.type']`;
/** The first line of the status message (JS instrumentation appends a blank line and the stack), else of the exception event's message. */
const MESSAGE_LINE = `splitByChar('\\n', if(StatusMessage != '', StatusMessage, arrayFirst(a -> a['exception.message'] != '', \`Events.Attributes\`)['exception.message']))[1]`;

/**
 * Error class: `error.type`, else a specific `exception.type`, else the first line of the message
 * with ids, numbers and paths masked (so a stack trace never splits one failure into many classes).
 */
export const ERROR_CLASS = `left(multiIf(
  ${attr('error.type')} != '', ${attr('error.type')},
  ${EXCEPTION_TYPE} NOT IN ('', 'Error', 'Exception', 'object'), ${EXCEPTION_TYPE},
  ${MESSAGE_LINE} != '', ${maskedMessage(MESSAGE_LINE)},
  'unknown'), 120)`;
