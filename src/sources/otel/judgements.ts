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
const MAX_PER_SPAN = 10;
const attr = (key: string) => `SpanAttributes['${key}']`;

/** (scope, name, score, label, annotator_kind, identifier, explicit target) tuples of one span. */
const openInference = (prefix: string, field: string, scope: 'span' | 'trace') =>
  `arrayMap(i -> tuple('${scope}',
      SpanAttributes[concat('${prefix}.', toString(i), '.${field}.name')],
      toFloat64OrNull(SpanAttributes[concat('${prefix}.', toString(i), '.${field}.score')]),
      SpanAttributes[concat('${prefix}.', toString(i), '.${field}.label')],
      SpanAttributes[concat('${prefix}.', toString(i), '.${field}.annotator_kind')],
      SpanAttributes[concat('${prefix}.', toString(i), '.${field}.identifier')],
      ''), range(${MAX_PER_SPAN}))`;

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
export function judgementsSql(from: string, spanKind: string): string {
  return `SELECT * EXCEPT finite FROM (${judgementRows(from, spanKind)}) WHERE finite`;
}

/** Every judgement carried in the window, with `finite`: whether its score is absent or a finite number. */
export function judgementRows(from: string, spanKind: string): string {
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
             arrayFirst(v -> v != '', arrayMap(k -> ResourceAttributes[k], {environmentKeys:Array(String)})) AS environment,
             ${spanKind} = 'evaluator' AS is_evaluator, Links.SpanId[1] AS link_span,
             arrayJoin(${ALL}) AS j
      FROM ${from}
      WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64})
        AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})
        AND ${CARRIES})`;
}
