// HDBSCAN on small point sets whose condensed trees are worked out by hand from the definitions
// (Campello et al. 2013): λ = 1/distance, stability Σ (λ_leave − λ_birth) × size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { condense, coreDistances, hdbscan, minimumSpanningTree, singleLinkage, stabilities } from './hdbscan.ts';

/** Distance matrix of points on a line. */
function line(points: readonly number[]): Float64Array {
  const n = points.length;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = Math.abs(points[i]! - points[j]!);
  return m;
}

/** The partition labels make, independent of cluster numbering: groups of indices, noise apart. */
function partition(labels: readonly number[]): { groups: number[][]; noise: number[] } {
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => l >= 0 && groups.set(l, [...(groups.get(l) ?? []), i]));
  return { groups: [...groups.values()].sort((a, b) => a[0]! - b[0]!), noise: labels.flatMap((l, i) => (l < 0 ? [i] : [])) };
}

describe('hdbscan', () => {
  const cases: { name: string; points: number[]; options: Parameters<typeof hdbscan>[2]; groups: number[][]; noise: number[] }[] = [
    {
      name: 'two groups',
      points: [0, 1, 2, 10, 11, 12],
      options: { minClusterSize: 3, minSamples: 1 },
      groups: [
        [0, 1, 2],
        [3, 4, 5],
      ],
      noise: [],
    },
    {
      name: 'two groups and an outlier',
      points: [0, 1, 2, 10, 11, 12, 40],
      options: { minClusterSize: 3, minSamples: 1 },
      groups: [
        [0, 1, 2],
        [3, 4, 5],
      ],
      noise: [6],
    },
    // A and B (spread 0.3, 0.4 apart) against C far away: A+B is more stable than A and B apart.
    {
      name: 'excess of mass keeps a stable parent',
      points: [0, 0.3, 0.6, 1, 1.3, 1.6, 10, 10.3, 10.6],
      options: { minClusterSize: 3, minSamples: 1 },
      groups: [
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8],
      ],
      noise: [],
    },
    {
      name: 'leaf selection keeps the finest',
      points: [0, 0.3, 0.6, 1, 1.3, 1.6, 10, 10.3, 10.6],
      options: { minClusterSize: 3, minSamples: 1, selection: 'leaf' },
      groups: [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
      ],
      noise: [],
    },
    { name: 'fewer points than a cluster', points: [0, 1], options: { minClusterSize: 3 }, groups: [], noise: [0, 1] },
    { name: 'one blob is noise by default', points: [5, 5, 5, 5, 20, 40], options: { minClusterSize: 3, minSamples: 2 }, groups: [], noise: [0, 1, 2, 3, 4, 5] },
    {
      name: 'one blob is one cluster when allowed: its densest core',
      points: [5, 5, 5, 5, 20, 40],
      options: { minClusterSize: 3, minSamples: 2, allowSingleCluster: true },
      groups: [[0, 1, 2, 3]],
      noise: [4, 5],
    },
    {
      name: 'a split still wins over the single cluster',
      points: [0, 1, 2, 10, 11, 12],
      options: { minClusterSize: 3, minSamples: 1, allowSingleCluster: true },
      groups: [
        [0, 1, 2],
        [3, 4, 5],
      ],
      noise: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { labels } = hdbscan(line(c.points), c.points.length, c.options);
      assert.deepEqual(partition(labels), { groups: c.groups, noise: c.noise });
    });
  }

  it('computes the condensed tree and stabilities worked out by hand', () => {
    const points = [0, 1, 2, 10, 11, 12, 40];
    const n = points.length;
    const d = line(points);
    const core = coreDistances(d, n, 1);
    assert.deepEqual(core, [0, 0, 0, 0, 0, 0, 0]);
    const rows = condense(singleLinkage(minimumSpanningTree(d, n, core), n), n, 3);
    // The outlier leaves the root at λ = 1/28; the root splits at distance 8 into two clusters.
    assert.deepEqual(
      rows.filter((r) => r.child === 6),
      [{ parent: n, child: 6, lambda: 1 / 28, size: 1 }],
    );
    const clusters = rows.filter((r) => r.child >= n);
    assert.deepEqual(
      clusters.map((r) => [r.parent, r.lambda, r.size]),
      [
        [n, 1 / 8, 3],
        [n, 1 / 8, 3],
      ],
    );
    const s = stabilities(rows, n);
    // Root: 1 × (1/28 − 0) + 6 × (1/8 − 0); each child: 3 × (1 − 1/8), its points leaving at distance 1.
    assert.ok(Math.abs(s.get(n)! - (1 / 28 + 0.75)) < 1e-12);
    for (const c of clusters) assert.ok(Math.abs(s.get(c.child)! - 2.625) < 1e-12);
  });

  it('core distance counts the point itself, as scikit-learn does', () => {
    assert.deepEqual(coreDistances(line([0, 1, 3]), 3, 2), [1, 1, 2]);
    assert.deepEqual(coreDistances(line([0, 1, 3]), 3, 3), [3, 2, 3]);
  });

  it('rejects a matrix that does not match the point count', () => {
    assert.throws(() => hdbscan(new Float64Array(5), 2, { minClusterSize: 2 }), /4 entries, not 5/);
  });
});
