/**
 * Tests for "did a rate go up": the two-proportion z-test for large counts and Fisher's exact
 * test for small ones, plus the Wilson interval for one rate. None of these is in
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
  let p = 0;
  for (let k = a; k <= hi; k++) {
    if (col1 - k > row2) continue;
    p += Math.exp(logChoose(row1, k) + logChoose(row2, col1 - k) - logDenominator);
  }
  return { test: 'fisher exact', pValue: Math.min(1, p) };
}

/**
 * Picks the test by the usual rule: Fisher's exact when any expected cell of the 2×2 table is
 * below 5, else the z-test.
 */
export function rateIncreaseTest(c: TwoCounts): ProportionTest {
  const n = c.baselineTotal + c.currentTotal;
  const events = c.baselineEvents + c.currentEvents;
  const nonEvents = n - events;
  const minExpected = n === 0 ? 0 : (Math.min(c.baselineTotal, c.currentTotal) * Math.min(events, nonEvents)) / n;
  return minExpected < 5 ? fisherExactGreater(c) : twoProportionZTest(c);
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
