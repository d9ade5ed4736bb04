/**
 * Prompt identity of LLM spans: the version from OpenInference `llm.prompt_template.version`,
 * traceAI `gen_ai.prompt.template.version` or OpenLLMetry `traceloop.prompt.version`, else a hash
 * of the template text; the name from `gen_ai.prompt.template.name`, `gen_ai.prompt.name`,
 * `traceloop.prompt.key`, `prompt.id`, else `default`.
 */
import { subjectName } from '../fragments.ts';

const present = (key: string) => `nullIf(SpanAttributes['${key}'], '')`;

export const PROMPT_VERSION = `coalesce(${present('llm.prompt_template.version')}, ${present('gen_ai.prompt.template.version')}, ${present('traceloop.prompt.version')},
  if(SpanAttributes['llm.prompt_template.template'] = '', '', concat('sha-', substring(lower(hex(cityHash64(SpanAttributes['llm.prompt_template.template']))), 1, 10))))`;

export const PROMPT_NAME = subjectName(`coalesce(${present('gen_ai.prompt.template.name')}, ${present('gen_ai.prompt.name')}, ${present('traceloop.prompt.key')}, ${present('prompt.id')}, 'default')`);
