/**
 * Judgements on spans in `otel_traces` (README: `judge`):
 * - OpenInference `annotations.{i}.annotation.*` and `evaluations.{i}.evaluation.*` (name, score,
 *   label, annotator_kind, identifier), on the judged span itself or on an EVALUATOR carrier span
 *   whose first Link names the target; the `trace.`-scoped forms judge the whole trace;
 * - GenAI / traceAI `gen_ai.evaluation.*` on EVALUATOR spans (target `gen_ai.evaluation.target_span_id`,
 *   else the span itself) and `gen_ai.evaluation.result` span events (target: the span carrying them).
 * Conventions without an annotator kind count as HUMAN when the emitting service is listed in
 * {humanServices:Array(String)}, else as LLM. `environment` is the first of the resource attributes
 * {environmentKeys:Array(String)} present ('' without one).
 */
const attr = (key: string) => `SpanAttributes['${key}']`;

/**
 * (scope, name, score, label, annotator_kind, identifier, explicit target) tuples of one span, at
 * indices 0–9 in index order. The judgements are found from the span's keys (a name key per
 * judgement), not by trying every index: a lambda over indices copies the attribute map once per
 * index tried, which made this relation most of a backfill's cost.
 */
const openInference = (prefix: string, field: string, scope: 'span' | 'trace') =>
  `arrayMap(name_key -> tuple('${scope}',
      SpanAttributes[name_key],
      toFloat64OrNull(${besideName('score')}),
      ${besideName('label')},
      ${besideName('annotator_kind')},
      ${besideName('identifier')},
      ''),
    arraySort(arrayDistinct(arrayFilter(k -> match(k, '${NAME_KEY(prefix, field)}'), mapKeys(SpanAttributes)))))`;

/** The attribute `field` of the judgement whose name key is `name_key` (`….evaluation.name` → `….evaluation.score`). */
const besideName = (field: string) => `SpanAttributes[concat(substring(name_key, 1, length(name_key) - length('name')), '${field}')]`;

/** RE2 for the name keys of one convention's judgements at indices 0–9, e.g. `evaluations.3.evaluation.name`. */
const NAME_KEY = (prefix: string, field: string) => `^${prefix.replaceAll('.', '\\\\.')}\\\\.[0-9]\\\\.${field}\\\\.name$`;

const genAiSpan = `if(${attr('gen_ai.evaluation.name')} = '', [],
    [tuple('span', ${attr('gen_ai.evaluation.name')}, toFloat64OrNull(${attr('gen_ai.evaluation.score.value')}), ${attr('gen_ai.evaluation.score.label')}, '', '', ${attr('gen_ai.evaluation.target_span_id')})])`;

const genAiEvents = `arrayMap(a -> tuple('span', a['gen_ai.evaluation.name'], toFloat64OrNull(a['gen_ai.evaluation.score.value']), a['gen_ai.evaluation.score.label'], '', '', ''),
    arrayFilter((a, n) -> n = 'gen_ai.evaluation.result', Events.Attributes, Events.Name))`;

/** Every judgement tuple on a span, empty names dropped. */
const ALL = `arrayFilter(x -> x.2 != '', arrayConcat(
    ${openInference('annotations', 'annotation', 'span')},
    ${openInference('evaluations', 'evaluation', 'span')},
    ${openInference('trace.annotations', 'annotation', 'trace')},
    ${openInference('trace.evaluations', 'evaluation', 'trace')},
    ${genAiSpan},
    ${genAiEvents}))`;

/** Cheap pre-filter: spans that can carry a judgement at all. */
const CARRIES = `(mapContains(SpanAttributes, 'annotations.0.annotation.name') OR mapContains(SpanAttributes, 'evaluations.0.evaluation.name')
  OR mapContains(SpanAttributes, 'trace.annotations.0.annotation.name') OR mapContains(SpanAttributes, 'trace.evaluations.0.evaluation.name')
  OR ${attr('gen_ai.evaluation.name')} != '' OR has(Events.Name, 'gen_ai.evaluation.result'))`;

/** The judgements relation of the otel source (see TraceSource.judgements). */
export function judgementsSql(from: string, spanKind: string, environmentKeys: number): string {
  return `SELECT * EXCEPT finite FROM (${judgementRows(from, spanKind, environmentKeys)}) WHERE finite`;
}

/**
 * The first of the `count` keys {environmentKeys} present among the resource attributes, '' without
 * one: one lookup per key, written out, since a lambda over the keys copies the whole attribute map
 * once per key (ten times slower on a resource of 18 attributes).
 */
const firstEnvironment = (count: number) => `coalesce(${Array.from({ length: count }, (_, i) => `nullIf(ResourceAttributes[{environmentKeys:Array(String)}[${i + 1}]], '')`).join(', ')}, '')`;

/**
 * Every judgement carried in the window, with `finite`: whether its score is absent or a finite
 * number. `environmentKeys` is how many keys the source's {environmentKeys} holds.
 */
export function judgementRows(from: string, spanKind: string, environmentKeys: number): string {
  return `
    SELECT ts, trace_id, span_id,
      multiIf(j.1 = 'trace', concat('trace:', trace_id), j.7 != '', j.7, is_evaluator AND link_span != '', link_span, span_id) AS target,
      j.2 AS rubric,
      multiIf(j.5 != '', upper(j.5), service IN {humanServices:Array(String)}, 'HUMAN', 'LLM') AS annotator,
      if(j.6 != '', j.6, service) AS identifier,
      j.4 AS label,
      j.3 AS score,
      environment,
      isNull(j.3) OR isFinite(assumeNotNull(j.3)) AS finite
    FROM (
      SELECT Timestamp AS ts, TraceId AS trace_id, SpanId AS span_id, toString(ServiceName) AS service,
             ${firstEnvironment(environmentKeys)} AS environment,
             ${spanKind} = 'evaluator' AS is_evaluator, Links.SpanId[1] AS link_span,
             arrayJoin(${ALL}) AS j
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND ${CARRIES})`;
}
