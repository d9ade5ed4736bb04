/**
 * Tests for "did a rate go up": Fisher's exact test (and the two-proportion z-test, kept for
 * rates that did not rise and as a reference), plus the Wilson interval for one rate. None of these is in
 * simple-statistics or jstat in this form, so they are written here and table-tested
 * against R/scipy reference values (see proportions.test.ts).
 */
import { gammaln } from 'simple-statistics';
import { normalQuantile, normalUpperTail } from './normal.ts';

/** Counts of events in two windows. */
export interface TwoCounts {
  baselineEvents: number;
  baselineTotal: number;
  currentEvents: number;
  currentTotal: number;
}

/** Result of a one-sided test that the current rate exceeds the baseline rate. */
export interface ProportionTest {
  test: 'two-proportion z' | 'fisher exact';
  pValue: number;
  /** The z statistic, for the z-test only. */
  statistic?: number;
}

/**
 * One-sided pooled two-proportion z-test of H1: p_current > p_baseline.
 * Equals R's prop.test(correct = FALSE, alternative = "greater").
 */
export function twoProportionZTest(c: TwoCounts): ProportionTest {
  const { baselineEvents: xb, baselineTotal: nb, currentEvents: xc, currentTotal: nc } = c;
  if (nb === 0 || nc === 0) return { test: 'two-proportion z', pValue: 1, statistic: 0 };
  const pooled = (xb + xc) / (nb + nc);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nb + 1 / nc));
  if (se === 0) return { test: 'two-proportion z', pValue: 1, statistic: 0 };
  const z = (xc / nc - xb / nb) / se;
  return { test: 'two-proportion z', pValue: normalUpperTail(z), statistic: z };
}

function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/**
 * One-sided Fisher exact test of H1: p_current > p_baseline, i.e. the probability of at least
 * `currentEvents` events in the current window given the margins (scipy alternative="greater"
 * on [[currentEvents, currentTotal-currentEvents], [baselineEvents, baselineTotal-baselineEvents]]).
 */
export function fisherExactGreater(c: TwoCounts): ProportionTest {
  const a = c.currentEvents;
  const row1 = c.currentTotal;
  const row2 = c.baselineTotal;
  const col1 = c.currentEvents + c.baselineEvents;
  const n = row1 + row2;
  if (row1 === 0 || row2 === 0 || col1 === 0) return { test: 'fisher exact', pValue: 1 };
  const logDenominator = logChoose(n, col1);
  const hi = Math.min(row1, col1);
  // Beyond the mode the terms only shrink: stop once they no longer change the sum.
  const mode = Math.floor(((row1 + 1) * (col1 + 1)) / (n + 2));
  let p = 0;
  for (let k = a; k <= hi; k++) {
    if (col1 - k > row2) continue;
    const term = Math.exp(logChoose(row1, k) + logChoose(row2, col1 - k) - logDenominator);
    p += term;
    if (k > mode && term < p * 1e-17) break;
  }
  // A tail beyond a double's range is reported as the smallest positive double, not as 0 ("certain").
  return { test: 'fisher exact', pValue: Math.min(1, Math.max(p, a > 0 ? Number.MIN_VALUE : 0)) };
}

/**
 * The test for "did the rate go up": Fisher's exact one-sided test whenever the current rate is
 * above the baseline's. The normal approximation is not used for large counts either: its tail is
 * far too light for rare events (16 errors in 270 calls against a 2% baseline is z = 4.6,
 * p = 2e-6, while the exact tail is 1.6e-4), and at α = 0.001 over thousands of tests a week that
 * difference is a false alarm a week. A rate that did not go up gets the z-test (p ≥ 0.5).
 */
export function rateIncreaseTest(c: TwoCounts): ProportionTest {
  const up = c.currentTotal > 0 && c.baselineTotal > 0 && c.currentEvents / c.currentTotal > c.baselineEvents / c.baselineTotal;
  return up ? fisherExactGreater(c) : twoProportionZTest(c);
}

/** Wilson score interval for one proportion at the given confidence. */
export function wilsonInterval(events: number, total: number, confidence = 0.95): { low: number; high: number } {
  if (total === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = events / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
