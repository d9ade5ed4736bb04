/**
 * Exact binomial upper tails, summed in log space (simple-statistics' binomialDistribution
 * returns a table, not a tail). The one-sided sign test, P(X ≥ positives) for X ~ Binomial(n, ½)
 * with ties dropped, is the paired test for "got worse on more items than it got better" and, on
 * discordant pairs, McNemar's exact test.
 */
import { gammaln } from 'simple-statistics';

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logChoose = (i: number) => gammaln(n + 1) - gammaln(i + 1) - gammaln(n - i + 1);
  let tail = 0;
  for (let i = k; i <= n; i++) tail += Math.exp(logChoose(i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, tail);
}

/** One-sided sign test: P(X ≥ positives), X ~ Binomial(positives + negatives, ½). */
export function signTestGreater(positives: number, negatives: number): number {
  return positives === 0 ? 1 : binomialUpperTail(positives, positives + negatives, 0.5);
}
