/**
 * Mergeable summaries kept per bucket and merged for any window. Each is deterministic under any
 * merge order (they are sums of counts, or sets cut at a fixed rank), so replicas, restarts and
 * backtests reach the same verdict.
 *
 * - Log-scale histogram (latency): a value x > 0 goes to bin floor(log(x) / log(GAMMA)). A bin
 *   spans a factor of GAMMA = 1.01, and a quantile is reported as its bin's geometric midpoint,
 *   so it is within ±0.5% of the exact order statistic.
 * - Exact-then-log histogram (input length): integer lengths up to EXACT_LIMIT keep their own
 *   bin (exact), longer ones share log bins as above.
 * - KMV (distinct documents): the K smallest distinct hash values, scaled to [0, 1); the estimate
 *   (K − 1) / u_K has a relative standard error of about 1/√(K − 2) (3% at K = 1024), and is exact
 *   when fewer than K distinct values were seen.
 */

export const GAMMA = 1.01;
/** Values at or below this (ms or characters) share the lowest bin. */
const FLOOR = 0.001;
const LOG_GAMMA = Math.log(GAMMA);
/** SQL: the log-histogram bin of a positive value expression. */
export const logBinSql = (expr: string) => `toInt32(floor(log(greatest(${expr}, ${FLOOR})) / log(${GAMMA})))`;
/** The log bin of a value, as logBinSql computes it. */
export const logBinOf = (x: number) => Math.floor(Math.log(Math.max(x, FLOOR)) / LOG_GAMMA);
/** The representative value of a log bin (its geometric midpoint). */
export const logBinValue = (bin: number) => Math.exp((bin + 0.5) * LOG_GAMMA);

export const EXACT_LIMIT = 2000;
/** Bins above this key are log bins of lengths beyond EXACT_LIMIT (offset so keys never collide). */
const LOG_OFFSET = 1_000_000;
/** SQL: the length-histogram key of an integer length expression. */
export const lengthBinSql = (expr: string) => `if(${expr} <= ${EXACT_LIMIT}, toInt32(${expr}), toInt32(${LOG_OFFSET} + floor(log(${expr}) / log(${GAMMA}))))`;
/** The length a length-histogram key stands for (exact below EXACT_LIMIT). */
export const lengthBinValue = (key: number) => (key < LOG_OFFSET ? key : Math.exp((key - LOG_OFFSET + 0.5) * LOG_GAMMA));

/** A histogram as it comes back from ClickHouse: a map from bin key to count. */
export type Histogram = Record<string, number>;

/** Bins in ascending order with their counts. */
export function sortedBins(h: Histogram): { key: number; count: number }[] {
  return Object.entries(h)
    .map(([k, c]) => ({ key: Number(k), count: Number(c) }))
    .filter((b) => b.count > 0)
    .sort((a, b) => a.key - b.key);
}

/** Adds histograms (the merge of two windows' buckets). */
export function mergeHistograms(...hs: Histogram[]): Histogram {
  const out: Histogram = {};
  for (const h of hs) for (const [k, c] of Object.entries(h)) out[k] = (out[k] ?? 0) + Number(c);
  return out;
}

/**
 * The bin holding the element of 0-based rank floor(q·n) (clamped to n − 1), the order statistic
 * ClickHouse's quantileExact returns; null for an empty histogram.
 */
export function quantileBin(h: Histogram, q: number): number | null {
  const bins = sortedBins(h);
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return null;
  const rank = Math.min(n - 1, Math.floor(q * n));
  let seen = 0;
  for (const b of bins) {
    seen += b.count;
    if (seen > rank) return b.key;
  }
  return bins[bins.length - 1]!.key;
}

/**
 * Count of values above the value that bin `key` stands for: every value in higher bins, and half
 * of the bin itself (the representative is the bin's midpoint; values inside a bin are not kept).
 */
export function countAbove(h: Histogram, key: number): number {
  return sortedBins(h).reduce((s, b) => (b.key > key ? s + b.count : b.key === key ? s + Math.floor(b.count / 2) : s), 0);
}

/** Count of values in bins whose value is at or below `value`. */
export function countAtOrBelow(h: Histogram, value: number, valueOfKey: (key: number) => number): number {
  return sortedBins(h).reduce((s, b) => (valueOfKey(b.key) <= value ? s + b.count : s), 0);
}

/**
 * Quantiles with linear interpolation between order statistics (type 7, ClickHouse's
 * quantilesExactInclusive), from a histogram whose bins stand for single values.
 */
export function quantilesInclusive(h: Histogram, levels: readonly number[], valueOfKey: (key: number) => number): number[] {
  const bins = sortedBins(h);
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return levels.map(() => Number.NaN);
  // Upper rank (exclusive) of each bin, for finding the k-th order statistic.
  const ends: number[] = [];
  let acc = 0;
  for (const b of bins) {
    acc += b.count;
    ends.push(acc);
  }
  const at = (k: number) => {
    let i = 0;
    while (ends[i]! <= k) i++;
    return valueOfKey(bins[i]!.key);
  };
  return levels.map((p) => {
    const h7 = (n - 1) * p;
    const lo = Math.floor(h7);
    const frac = h7 - lo;
    const a = at(lo);
    return frac === 0 ? a : a + frac * (at(Math.min(n - 1, lo + 1)) - a);
  });
}

export const KMV_K = 1024;

/** SQL: the hash fraction in [0, 1) a KMV sketch keeps for a string expression. */
export const kmvHashSql = (expr: string) => `cityHash64(${expr}) / 18446744073709551616.`;

/** Distinct-count estimate from a merged KMV sketch (the K smallest distinct hash fractions). */
export function kmvEstimate(sorted: readonly number[], k = KMV_K): number {
  if (sorted.length < k) return sorted.length;
  const uk = sorted[k - 1]!;
  return uk > 0 ? Math.round((k - 1) / uk) : sorted.length;
}
