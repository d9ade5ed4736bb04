/**
 * Time buckets: the unit rollups are aggregated, stored, replaced and merged in. Pure arithmetic,
 * so the daemon, a replica and a backtest cut time into the same buckets.
 */

/** The start of the bucket holding `ms`. */
export const bucketStart = (ms: number, bucketMs: number): number => Math.floor(ms / bucketMs) * bucketMs;

/** Every bucket start in [fromMs, toMs); both ends are rounded out to whole buckets. */
export function bucketsIn(fromMs: number, toMs: number, bucketMs: number): number[] {
  const out: number[] = [];
  for (let b = bucketStart(fromMs, bucketMs); b < toMs; b += bucketMs) out.push(b);
  return out;
}

export interface Span {
  fromMs: number;
  toMs: number;
}

/**
 * Sorted bucket starts grouped into contiguous spans of at most `maxMs` each, so a backfill
 * reads history in pieces it can report progress on and resume from.
 */
export function contiguousChunks(buckets: readonly number[], bucketMs: number, maxMs: number): Span[] {
  const sorted = [...new Set(buckets)].sort((a, b) => a - b);
  const chunks: Span[] = [];
  for (const b of sorted) {
    const last = chunks[chunks.length - 1];
    if (last && last.toMs === b && last.toMs - last.fromMs + bucketMs <= maxMs) last.toMs = b + bucketMs;
    else chunks.push({ fromMs: b, toMs: b + bucketMs });
  }
  return chunks;
}

/**
 * A bucket is closed once no more spans are expected in it: its end, plus how far its rows read
 * past it (`reachMs`, a trace's later spans), plus the ingest lag and the configured lateness,
 * lies before `nowMs`. Open buckets are rebuilt every cycle.
 */
export function isClosed(bucket: number, bucketMs: number, reachMs: number, graceMs: number, nowMs: number): boolean {
  return bucket + bucketMs + reachMs + graceMs <= nowMs;
}
