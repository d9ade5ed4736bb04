/**
 * Judge scores carried on spans as OpenInference reserved attributes:
 * `evaluations.{i}.evaluation.{name,score}` and `annotations.{i}.annotation.{name,score}`
 * (../shared/docs/trace-conventions.md §3). The first 10 of each are read.
 */
const MAX_PER_SPAN = 10;

const entries = (prefix: 'evaluations' | 'annotations', field: 'evaluation' | 'annotation') =>
  `arrayMap(i -> (SpanAttributes[concat('${prefix}.', toString(i), '.${field}.name')], toFloat64OrNull(SpanAttributes[concat('${prefix}.', toString(i), '.${field}.score')])), range(${MAX_PER_SPAN}))`;

/** Array of (name, score) pairs of a span, empty names dropped. */
export const JUDGE_SCORES = `arrayFilter(x -> x.1 != '', arrayConcat(${entries('evaluations', 'evaluation')}, ${entries('annotations', 'annotation')}))`;
