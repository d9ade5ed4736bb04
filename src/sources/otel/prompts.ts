/**
 * Prompt identity of LLM and PROMPT spans (OpenInference's LangChain.js instrumentation records
 * the template on a separate PROMPT span; the version a user sets is only in its `metadata`): the
 * version from OpenInference `llm.prompt_template.version`, traceAI
 * `gen_ai.prompt.template.version` or OpenLLMetry `traceloop.prompt.version`, else the first of
 * {promptVersionKeys} in the `metadata` JSON or the Vercel AI SDK's `ai.telemetry.metadata.*`, else
 * a hash of the template text; the name from `gen_ai.prompt.template.name`, `gen_ai.prompt.name`,
 * `traceloop.prompt.key`, `prompt.id`, the first of {promptNameKeys} likewise, a PROMPT span's own
 * name, else `default`.
 */
import { subjectName } from '../fragments.ts';

const present = (key: string) => `nullIf(SpanAttributes['${key}'], '')`;

/**
 * The first of the keys (a parameter) present in the span's metadata JSON or the AI SDK's telemetry
 * metadata. The lambda reads the metadata string and the telemetry entries, not the whole attribute
 * map (a lambda copies what it reads once per key), and is skipped for spans with neither.
 */
const fromMetadata = (keysParam: string) =>
  `if((SpanAttributes['metadata'] AS span_metadata) = '' AND empty(mapFilter((k, v) -> startsWith(k, 'ai.telemetry.metadata.'), SpanAttributes) AS telemetry_metadata), NULL,
    nullIf(arrayFirst(v -> v != '', arrayMap(k -> if(JSONExtractString(span_metadata, k) != '', JSONExtractString(span_metadata, k), telemetry_metadata[concat('ai.telemetry.metadata.', k)]), {${keysParam}:Array(String)})), ''))`;

export const PROMPT_VERSION = `coalesce(${present('llm.prompt_template.version')}, ${present('gen_ai.prompt.template.version')}, ${present('traceloop.prompt.version')},
  ${fromMetadata('promptVersionKeys')},
  if(SpanAttributes['llm.prompt_template.template'] = '', '', concat('sha-', substring(lower(hex(cityHash64(SpanAttributes['llm.prompt_template.template']))), 1, 10))))`;

export const promptName = (kind: string) =>
  subjectName(
    `coalesce(${present('gen_ai.prompt.template.name')}, ${present('gen_ai.prompt.name')}, ${present('traceloop.prompt.key')}, ${present('prompt.id')}, ${fromMetadata('promptNameKeys')}, if(${kind} = 'prompt', toString(SpanName), 'default'))`,
  );
