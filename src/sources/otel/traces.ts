/**
 * Trace structure in `otel_traces`: every span of a trace with its kind, tool name, status and
 * whether it is the root (`ParentSpanId = ''`), plus the root's user input, session, agent name and
 * intent (README: `agent`, `input` and `dataset`).
 */
import { subjectName } from '../fragments.ts';

const attr = (key: string) => `SpanAttributes['${key}']`;
const present = (key: string) => `nullIf(${attr(key)}, '')`;

/** The agent a trace belongs to: GenAI / OpenInference agent name, else the root span's name. */
export const AGENT_NAME = subjectName(`coalesce(${present('gen_ai.agent.name')}, ${present('agent.name')}, toString(SpanName))`);

/** Index of the last OpenInference `llm.input_messages.{i}` whose role is user (-1 when none). */
const LAST_OI_USER_MESSAGE = `arrayMax(arrayConcat([-1], arrayMap(kv -> toInt64(toUInt32OrZero(extract(kv.1, '^llm\\.input_messages\\.([0-9]+)\\.message\\.role$'))),
  arrayFilter(kv -> kv.2 = 'user' AND match(kv.1, '^llm\\.input_messages\\.[0-9]+\\.message\\.role$'), CAST(SpanAttributes, 'Array(Tuple(String, String))')))))`;

/**
 * The user's input on the root span: `input.value`, else the last user message of OpenInference
 * `llm.input_messages.{i}.message.*`, else of GenAI `gen_ai.input.messages`, else OpenLLMetry's
 * entity input.
 */
export const USER_INPUT = `coalesce(${present('input.value')},
  nullIf(SpanAttributes[concat('llm.input_messages.', toString(${LAST_OI_USER_MESSAGE}), '.message.content')], ''),
  nullIf(arrayStringConcat(arrayMap(p -> JSONExtractString(p, 'content'), JSONExtractArrayRaw(arrayLast(m -> JSONExtractString(m, 'role') = 'user', JSONExtractArrayRaw(${attr('gen_ai.input.messages')})), 'parts')), ' '), ''),
  ${present('traceloop.entity.input')}, '')`;

/** Session (conversation) id. */
export const SESSION_ID = `coalesce(${present('session.id')}, ${present('gen_ai.conversation.id')}, '')`;
