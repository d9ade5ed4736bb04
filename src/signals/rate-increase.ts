/**
 * The shared measurement for "a rate went up" (error rate, retry rate, share of slow calls):
 * enough samples, then a one-sided test and its practical effect (enough events, a large enough
 * absolute and relative increase), for the decide stage to settle. Pure: counts and thresholds in.
 */
import { rateIncreaseTest, type TwoCounts } from '../stats/proportions.ts';
import type { Finding } from '../core/verdict.ts';
import { formatP, pp } from '../core/format.ts';

export interface RateThresholds {
  minSamples: number;
  minEvents: number;
  alpha: number;
  minAbsoluteIncrease: number;
  minRelativeIncrease: number;
}

interface Rates {
  current: number | null;
  baseline: number | null;
}

/** Too few samples to test: why, in one clause. */
export type TooFew = Rates & { status: 'no_data'; reason: string };
/** Tested: its p-value and the finding the decide stage settles. */
export type RateFinding = Rates & { status: 'tested'; pValue: number; test: string; finding: Finding };

/** Measures and tests whether the current rate rose above the baseline rate. */
export function measureRateIncrease(counts: TwoCounts, t: RateThresholds, unitNoun: string): TooFew | RateFinding {
  const { baselineEvents, baselineTotal, currentEvents, currentTotal } = counts;
  const current = currentTotal > 0 ? currentEvents / currentTotal : null;
  const baseline = baselineTotal > 0 ? baselineEvents / baselineTotal : null;
  if (currentTotal < t.minSamples || baselineTotal < t.minSamples) {
    return {
      status: 'no_data',
      current,
      baseline,
      reason: `not enough data: ${currentTotal} ${unitNoun} in the current window and ${baselineTotal} in the baseline, ${t.minSamples} needed in each`,
    };
  }
  const { test, pValue } = rateIncreaseTest(counts);
  const rc = current ?? 0;
  const rb = baseline ?? 0;
  const absolute = rc - rb;
  const relative = rb === 0 ? (rc > 0 ? Infinity : 1) : rc / rb;
  const practical =
    currentEvents < t.minEvents
      ? `only ${currentEvents} events in the current window, ${t.minEvents} needed`
      : absolute >= t.minAbsoluteIncrease && relative >= t.minRelativeIncrease
        ? true
        : `below the practical threshold (needs +${pp(t.minAbsoluteIncrease)} and ×${t.minRelativeIncrease})`;
  const meaning = `significant (${test}, p=${formatP(pValue)}) and practical (+${pp(absolute)}, ×${relative === Infinity ? '∞' : relative.toFixed(1)})`;
  return { status: 'tested', current, baseline, pValue, test, finding: { alpha: t.alpha, practical, meaning } };
}
