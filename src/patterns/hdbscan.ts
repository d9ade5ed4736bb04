/**
 * HDBSCAN (Campello, Moulavi & Sander 2013; the condensed tree and excess-of-mass selection as
 * the `hdbscan` Python library and scikit-learn implement them) over a precomputed distance
 * matrix. Written here because the npm implementations do not fit: `hdbscan-ts` takes only dense
 * Euclidean vectors, approximates cluster stability with one value per cluster and needed 3.3 s
 * to put 285 of 300 Banking77 queries in noise; `hdbscan` is a GPL alpha and `hdbscanjs` measures
 * geographic distance. Text clustering needs cosine distances between sparse TF-IDF vectors, which
 * a distance matrix carries as they are. O(n²) time and memory: callers bound n.
 */

export interface HdbscanOptions {
  /** Smallest group of points that counts as a cluster. */
  minClusterSize: number;
  /** Neighbours (counting the point itself) whose distance is a point's core distance; default minClusterSize. */
  minSamples?: number;
  /**
   * How clusters are chosen from the condensed tree: `eom` (excess of mass, the default of the
   * libraries) keeps the most stable ones; `leaf` keeps the finest, many small homogeneous clusters.
   */
  selection?: 'eom' | 'leaf';
  /**
   * When the tree never splits into two clusters, the root is one cluster of the points that leave
   * it last (scikit-learn's allow_single_cluster); without it every point is noise.
   */
  allowSingleCluster?: boolean;
}

export interface HdbscanResult {
  /** Cluster of each point, 0…k-1 in the order clusters were found; -1 for noise. */
  labels: number[];
  /** How long each point stayed in its cluster (λ = 1/distance when it left); 0 for noise. Central points score highest. */
  persistence: number[];
  /** Each point's core distance (to its minSamples-th nearest neighbour, itself included). */
  coreDistances: number[];
}

/** One row of the condensed tree: `child` (a point < n, or a cluster ≥ n) leaves `parent` at `lambda`. */
export interface CondensedRow {
  parent: number;
  child: number;
  lambda: number;
  size: number;
}

/** λ for a distance of 0 (identical points), finite so stabilities stay finite. */
const MAX_LAMBDA = 1e6;
const lambdaOf = (d: number) => (d > 1 / MAX_LAMBDA ? 1 / d : MAX_LAMBDA);

/** `distance[i * n + j]`: a symmetric matrix with a zero diagonal. */
export function hdbscan(distance: Float64Array, n: number, options: HdbscanOptions): HdbscanResult {
  if (distance.length !== n * n) throw new Error(`hdbscan: a distance matrix of ${n} points has ${n * n} entries, not ${distance.length}`);
  const mcs = Math.max(2, Math.floor(options.minClusterSize));
  const minSamples = Math.max(1, Math.floor(options.minSamples ?? mcs));
  const core = coreDistances(distance, n, minSamples);
  if (n < mcs) return { labels: new Array(n).fill(-1), persistence: new Array(n).fill(0), coreDistances: core };
  const tree = singleLinkage(minimumSpanningTree(distance, n, core), n);
  const condensed = condense(tree, n, mcs);
  const selected = options.selection === 'leaf' ? leafClusters(condensed, n) : selectClusters(condensed, stabilities(condensed, n), n);
  if (selected.size === 0 && options.allowSingleCluster) return { ...singleCluster(condensed, n), coreDistances: core };
  return { ...label(condensed, selected, n), coreDistances: core };
}

export function coreDistances(distance: Float64Array, n: number, minSamples: number): number[] {
  const k = Math.min(minSamples, n) - 1;
  const core: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(distance.subarray(i * n, i * n + n)).sort((a, b) => a - b);
    core.push(row[k] ?? 0);
  }
  return core;
}

/** Prim's algorithm on mutual reachability distances (max of the two core distances and the distance). */
export function minimumSpanningTree(distance: Float64Array, n: number, core: readonly number[]): [number, number, number][] {
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const edges: [number, number, number][] = [];
  let current = 0;
  inTree[0] = 1;
  for (let added = 1; added < n; added++) {
    let next = -1;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const mrd = Math.max(core[current]!, core[j]!, distance[current * n + j]!);
      if (mrd < best[j]!) {
        best[j] = mrd;
        from[j] = current;
      }
      if (next < 0 || best[j]! < best[next]!) next = j;
    }
    edges.push([from[next]!, next, best[next]!]);
    inTree[next] = 1;
    current = next;
  }
  return edges;
}

/** Merges in order of distance: merge k makes node n + k of the two nodes it joins. */
interface Linkage {
  left: number[];
  right: number[];
  distance: number[];
  size: number[];
}

export function singleLinkage(edges: [number, number, number][], n: number): Linkage {
  const sorted = [...edges].sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
  const parent = Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const out: Linkage = { left: [], right: [], distance: [], size: [] };
  const sizeOf = (node: number) => (node < n ? 1 : out.size[node - n]!);
  sorted.forEach(([a, b, d], k) => {
    const ra = find(a);
    const rb = find(b);
    out.left.push(ra);
    out.right.push(rb);
    out.distance.push(d);
    out.size.push(sizeOf(ra) + sizeOf(rb));
    parent[ra] = n + k;
    parent[rb] = n + k;
  });
  return out;
}

/** The condensed tree: splits that leave fewer than minClusterSize points are points falling out. */
export function condense(tree: Linkage, n: number, mcs: number): CondensedRow[] {
  const root = 2 * n - 2;
  const sizeOf = (node: number) => (node < n ? 1 : tree.size[node - n]!);
  const leaves = (node: number): number[] => {
    const out: number[] = [];
    const stack = [node];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < n) out.push(x);
      else stack.push(tree.left[x - n]!, tree.right[x - n]!);
    }
    return out;
  };
  const rows: CondensedRow[] = [];
  const relabel = new Map<number, number>([[root, n]]);
  let next = n + 1;
  const queue = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node < n) continue;
    const k = node - n;
    const [l, r] = [tree.left[k]!, tree.right[k]!];
    const lambda = lambdaOf(tree.distance[k]!);
    const cluster = relabel.get(node)!;
    const [ls, rs] = [sizeOf(l), sizeOf(r)];
    if (ls >= mcs && rs >= mcs) {
      for (const [child, size] of [
        [l, ls],
        [r, rs],
      ] as const) {
        relabel.set(child, next);
        rows.push({ parent: cluster, child: next++, lambda, size });
        queue.push(child);
      }
    } else {
      for (const [child, size] of [
        [l, ls],
        [r, rs],
      ] as const) {
        if (size < mcs) for (const p of leaves(child)) rows.push({ parent: cluster, child: p, lambda, size: 1 });
        else {
          relabel.set(child, cluster);
          queue.push(child);
        }
      }
    }
  }
  return rows;
}

/** Stability of each cluster: Σ (λ at which a point or child cluster leaves − λ at the cluster's birth) × its size. */
export function stabilities(rows: readonly CondensedRow[], n: number): Map<number, number> {
  const birth = new Map<number, number>([[n, 0]]);
  for (const r of rows) if (r.child >= n) birth.set(r.child, r.lambda);
  const stability = new Map<number, number>([...birth.keys()].map((c) => [c, 0]));
  for (const r of rows) stability.set(r.parent, stability.get(r.parent)! + (r.lambda - birth.get(r.parent)!) * r.size);
  return stability;
}

/** Excess of mass: a cluster is kept unless its child clusters together are more stable. The root never is. */
export function selectClusters(rows: readonly CondensedRow[], stability: ReadonlyMap<number, number>, n: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const r of rows) if (r.child >= n) children.set(r.parent, [...(children.get(r.parent) ?? []), r.child]);
  const total = new Map(stability);
  const selected = new Set<number>();
  const descendants = (c: number): number[] => (children.get(c) ?? []).flatMap((x) => [x, ...descendants(x)]);
  for (const c of [...stability.keys()].sort((a, b) => b - a)) {
    if (c === n) continue;
    const below = (children.get(c) ?? []).reduce((s, x) => s + total.get(x)!, 0);
    if (below > stability.get(c)!) total.set(c, below);
    else {
      for (const d of descendants(c)) selected.delete(d);
      selected.add(c);
    }
  }
  return selected;
}

/** Every cluster of the condensed tree without child clusters (the root only when it is alone). */
export function leafClusters(rows: readonly CondensedRow[], n: number): Set<number> {
  const parents = new Set(rows.filter((r) => r.child >= n).map((r) => r.parent));
  const clusters = new Set(rows.filter((r) => r.child >= n).map((r) => r.child));
  return new Set([...clusters].filter((c) => !parents.has(c)));
}

/** The root as the one cluster: the points whose λ reaches the root's largest (the densest core). */
function singleCluster(rows: readonly CondensedRow[], n: number): Pick<HdbscanResult, 'labels' | 'persistence'> {
  const top = Math.max(...rows.map((r) => r.lambda));
  const labels = new Array<number>(n).fill(-1);
  const persistence = new Array<number>(n).fill(0);
  for (const r of rows) {
    if (r.child < n && r.lambda >= top) {
      labels[r.child] = 0;
      persistence[r.child] = r.lambda;
    }
  }
  return { labels, persistence };
}

function label(rows: readonly CondensedRow[], selected: ReadonlySet<number>, n: number): Pick<HdbscanResult, 'labels' | 'persistence'> {
  const parentOf = new Map<number, number>();
  for (const r of rows) if (r.child >= n) parentOf.set(r.child, r.parent);
  const ids = [...selected].sort((a, b) => a - b);
  const labels = new Array<number>(n).fill(-1);
  const persistence = new Array<number>(n).fill(0);
  for (const r of rows) {
    if (r.child >= n) continue;
    let c: number | undefined = r.parent;
    while (c !== undefined && !selected.has(c)) c = parentOf.get(c);
    if (c === undefined) continue;
    labels[r.child] = ids.indexOf(c);
    persistence[r.child] = r.lambda;
  }
  return { labels, persistence };
}
