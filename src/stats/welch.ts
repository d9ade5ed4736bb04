/**
 * One-sided Welch t-test from summary statistics (means, sample variances, counts), so the
 * per-window summaries ClickHouse returns are enough; the t CDF comes from jstat.
 */
import jstatModule from 'jstat';

const { jStat } = jstatModule as unknown as typeof import('jstat');

export interface Summary {
  n: number;
  mean: number;
  variance: number;
}

/** p-value of H1: mean(current) < mean(baseline); 1 when either side has fewer than 2 values. */
export function welchLess(current: Summary, baseline: Summary): { t: number; df: number; pValue: number } {
  if (current.n < 2 || baseline.n < 2) return { t: 0, df: 0, pValue: 1 };
  const vc = current.variance / current.n;
  const vb = baseline.variance / baseline.n;
  const se = Math.sqrt(vc + vb);
  if (se === 0) return { t: 0, df: current.n + baseline.n - 2, pValue: current.mean < baseline.mean ? 0 : 1 };
  const t = (current.mean - baseline.mean) / se;
  const df = (vc + vb) ** 2 / (vc ** 2 / (current.n - 1) + vb ** 2 / (baseline.n - 1));
  return { t, df, pValue: jStat.studentt.cdf(t, df) };
}

/** Student t CDF (exposed for its table test). */
export function studentTCdf(t: number, df: number): number {
  return jStat.studentt.cdf(t, df);
}
