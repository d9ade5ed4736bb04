/**
 * Patterns behind a falling rubric: the traces it scored low (below the baseline's or CI's mean,
 * failed, or off the usual label), grouped by what their users asked, so a pattern names the kind
 * of input production brings that the eval set does not score well. With rollups the low-scoring
 * traces come from the stored judgements (a week of judgements is not re-read from raw spans) and
 * only their roots are read from the trace store; without them, both from raw spans.
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { withStoredJudgements } from '../judge/rollups.ts';
import { FAIL_LABELS } from './sql.ts';

/**
 * At most this many low-scoring traces of the current window, and as many of the baseline, are
 * looked up in the trace store (a hash sample; they travel as one query parameter).
 */
const MAX_LOW_TRACES = 2_500;

export const scoresPatterns: PatternSpec = {
  async affected(verdict, { store, source, config, windows, rollups }) {
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
    const params = {
      ...source.params,
      patternSubject: rubric,
      offlineEnvironments: source.conventions.offlineEnvironments,
      failLabels: FAIL_LABELS,
      passThreshold: declared?.passThreshold ?? 0,
      usualLabel: String(verdict.evidence['label'] ?? ''),
      usualScore: verdict.baseline,
    };
    const scored = (judgements: string) => `
          SELECT trace_id, argMax(score, ts) AS score, argMax(lower(label), ts) AS label, max(ts) AS at
          FROM (${judgements})
          WHERE rubric = {patternSubject:String} AND annotator != 'HUMAN' AND environment NOT IN {offlineEnvironments:Array(String)}
          GROUP BY trace_id, target`;
    let lowTraces: string;
    let lowParams = {};
    if (rollups) {
      const stored = withStoredJudgements(source, rollups);
      const rows = await rollups.store.query<{ trace_id: string }>(
        `SELECT DISTINCT trace_id, at >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur FROM (${scored(stored.judgements())})
         WHERE ${low} ORDER BY cityHash64(trace_id) LIMIT ${MAX_LOW_TRACES} BY cur`,
        { ...params, ...rollups.params, fromMs: windows.baseline.from.getTime(), currentFromMs: windows.current.from.getTime(), toMs: windows.current.to.getTime() },
        { comment: 'driftwatch patterns scores' },
      );
      lowTraces = '{lowTraces:Array(String)}';
      lowParams = { lowTraces: rows.map((r) => r.trace_id) };
    } else lowTraces = `(SELECT trace_id FROM (${scored(source.judgements())}) WHERE ${low})`;
    return {
      by: 'text',
      sql: `
        SELECT trace_id, '' AS signature, lowerUTF8(left(input, 1000)) AS text
        FROM (${source.traceRoots()})
        WHERE input != '' AND trace_id IN ${lowTraces}
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...params, ...lowParams },
      store,
    };
  },
};
