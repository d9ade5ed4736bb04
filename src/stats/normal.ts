/** Standard normal tail probabilities, from jstat (simple-statistics' table is too coarse for small p). */
import jstatModule from 'jstat';

const { jStat } = jstatModule as unknown as typeof import('jstat');

/** P(Z ≥ z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  // 1 - cdf loses precision far in the tail; use symmetry there.
  return z > 0 ? jStat.normal.cdf(-z, 0, 1) : 1 - jStat.normal.cdf(z, 0, 1);
}

/** The z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}
