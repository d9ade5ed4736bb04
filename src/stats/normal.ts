/**
 * Standard normal tail probabilities: jstat's erfc for moderate z (simple-statistics' table is
 * too coarse), and the asymptotic Mills-ratio series beyond z = 7, where jstat underflows to 0
 * and a p-value of 0 would say "certain" instead of "astronomically unlikely".
 */
import jstatModule from 'jstat';

const { jStat } = jstatModule as unknown as typeof import('jstat');

/** P(Z ≥ z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  if (z > 7) {
    // Q(z) ≈ φ(z)/z · (1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸); relative error < 1e-6 for z > 7.
    const z2 = z * z;
    const density = Math.exp(-z2 / 2) / Math.sqrt(2 * Math.PI);
    return (density / z) * (1 - 1 / z2 + 3 / z2 ** 2 - 15 / z2 ** 3 + 105 / z2 ** 4);
  }
  // 1 - cdf loses precision in the upper tail; use symmetry there.
  return z > 0 ? jStat.normal.cdf(-z, 0, 1) : 1 - jStat.normal.cdf(z, 0, 1);
}

/** The z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}
