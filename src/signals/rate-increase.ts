/**
 * The shared decision for "a rate went up" (error rate, retry rate, share of slow calls):
 * enough samples, enough events, a significant one-sided test and a practical effect.
 * Pure: counts and thresholds in, verdict out.
 */
import { rateIncreaseTest, type TwoCounts } from '../stats/proportions.ts';
import type { Status } from '../core/verdict.ts';
import { formatP, pp } from '../core/format.ts';

export interface RateThresholds {
  minSamples: number;
  minEvents: number;
  alpha: number;
  minAbsoluteIncrease: number;
  minRelativeIncrease: number;
}

export interface RateVerdict {
  status: Exclude<Status, 'error'>;
  current: number | null;
  baseline: number | null;
  pValue: number | null;
  test: string | null;
  /** Why the verdict is what it is, in one clause. */
  reason: string;
}

/** Decides whether the current rate drifted above the baseline rate. */
export function decideRateIncrease(counts: TwoCounts, t: RateThresholds, unitNoun: string): RateVerdict {
  const { baselineEvents, baselineTotal, currentEvents, currentTotal } = counts;
  const current = currentTotal > 0 ? currentEvents / currentTotal : null;
  const baseline = baselineTotal > 0 ? baselineEvents / baselineTotal : null;
  if (currentTotal < t.minSamples || baselineTotal < t.minSamples) {
    return {
      status: 'no_data',
      current,
      baseline,
      pValue: null,
      test: null,
      reason: `not enough data: ${currentTotal} ${unitNoun} in the current window and ${baselineTotal} in the baseline, ${t.minSamples} needed in each`,
    };
  }
  const { test, pValue } = rateIncreaseTest(counts);
  const rc = current ?? 0;
  const rb = baseline ?? 0;
  const absolute = rc - rb;
  const relative = rb === 0 ? (rc > 0 ? Infinity : 1) : rc / rb;
  const practical = absolute >= t.minAbsoluteIncrease && relative >= t.minRelativeIncrease;
  const enoughEvents = currentEvents >= t.minEvents;
  const significant = pValue < t.alpha;
  const drift = practical && enoughEvents && significant;
  const reason = drift
    ? `significant (${test}, p=${formatP(pValue)}) and practical (+${pp(absolute)}, ×${relative === Infinity ? '∞' : relative.toFixed(1)})`
    : !enoughEvents
      ? `only ${currentEvents} events in the current window, ${t.minEvents} needed`
      : !significant
        ? `not significant (${test}, p=${formatP(pValue)} ≥ ${t.alpha})`
        : `below the practical threshold (needs +${pp(t.minAbsoluteIncrease)} and ×${t.minRelativeIncrease})`;
  return { status: drift ? 'drift' : 'ok', current, baseline, pValue, test, reason };
}
