/**
 * Judge–human pairs: per rubric and judged target, the latest LLM verdict and the human labels
 * (ordered by who gave them), for targets that carry at least one human label. Human labels are
 * sparse, so this is small; a deterministic sample caps it per rubric and window.
 */
import type { TraceSource } from '../../sources/source.ts';

export interface JudgedTargetRow {
  rubric: string;
  cur: number;
  target: string;
  trace_id: string;
  judge: string;
  judge_n: number;
  humans: string[];
}

const VALUE = `if(label != '', label, if(isNull(score), '', toString(score)))`;

/**
 * Per judged target (aggregated over its judgements): the latest LLM verdict `judge`, how many LLM
 * verdicts `judge_n`, and the human labels `humans` ordered by who gave them.
 */
export const TARGET_VERDICTS = `argMaxIf(${VALUE}, ts, annotator = 'LLM') AS judge,
             countIf(annotator = 'LLM') AS judge_n,
             arrayMap(x -> x.2, arraySort(groupArrayIf((identifier, ${VALUE}), annotator = 'HUMAN'))) AS humans`;

/**
 * With `humanLabelled` (a relation of the same judgements, or of the human ones only) the targets
 * without a human label are dropped before the grouping: a semi-join on the few human-labelled
 * targets, so a busy online evaluator's judgements (hundreds of thousands a week, nearly none
 * labelled by a human) are filtered, not grouped. It reads judgements twice, which is cheap on
 * stored judgements (the human ones are read first there) and not on raw spans, so only the
 * rollups ask.
 */
export const judgedTargetsSql = (source: TraceSource, { humanLabelled }: { humanLabelled?: TraceSource } = {}) => `
    WITH j AS (${source.judgements()})
    SELECT rubric, cur, target, trace_id, judge, judge_n, humans
    FROM (
      SELECT rubric, target,
             min(ts) >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur,
             ${TARGET_VERDICTS},
             min(trace_id) AS trace_id
      FROM j
      ${humanLabelled ? `WHERE (rubric, target) IN (SELECT rubric, target FROM (${humanLabelled.judgements()}) WHERE annotator = 'HUMAN')` : ''}
      GROUP BY rubric, target
      HAVING length(humans) > 0)
    ORDER BY rubric, cur, cityHash64(target)
    LIMIT {maxPairs:UInt32} BY rubric, cur`;
