/**
 * Agreement between two raters: raw agreement, Cohen's κ for labels, weighted κ (quadratic or
 * linear disagreement weights) for ordinal scores, label prevalence, and a seeded percentile
 * bootstrap over items. No maintained npm package covers weighted κ, so these are written here
 * and table-tested against hand computations (agreement.test.ts).
 */

export type Pair<T> = readonly [T, T];

/** Share of items where both raters gave the same value. */
export function rawAgreement<T>(pairs: readonly Pair<T>[]): number {
  if (pairs.length === 0) return NaN;
  return pairs.filter(([a, b]) => a === b).length / pairs.length;
}

/** Cohen's κ = (p_o − p_e) / (1 − p_e); 1 when both raters used one identical category throughout. */
export function cohenKappa<T>(pairs: readonly Pair<T>[]): number {
  const n = pairs.length;
  if (n === 0) return NaN;
  const first = new Map<T, number>();
  const second = new Map<T, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
    if (a === b) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (const [category, count] of first) pe += (count / n) * ((second.get(category) ?? 0) / n);
  if (pe === 1) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}

/**
 * Weighted κ = 1 − Σ w·O / Σ w·E over the given ordered categories, with disagreement weights
 * |i−j|² (quadratic, the usual choice for 1–5 rubrics) or |i−j| (linear). Values outside
 * `categories` are ignored.
 */
export function weightedKappa(pairs: readonly Pair<number>[], categories: readonly number[], weighting: 'quadratic' | 'linear' = 'quadratic'): number {
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  for (const [a, b] of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) continue;
    observed[i]![j]!++;
    n++;
  }
  if (n === 0) return NaN;
  const rows = observed.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = categories.map((_, j) => observed.reduce((s, r) => s + r[j]!, 0));
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weighting === 'quadratic' ? (i - j) ** 2 : Math.abs(i - j);
      num += w * observed[i]![j]!;
      den += (w * rows[i]! * cols[j]!) / n;
    }
  }
  if (den === 0) return num === 0 ? 1 : 0;
  return 1 - num / den;
}

/** Share of each value among the second rater's (the human's) values. */
export function prevalence<T>(pairs: readonly Pair<T>[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const [, b] of pairs) counts.set(String(b), (counts.get(String(b)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / pairs.length]));
}

export interface BootstrapResult {
  low: number;
  high: number;
  /** Standard deviation of the bootstrap replicates. */
  se: number;
}

/** Percentile bootstrap over items with a seeded generator, so replicas agree on the interval. */
export function bootstrap<T>(items: readonly T[], statistic: (sample: T[]) => number, resamples: number, confidence: number, random: () => number): BootstrapResult {
  if (items.length === 0) return { low: NaN, high: NaN, se: NaN };
  const values: number[] = [];
  const sample = new Array<T>(items.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < items.length; i++) sample[i] = items[Math.floor(random() * items.length)]!;
    const v = statistic(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(p * values.length)))]!;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const se = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { low: q((1 - confidence) / 2), high: q(1 - (1 - confidence) / 2), se };
}

/** A small, fast, seeded generator (mulberry32) for bootstraps. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
