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

/** A message's role: `role`, a LangChain serialization's class (`HumanMessage` → `human`), or `type`. */
const ROLE = (m: string) =>
  `multiIf(JSONHas(${m}, 'role'), lower(JSONExtractString(${m}, 'role')),
    JSONExtractString(${m}, 'type') = 'constructor', lower(replaceOne(arrayLast(x -> 1, JSONExtract(${m}, 'id', 'Array(String)')), 'Message', '')),
    lower(JSONExtractString(${m}, 'type')))`;
/** A message's text: LangChain's `kwargs.content`, else `content` as a string or as text parts. */
const CONTENT = (m: string) =>
  `coalesce(nullIf(JSONExtractString(${m}, 'kwargs', 'content'), ''), nullIf(JSONExtractString(${m}, 'content'), ''),
    arrayStringConcat(arrayMap(p -> JSONExtractString(p, 'text'), JSONExtractArrayRaw(${m}, 'content')), ' '))`;
/** The last human/user message of a JSON message list, or of an object's `messages` (LangGraph state). */
const LAST_USER_MESSAGE = (json: string) =>
  `${CONTENT(`arrayLast(m -> ${ROLE('m')} IN ('user', 'human'), if(startsWith(${json}, '['), JSONExtractArrayRaw(${json}), JSONExtractArrayRaw(${json}, 'messages')))`)}`;

/**
 * What a user typed, from an input attribute: plain text as it is; JSON (a chain's state or
 * arguments) read as the last user message of a message list, else its `input`, `question`,
 * `query` or `prompt` string; JSON without any of them is no input (its length is not the user's).
 */
export const userText = (expr: string) => `if(NOT (startsWith(${expr}, '{') OR startsWith(${expr}, '[')) OR NOT isValidJSON(${expr}), ${expr},
  coalesce(nullIf(${LAST_USER_MESSAGE(expr)}, ''), nullIf(JSONExtractString(${expr}, 'input'), ''), nullIf(JSONExtractString(${expr}, 'question'), ''),
    nullIf(JSONExtractString(${expr}, 'query'), ''), nullIf(JSONExtractString(${expr}, 'prompt'), ''), ''))`;

/**
 * The user's input on the root span: `input.value` (read by userText), the Vercel AI SDK's
 * `ai.prompt` ({prompt} or {messages}), the last user message of OpenInference
 * `llm.input_messages.{i}.message.*` or of GenAI `gen_ai.input.messages`, else OpenLLMetry's
 * entity input.
 */
export const USER_INPUT = `coalesce(nullIf(${userText(attr('input.value'))}, ''),
  nullIf(${userText(attr('ai.prompt'))}, ''),
  nullIf(SpanAttributes[concat('llm.input_messages.', toString(${LAST_OI_USER_MESSAGE}), '.message.content')], ''),
  nullIf(arrayStringConcat(arrayMap(p -> JSONExtractString(p, 'content'), JSONExtractArrayRaw(arrayLast(m -> JSONExtractString(m, 'role') = 'user', JSONExtractArrayRaw(${attr('gen_ai.input.messages')})), 'parts')), ' '), ''),
  nullIf(${userText(attr('traceloop.entity.input'))}, ''), '')`;

/** Session (conversation) id. */
export const SESSION_ID = `coalesce(${present('session.id')}, ${present('gen_ai.conversation.id')}, '')`;
