/**
 * Exact one-sided sign test: P(X ≥ positives) for X ~ Binomial(positives + negatives, 1/2), ties
 * dropped. It is the paired test for "got worse on more items than it got better" (per-query RBO
 * against its noise floor) and, on discordant pairs, McNemar's exact test. Written here because
 * simple-statistics' binomialDistribution returns a table, not a tail; sums in log space.
 */
import { gammaln } from 'simple-statistics';

export function signTestGreater(positives: number, negatives: number): number {
  const n = positives + negatives;
  if (n === 0 || positives === 0) return 1;
  const logChoose = (k: number) => gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
  let p = 0;
  for (let k = positives; k <= n; k++) p += Math.exp(logChoose(k) - n * Math.LN2);
  return Math.min(1, p);
}
