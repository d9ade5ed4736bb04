/**
 * The traces a falling rubric scored low: below the baseline's (or CI's) mean, failed, or off its
 * usual label. With rollups they come from the stored judgements (a hash sample, sent on as one
 * query parameter, so a week of judgements is not re-read from raw spans); without them, as a
 * subquery over the raw judgements. Patterns group them by input; the explanation reads what
 * happened in them (tools that failed, retrievers, prompts, agents).
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import type { QueryParams } from '../../clickhouse/store.ts';
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import { withStoredJudgements } from '../judge/rollups.ts';
import { FAIL_LABELS } from './sql.ts';

/**
 * At most this many low-scoring traces of the current window, and as many of the baseline, are
 * looked up in the trace store (a hash sample; they travel as one query parameter).
 */
const MAX_LOW_TRACES = 2_500;

/**
 * One baseline trace in this many is looked at (by a hash of its id, the same every cycle), or in
 * more when the baseline is so busy that even that would group far more traces than are kept.
 */
const BASELINE_SAMPLE = 8;

/** The baseline sample keeps about this many times MAX_LOW_TRACES scored targets. */
const BASELINE_HEADROOM = 8;

/** 1 in how many baseline traces is read: 8, or more for a baseline of more than 160,000 scored targets (an estimate is enough). */
export function baselineSample(baselineTargets: number): number {
  return Math.max(BASELINE_SAMPLE, Math.floor(baselineTargets / (BASELINE_HEADROOM * MAX_LOW_TRACES)));
}

export interface LowScoring {
  /** A set of trace ids for `trace_id IN …`: a parameter, or a subquery over raw judgements. */
  set: string;
  params: QueryParams;
}

/**
 * The low-scoring traces of a drifting eval_score / eval_gap verdict, in the current window (and,
 * with `baseline`, the baseline's too); with `all`, every trace the rubric scored there instead,
 * to compare with. Null for any other verdict.
 */
export async function lowScoringTraces(
  verdict: SignalResult,
  { source, config, windows, rollups }: CollectContext,
  baseline: boolean,
  all = false,
  /** The parameter the set travels in with rollups (two sets in one query need two names). */
  param = 'lowTraces',
): Promise<LowScoring | null> {
  const rubric = verdict.subject['rubric'];
  if ((verdict.signal !== 'eval_score' && verdict.signal !== 'eval_gap') || rubric === undefined || verdict.baseline === null) return null;
  const declared = config.rubrics.find((r) => r.name === rubric);
  const kind = verdict.evidence['kind'] ?? (verdict.evidence.unit === 'ratio' ? 'pass' : 'numeric');
  const higher = declared?.higherIsBetter ?? true;
  const low = all
    ? '1'
    : kind === 'pass'
      ? declared?.passThreshold !== undefined
        ? `isNotNull(score) AND assumeNotNull(score) ${higher ? '<' : '>='} {passThreshold:Float64}`
        : 'label IN {failLabels:Array(String)}'
      : kind === 'labels'
        ? 'label != {usualLabel:String}'
        : `isNotNull(score) AND assumeNotNull(score) ${higher ? '<' : '>'} {usualScore:Float64}`;
  const params = {
    ...source.params,
    patternSubject: rubric,
    failLabels: FAIL_LABELS,
    passThreshold: declared?.passThreshold ?? 0,
    usualLabel: String(verdict.evidence['label'] ?? ''),
    usualScore: verdict.baseline,
    // Production's current count scaled to the baseline's length (a gap's own baseline is the CI run).
    baselineSample: baselineSample(
      verdict.samples.current * ((windows.baseline.to.getTime() - windows.baseline.from.getTime()) / Math.max(1, windows.current.to.getTime() - windows.current.from.getTime())),
    ),
  };
  // The baseline's traces are a deterministic hash sample (baselineSample), so a week of judgements
  // is not grouped whole for a few thousand examples; the current window's are all read.
  const scored = (judgements: string) => `
        SELECT trace_id, argMax(score, ts) AS score, argMax(lower(label), ts) AS label, max(ts) AS at
        FROM (${judgements})
        WHERE rubric = {patternSubject:String} AND annotator != 'HUMAN' AND NOT ${OFFLINE_JUDGEMENT}
          AND (ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) OR cityHash64(trace_id) % {baselineSample:UInt64} = 0)
        GROUP BY trace_id, target`;
  const from = baseline ? windows.baseline.from : windows.current.from;
  if (!rollups)
    return {
      set: `(SELECT trace_id FROM (${scored(source.judgements())}) WHERE ${low} AND at >= fromUnixTimestamp64Milli({lowFromMs:Int64}))`,
      params: { ...params, lowFromMs: from.getTime(), currentFromMs: windows.current.from.getTime() },
    };
  const stored = withStoredJudgements(source, rollups);
  const rows = await rollups.store.query<{ trace_id: string }>(
    `SELECT DISTINCT trace_id, at >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur FROM (${scored(stored.judgements())})
     WHERE ${low} ORDER BY cityHash64(trace_id) LIMIT ${MAX_LOW_TRACES} BY cur`,
    { ...params, ...rollups.params, fromMs: from.getTime(), currentFromMs: windows.current.from.getTime(), toMs: windows.current.to.getTime() },
    { comment: 'driftwatch low-scoring traces' },
  );
  return { set: `{${param}:Array(String)}`, params: { ...params, [param]: rows.map((r) => r.trace_id) } };
}
