/**
 * Agreement of two ranked lists: rank-biased overlap (Webber, Moffat & Zobel 2010, extrapolated
 * form, eq. 32, which handles lists of different lengths), Jaccard@k and top-1 change. No
 * maintained npm package gives RBO_ext for uneven lists, so it is written here and table-tested
 * against hand computations.
 */

/** Extrapolated RBO of two rankings (duplicates ignored after their first position); 1 for two empty lists. */
export function rankBiasedOverlap(a: readonly string[], b: readonly string[], p = 0.9): number {
  const [short, long] = a.length <= b.length ? [dedupe(a), dedupe(b)] : [dedupe(b), dedupe(a)];
  const s = short.length;
  const l = long.length;
  if (l === 0) return 1;
  if (s === 0) return 0;
  const seenShort = new Set<string>();
  const seenLong = new Set<string>();
  let overlap = 0; // X_d
  let sum = 0;
  let xs = 0;
  for (let d = 1; d <= l; d++) {
    const fromLong = long[d - 1]!;
    if (seenShort.has(fromLong)) overlap++;
    seenLong.add(fromLong);
    if (d <= s) {
      const fromShort = short[d - 1]!;
      if (seenLong.has(fromShort)) overlap++;
      seenShort.add(fromShort);
    }
    if (d === s) xs = overlap;
    sum += (overlap / d) * p ** d;
    if (d > s) sum += ((xs * (d - s)) / (s * d)) * p ** d;
  }
  const xl = overlap;
  return ((1 - p) / p) * sum + ((xl - xs) / l + xs / s) * p ** l;
}

/** |A ∩ B| / |A ∪ B| of the first k items of each; 1 for two empty lists. */
export function jaccardAtK(a: readonly string[], b: readonly string[], k: number): number {
  const sa = new Set(a.slice(0, k));
  const sb = new Set(b.slice(0, k));
  if (sa.size === 0 && sb.size === 0) return 1;
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  return shared / (sa.size + sb.size - shared);
}

/** Whether the first item differs (an empty list differs from a non-empty one). */
export function topOneChanged(a: readonly string[], b: readonly string[]): boolean {
  return a[0] !== b[0];
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}
