/**
 * Distribution-shift statistics that simple-statistics and jstat do not provide in this form:
 * the two-sample Kolmogorov–Smirnov p-value (asymptotic, with Stephens' small-sample correction),
 * the population stability index over fixed bins, the Jensen–Shannon distance and a chi-square
 * test of homogeneity (CDF from jstat). Table-tested in distribution.test.ts.
 */
import jstatModule from 'jstat';

const { jStat } = jstatModule as unknown as typeof import('jstat');

/** Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}, the Kolmogorov distribution's upper tail. */
export function kolmogorovTail(lambda: number): number {
  if (lambda <= 0) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** p-value of the two-sample KS statistic D for samples of n1 and n2 values. */
export function ksPValue(d: number, n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  const ne = Math.sqrt((n1 * n2) / (n1 + n2));
  return kolmogorovTail((ne + 0.12 + 0.11 / ne) * d);
}

/** PSI = Σ (c_i − r_i)·ln(c_i / r_i) over bin shares; empty bins get `epsilon` so the sum stays finite. */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[], epsilon = 1e-4): number {
  const shares = (counts: readonly number[]) => {
    const total = counts.reduce((s, x) => s + x, 0);
    return counts.map((x) => Math.max(total > 0 ? x / total : 0, epsilon));
  };
  const r = shares(reference);
  const c = shares(current);
  return r.reduce((sum, ri, i) => sum + (c[i]! - ri) * Math.log(c[i]! / ri), 0);
}

/** Jensen–Shannon distance (base 2, in [0, 1]) between two count or share vectors over the same categories. */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const norm = (v: readonly number[]) => {
    const total = v.reduce((s, x) => s + x, 0);
    return v.map((x) => (total > 0 ? x / total : 0));
  };
  const a = norm(p);
  const b = norm(q);
  const kl = (x: number[], m: number[]) => x.reduce((s, xi, i) => (xi > 0 ? s + xi * Math.log2(xi / m[i]!) : s), 0);
  const m = a.map((ai, i) => (ai + b[i]!) / 2);
  return Math.sqrt(Math.max(0, (kl(a, m) + kl(b, m)) / 2));
}

/**
 * Chi-square test of homogeneity of two count vectors over the same categories. Categories whose
 * expected count is below 5 in either row are merged into one, the usual validity rule.
 */
export function chiSquareHomogeneity(a: readonly number[], b: readonly number[]): { statistic: number; df: number; pValue: number } {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const n = na + nb;
  if (na === 0 || nb === 0) return { statistic: 0, df: 0, pValue: 1 };
  const kept: [number, number][] = [];
  let restA = 0;
  let restB = 0;
  a.forEach((ai, i) => {
    const col = ai + b[i]!;
    if ((col * Math.min(na, nb)) / n >= 5) kept.push([ai, b[i]!]);
    else {
      restA += ai;
      restB += b[i]!;
    }
  });
  if (restA + restB > 0) kept.push([restA, restB]);
  if (kept.length < 2) return { statistic: 0, df: 0, pValue: 1 };
  let statistic = 0;
  for (const [ai, bi] of kept) {
    const col = ai + bi;
    const ea = (col * na) / n;
    const eb = (col * nb) / n;
    statistic += (ai - ea) ** 2 / ea + (bi - eb) ** 2 / eb;
  }
  const df = kept.length - 1;
  return { statistic, df, pValue: 1 - jStat.chisquare.cdf(statistic, df) };
}
