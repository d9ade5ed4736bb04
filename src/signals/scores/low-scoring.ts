/**
 * The traces a falling rubric scored low: below the baseline's (or CI's) mean, failed, or off its
 * usual label. The rubric's scored targets are read once per cycle (the stored judgements with
 * rollups, raw spans without; the baseline's as a hash sample) and the low ones picked here, sent
 * on as one query parameter. Patterns group them by input; the explanation reads what happened in
 * them (tools that failed, retrievers, prompts, agents).
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import { withStoredJudgements } from '../judge/rollups.ts';
import { FAIL_LABELS } from './sql.ts';
import { oncePerCycle } from './per-cycle.ts';
import type { Rubric } from '../../config/shape.ts';

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

/** One target a rubric scored: its latest score or label, whether it was scored in the current window. */
export interface ScoredTarget {
  trace_id: string;
  /** cityHash64(trace_id) as ClickHouse sends a UInt64: text. The sample's order, the same every cycle. */
  h: string;
  score: number | null;
  label: string;
  cur: number;
}

/** Which scored targets count as low for a verdict: how its rubric is judged and against what. */
export type LowTest =
  | { kind: 'all' }
  | { kind: 'threshold'; threshold: number; higherIsBetter: boolean }
  | { kind: 'failLabel' }
  | { kind: 'offLabel'; usual: string }
  | { kind: 'belowMean'; mean: number; higherIsBetter: boolean };

/** Whether one scored target is low under `test` (as the verdict's own statistic counts it). */
export function isLow(t: Pick<ScoredTarget, 'score' | 'label'>, test: LowTest): boolean {
  switch (test.kind) {
    case 'all':
      return true;
    case 'threshold':
      return t.score !== null && (test.higherIsBetter ? t.score < test.threshold : t.score >= test.threshold);
    case 'failLabel':
      return FAIL_LABELS.includes(t.label);
    case 'offLabel':
      return t.label !== test.usual;
    case 'belowMean':
      return t.score !== null && (test.higherIsBetter ? t.score < test.mean : t.score > test.mean);
  }
}

/**
 * The low targets' trace ids of the current window (`cur` 1) or of the baseline's sample (0): at
 * most `max`, the same ones every cycle (smallest trace-id hash first).
 */
export function pickLow(targets: readonly ScoredTarget[], test: LowTest, cur: 0 | 1, max = MAX_LOW_TRACES): string[] {
  const seen = new Set<string>();
  const mine = targets.filter((t) => Number(t.cur) === cur && isLow(t, test) && !seen.has(t.trace_id) && seen.add(t.trace_id));
  mine.sort((a, b) => byHash(a.h, b.h));
  return mine.slice(0, max).map((t) => t.trace_id);
}

/** Orders two UInt64s sent as decimal text: a shorter one is smaller, then digit by digit. */
export const byHash = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** How a drifting eval_score / eval_gap verdict tells its low targets; null for any other verdict. */
export function lowTest(verdict: SignalResult, rubrics: readonly Rubric[]): LowTest | null {
  const rubric = verdict.subject['rubric'];
  if ((verdict.signal !== 'eval_score' && verdict.signal !== 'eval_gap') || rubric === undefined || verdict.baseline === null) return null;
  const declared = rubrics.find((r) => r.name === rubric);
  const kind = verdict.evidence['kind'] ?? (verdict.evidence.unit === 'ratio' ? 'pass' : 'numeric');
  const higherIsBetter = declared?.higherIsBetter ?? true;
  if (kind === 'pass') return declared?.passThreshold !== undefined ? { kind: 'threshold', threshold: declared.passThreshold, higherIsBetter } : { kind: 'failLabel' };
  if (kind === 'labels') return { kind: 'offLabel', usual: String(verdict.evidence['label'] ?? '') };
  return { kind: 'belowMean', mean: verdict.baseline, higherIsBetter };
}

/**
 * The trace ids of a drifting eval_score / eval_gap verdict's low-scoring traces in the current
 * window, or in the baseline's sample; with `all`, of every trace the rubric scored there instead,
 * to compare with. Null for any other verdict. They travel as one query parameter.
 */
export async function lowScoringTraces(verdict: SignalResult, ctx: CollectContext, part: 'current' | 'baseline', all = false): Promise<string[] | null> {
  const test = lowTest(verdict, ctx.config.rubrics);
  if (!test) return null;
  const targets = await scoredTargets(verdict, ctx, part);
  return pickLow(targets, all ? { kind: 'all' } : test, part === 'current' ? 1 : 0);
}

/**
 * The targets the verdict's rubric scored, with their latest score and label: every one of the
 * current window, or (`baseline`) a deterministic hash sample of the week's (baselineSample), which
 * patterns read only when the current window has traces to group. From the stored judgements with
 * rollups, from raw spans without.
 */
function scoredTargets(verdict: SignalResult, ctx: CollectContext, part: 'current' | 'baseline'): Promise<ScoredTarget[]> {
  const { source, windows, rollups } = ctx;
  const rubric = verdict.subject['rubric']!;
  // Production's current count scaled to the baseline's length (a gap's own baseline is the CI run).
  const oneIn =
    part === 'current'
      ? 1
      : baselineSample(verdict.samples.current * ((windows.baseline.to.getTime() - windows.baseline.from.getTime()) / Math.max(1, windows.current.to.getTime() - windows.current.from.getTime())));
  // Read once per cycle, rubric and part: a rubric drifting against both its baseline and CI, and
  // its patterns and explanation, share them.
  return oncePerCycle(ctx, JSON.stringify(['scored targets', rubric, part, oneIn]), () => {
    const judgements = rollups ? withStoredJudgements(source, rollups).judgements() : source.judgements();
    const store = rollups?.store ?? ctx.store;
    return store.query<ScoredTarget>(
      `SELECT trace_id, cityHash64(trace_id) AS h, score, label, at >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur
     FROM (
       SELECT trace_id, argMax(score, ts) AS score, argMax(lower(label), ts) AS label, max(ts) AS at
       FROM (${judgements})
       WHERE rubric = {patternSubject:String} AND annotator != 'HUMAN' AND NOT ${OFFLINE_JUDGEMENT}
         AND (ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) OR cityHash64(trace_id) % {baselineSample:UInt64} = 0)
       GROUP BY trace_id, target)`,
      {
        ...source.params,
        ...rollups?.params,
        patternSubject: rubric,
        baselineSample: oneIn,
        fromMs: (part === 'current' ? windows.current.from : windows.baseline.from).getTime(),
        currentFromMs: windows.current.from.getTime(),
        toMs: windows.current.to.getTime(),
      },
      { comment: 'driftwatch low-scoring traces' },
    );
  });
}
