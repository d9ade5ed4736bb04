/**
 * Patterns behind a falling rubric: the traces it scored low (below the baseline's or CI's mean,
 * failed, or off the usual label), grouped by what their users asked, so a pattern names the kind
 * of input production brings that the eval set does not score well. Read from the trace store,
 * where the judgements and the inputs both are.
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { FAIL_LABELS } from './sql.ts';

export const scoresPatterns: PatternSpec = {
  affected(verdict, { store, source, config }) {
    const rubric = verdict.subject['rubric'];
    if ((verdict.signal !== 'eval_score' && verdict.signal !== 'eval_gap') || rubric === undefined || verdict.baseline === null) return null;
    const declared = config.rubrics.find((r) => r.name === rubric);
    const kind = verdict.evidence['kind'] ?? (verdict.evidence.unit === 'ratio' ? 'pass' : 'numeric');
    const higher = declared?.higherIsBetter ?? true;
    const low =
      kind === 'pass'
        ? declared?.passThreshold !== undefined
          ? `isNotNull(score) AND assumeNotNull(score) ${higher ? '<' : '>='} {passThreshold:Float64}`
          : 'label IN {failLabels:Array(String)}'
        : kind === 'labels'
          ? 'label != {usualLabel:String}'
          : `isNotNull(score) AND assumeNotNull(score) ${higher ? '<' : '>'} {usualScore:Float64}`;
    return {
      by: 'text',
      sql: `
        WITH scored AS (
          SELECT trace_id, argMax(score, ts) AS score, argMax(lower(label), ts) AS label
          FROM (${source.judgements()})
          WHERE rubric = {patternSubject:String} AND annotator != 'HUMAN' AND environment NOT IN {offlineEnvironments:Array(String)}
          GROUP BY trace_id, target)
        SELECT trace_id, '' AS signature, lowerUTF8(left(input, 1000)) AS text
        FROM (${source.traceRoots()})
        WHERE input != '' AND trace_id IN (SELECT trace_id FROM scored WHERE ${low})
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: {
        ...source.params,
        patternSubject: rubric,
        offlineEnvironments: source.conventions.offlineEnvironments,
        failLabels: FAIL_LABELS,
        passThreshold: declared?.passThreshold ?? 0,
        usualLabel: String(verdict.evidence['label'] ?? ''),
        usualScore: verdict.baseline,
      },
      store,
    };
  },
};
