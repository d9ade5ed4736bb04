/**
 * Pure grouping of a drifting verdict's affected traces into patterns: exact structural signatures
 * (computed in ClickHouse) are counted as they are; texts are clustered (TF-IDF, HDBSCAN) and each
 * cluster named by the terms that set it apart. Each pattern is compared with the baseline's
 * affected traces: `baselineShare` 0 is a new pattern, a smaller one a pattern that grew.
 */
import type { PatternSummary } from '../core/verdict.ts';
import { hdbscan } from './hdbscan.ts';
import { cosineDistance, distanceMatrix, isWordTerm, tfIdf } from './text-features.ts';

/** One affected trace (or call) as the signal's query returns it. */
export interface AffectedItem {
  traceId: string;
  /** Exact signature ('' when the signal groups by text). */
  signature: string;
  /** Text to cluster ('' when the signal groups by signature). */
  text: string;
}

/** A group of affected traces: part of the public report (`evidence.patterns`). */
export interface GroupOptions {
  minClusterSize: number;
  minSamples: number;
  maxPatterns: number;
  examples: number;
}

const ratio = (x: number, total: number) => (total > 0 ? Math.round((x / total) * 1000) / 1000 : 0);

/** How many affected traces share one signature in each window, and examples from the current one. */
export interface SignatureCount {
  signature: string;
  current: number;
  baseline: number;
  traceIds: string[];
}

/** Patterns of exact signatures: every signature shared by at least minClusterSize affected traces. */
export function signaturePatterns(current: readonly AffectedItem[], baseline: readonly AffectedItem[], o: GroupOptions): PatternSummary {
  const counts = new Map<string, SignatureCount>();
  const entry = (signature: string) => counts.get(signature) ?? counts.set(signature, { signature, current: 0, baseline: 0, traceIds: [] }).get(signature)!;
  for (const item of current) {
    const c = entry(item.signature);
    c.current++;
    c.traceIds.push(item.traceId);
  }
  for (const item of baseline) entry(item.signature).baseline++;
  return countedPatterns([...counts.values()], o);
}

/** Patterns from signature counts (sampled, or exact from rollups): the shared ones, largest first. */
export function countedPatterns(counts: readonly SignatureCount[], o: GroupOptions): PatternSummary {
  const affected = counts.reduce((s, c) => s + c.current, 0);
  const baselineAffected = counts.reduce((s, c) => s + c.baseline, 0);
  const kept = counts.filter((c) => c.current >= o.minClusterSize).sort((a, b) => b.current - a.current || a.signature.localeCompare(b.signature));
  const patterns = kept.slice(0, o.maxPatterns).map((c) => ({
    name: c.signature,
    size: c.current,
    share: ratio(c.current, affected),
    baselineShare: ratio(c.baseline, baselineAffected),
    traceIds: distinct(c.traceIds, o.examples),
  }));
  const clustered = kept.reduce((s, c) => s + c.current, 0);
  return { method: 'signature', affected, baselineAffected, unclustered: affected - clustered, patterns };
}

/** The clusters of the current texts (-1: noise) and the cluster each baseline text falls in (-1: none). */
export interface TextClusters {
  labels: number[];
  /** How long each current text stayed in its cluster: the most typical score highest. */
  persistence: number[];
  baselineLabels: number[];
  model: ReturnType<typeof tfIdf>;
}

/**
 * HDBSCAN (leaf clusters) over cosine distances of TF-IDF vectors fitted on both windows' texts.
 * A baseline text joins the cluster of its nearest clustered current text when it lies within that
 * text's core distance (inside the cluster's density), else none.
 */
export function clusterTexts(current: readonly AffectedItem[], baseline: readonly AffectedItem[], o: Pick<GroupOptions, 'minClusterSize' | 'minSamples'>): TextClusters {
  const n = current.length;
  const model = tfIdf([...current, ...baseline].map((i) => i.text));
  const vectors = model.vectors.slice(0, n);
  const { labels, persistence, coreDistances } = hdbscan(distanceMatrix(vectors), n, { minClusterSize: o.minClusterSize, minSamples: o.minSamples, selection: 'leaf', allowSingleCluster: true });
  const baselineLabels = model.vectors.slice(n).map((v) => {
    let best = -1;
    let bestDistance = Infinity;
    labels.forEach((label, i) => {
      if (label < 0) return;
      const d = cosineDistance(v, vectors[i]!);
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    return best >= 0 && bestDistance <= coreDistances[best]! ? labels[best]! : -1;
  });
  return { labels, persistence, baselineLabels, model };
}

/** Patterns of texts: the clusters, largest first, named by the terms that set them apart. */
export function textPatterns(current: readonly AffectedItem[], baseline: readonly AffectedItem[], o: GroupOptions): PatternSummary {
  const n = current.length;
  const { labels, persistence, baselineLabels, model } = clusterTexts(current, baseline, o);
  const clusters = new Map<number, number[]>();
  labels.forEach((label, i) => label >= 0 && clusters.set(label, [...(clusters.get(label) ?? []), i]));
  const ordered = [...clusters].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const patterns = ordered.slice(0, o.maxPatterns).map(([label, members]) => ({
    name: nameOf(members, model),
    size: members.length,
    share: ratio(members.length, n),
    baselineShare: ratio(baselineLabels.filter((l) => l === label).length, baseline.length),
    traceIds: distinct(
      [...members].sort((a, b) => persistence[b]! - persistence[a]! || a - b).map((i) => current[i]!.traceId),
      o.examples,
    ),
  }));
  const clustered = [...clusters.values()].reduce((s, m) => s + m.length, 0);
  return { method: 'hdbscan', affected: n, baselineAffected: baseline.length, unclustered: n - clustered, patterns };
}

/** The (up to three) words found in most of the cluster's texts and fewest of the others' (difference of document frequencies). */
function nameOf(members: readonly number[], model: ReturnType<typeof tfIdf>): string {
  const inside = new Map<number, number>();
  for (const m of members) for (const f of model.vectors[m]!.keys()) inside.set(f, (inside.get(f) ?? 0) + 1);
  const others = Math.max(1, model.vectors.length - members.length);
  const words = [...inside]
    .filter(([f, count]) => isWordTerm(model.features[f]!) && count >= Math.max(2, members.length * 0.2))
    .map(([f, count]) => ({ word: model.features[f]!, score: count / members.length - Math.max(0, model.documentFrequency[f]! - count) / others }))
    .sort((a, b) => b.score - a.score || a.word.localeCompare(b.word))
    .slice(0, 3)
    .map((x) => x.word);
  return words.length > 0 ? words.join(' · ') : `cluster of ${members.length} (no shared words)`;
}

function distinct(ids: readonly string[], max: number): string[] {
  return [...new Set(ids)].slice(0, max);
}
