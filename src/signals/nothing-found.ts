/**
 * The verdict of a signal that found none of the spans it reads: `no_data` naming what it looked
 * for, so a signal never goes silent (a missing key is a reason to fix instrumentation, not a
 * reason to show nothing). docs/trace-conventions.md lists the keys in full.
 */
import type { DriftMode, Layer, SignalResult } from '../core/verdict.ts';
import { noData } from '../core/unjudged.ts';

export function nothingFound(signal: string, driftMode: DriftMode, layer: Layer, subject: Record<string, string>, lookedFor: string): SignalResult {
  return noData({ signal, driftMode, layer, subject }, `no ${lookedFor} in the baseline or current window, so this cannot be measured (see docs/trace-conventions.md for the keys driftwatch reads)`, {
    reason: 'no_spans',
  });
}

/** What each signal looks for, in the words of the conventions that carry it. */
export const LOOKED_FOR = {
  tools: 'tool-call spans (OpenInference TOOL, GenAI execute_tool, traceAI TOOL, OpenLLMetry tool, Vercel AI SDK ai.toolCall; Langfuse TOOL observations)',
  retrievals: 'retrieval spans (OpenInference RETRIEVER or RERANKER, GenAI retrieval, traceAI VECTOR_DB; Langfuse RETRIEVER observations)',
  prompts:
    'LLM call or prompt-template span with a prompt version or template (llm.prompt_template.version or .template, gen_ai.prompt.template.version, traceloop.prompt.version, the metadata keys in traces.conventions.promptVersionKeys, ai.telemetry.metadata.*; Langfuse GENERATION prompt versions)',
  roots: 'root spans (spans without a parent; Langfuse traces with a root observation)',
  inputs: 'user inputs on root spans (input.value, ai.prompt, llm.input_messages.*, gen_ai.input.messages, traceloop.entity.input; Langfuse traces.input)',
  judgements: 'judgements (OpenInference annotations or evaluations, GenAI gen_ai.evaluation.*; Langfuse scores)',
} as const;
