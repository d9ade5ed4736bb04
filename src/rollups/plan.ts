/**
 * What a refresh builds, decided from what the manifest and the source's fingerprints say. Pure,
 * so its cases are a table (plan.test.ts); the engine reads, asks the planner, then builds.
 *
 * A bucket is built when it was never built (a first start backfills history), while it is still
 * open to late spans, and when it closed but its spans changed since (their row count and
 * checksum differ from what it was built from): then with the neighbours a trace-level family's
 * rows reach into. A chunk whose buckets and reach hold no span is recorded without a query.
 */
import { bucketsIn, contiguousChunks, isClosed, type Span } from './buckets.ts';

/** The newest manifest entry of one family's bucket under its current definition. */
export interface ManifestEntry {
  /** Its generation (the newest one is what readers take). */
  latest: number;
  closed: number;
  fp_rows: number;
  fp_sum: string;
}

/** What a bucket's spans looked like: their count and checksum. */
export interface Fingerprint {
  rows: number;
  checksum: string;
}

/** One family as the planner sees it: the buckets it must cover and how far its rows reach. */
export interface FamilyRange {
  readonly name: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** How far a bucket's rows read past it, either side (a trace's other spans). */
  readonly reachMs: number;
  /** The family's own cap on a chunk's length, when shorter than `rollups.backfillChunk`. */
  readonly maxChunkMs?: number;
}

/** Buckets of a family to build whatever the fingerprints say: never built, or still open. */
export function missingOrOpen(f: FamilyRange, have: ReadonlyMap<number, ManifestEntry>, bucketMs: number): Set<number> {
  return new Set(bucketsIn(f.fromMs, f.toMs, bucketMs).filter((b) => (have.get(b)?.closed ?? 0) === 0));
}

/**
 * The range of fingerprints a refresh reads, or null for none: every bucket about to be built (to
 * skip empty history without a query) and the recently closed ones (from `recheckFromMs`, to catch
 * spans that arrived after their bucket closed), widened by the families' reach.
 */
export function fingerprintRange(stale: Iterable<ReadonlySet<number>>, recheckFromMs: number, endMs: number, reachMs: number): Span | null {
  let fromMs = recheckFromMs;
  for (const s of stale) for (const b of s) fromMs = Math.min(fromMs, b);
  return fromMs < endMs ? { fromMs: fromMs - reachMs, toMs: endMs + reachMs } : null;
}

/**
 * Closed buckets from `recheckFromMs` on whose spans changed since they were built, with the
 * neighbours within the family's reach that are closed and not already to be built: the buckets
 * to rebuild beside `stale`.
 */
export function changedSince(
  f: FamilyRange,
  have: ReadonlyMap<number, ManifestEntry>,
  stale: ReadonlySet<number>,
  fingerprint: (bucket: number) => Fingerprint,
  recheckFromMs: number,
  bucketMs: number,
): number[] {
  const changed = new Set<number>();
  for (const [b, e] of have) {
    if (e.closed === 0 || b < recheckFromMs || b >= f.toMs) continue;
    const fp = fingerprint(b);
    if (fp.rows === Number(e.fp_rows) && fp.checksum === String(e.fp_sum)) continue;
    // A trace-level family's bucket also holds spans of neighbouring buckets.
    for (const n of bucketsIn(b - f.reachMs, b + bucketMs + f.reachMs, bucketMs)) {
      if (n >= f.fromMs && n < f.toMs && have.get(n)?.closed === 1 && !stale.has(n)) changed.add(n);
    }
  }
  return [...changed].sort((a, b) => a - b);
}

/** One build: a contiguous run of buckets, and whether any span lies within its reach. */
export interface Chunk extends Span {
  buckets: number[];
  empty: boolean;
}

/** The stale buckets in contiguous chunks of at most `maxChunkMs` (or the family's shorter cap), each told whether it holds any span. */
export function chunksOf(f: FamilyRange, stale: Iterable<number>, fingerprint: (bucket: number) => Fingerprint, bucketMs: number, maxChunkMs: number): Chunk[] {
  return contiguousChunks([...stale], bucketMs, Math.min(maxChunkMs, f.maxChunkMs ?? Number.POSITIVE_INFINITY)).map((chunk) => ({
    ...chunk,
    buckets: bucketsIn(chunk.fromMs, chunk.toMs, bucketMs),
    empty: !bucketsIn(chunk.fromMs - f.reachMs, chunk.toMs + f.reachMs, bucketMs).some((b) => fingerprint(b).rows > 0),
  }));
}

/**
 * The generation a chunk is written under: after every generation its buckets already have, so
 * readers (who take the newest) see it whatever the clocks of the replicas that wrote before; the
 * wall clock at the write in microseconds otherwise, with a random tail against ties between
 * replicas.
 */
export function nextGeneration(buckets: readonly number[], have: ReadonlyMap<number, ManifestEntry>, wallMs: number, tail: number): number {
  const newest = Math.max(0, ...buckets.map((b) => Number(have.get(b)?.latest ?? 0)));
  return Math.max(wallMs * 1000 + tail, newest + 1);
}

/** The manifest flag of a bucket just built: closed once no more spans are expected in it. */
export const closedFlag = (bucket: number, f: FamilyRange, bucketMs: number, graceMs: number, nowMs: number): 0 | 1 => (isClosed(bucket, bucketMs, f.reachMs, graceMs, nowMs) ? 1 : 0);
