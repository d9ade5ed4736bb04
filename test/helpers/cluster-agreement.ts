/**
 * How well clusters match known classes: purity (share of clustered items in their cluster's
 * majority class) and the adjusted Rand index (Hubert & Arabie 1985: pair agreement corrected for
 * chance; 1 identical, about 0 random). Both over the clustered items only; noise is reported apart.
 */
export function purity(clusters: readonly number[], classes: readonly string[]): number {
  const counts = new Map<number, Map<string, number>>();
  clusters.forEach((c, i) => {
    const m = counts.get(c) ?? new Map<string, number>();
    m.set(classes[i]!, (m.get(classes[i]!) ?? 0) + 1);
    counts.set(c, m);
  });
  const majority = [...counts.values()].reduce((s, m) => s + Math.max(...m.values()), 0);
  return clusters.length > 0 ? majority / clusters.length : 0;
}

export function adjustedRandIndex(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  const n = a.length;
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<number | string, number>();
  const cols = new Map<number | string, number>();
  a.forEach((x, i) => {
    const key = JSON.stringify([x, b[i]]);
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  });
  const index = [...table.values()].reduce((s, x) => s + pairs(x), 0);
  const sumRows = [...rows.values()].reduce((s, x) => s + pairs(x), 0);
  const sumCols = [...cols.values()].reduce((s, x) => s + pairs(x), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
