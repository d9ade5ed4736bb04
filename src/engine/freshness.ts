/**
 * Is the trace source still receiving traffic? An empty current window is not a healthy one: with
 * no spans every rate looks normal and open alerts would resolve. Before the signals run, the
 * current window's span count is compared with the same clock hours on each previous day of the
 * baseline (so a quiet night is compared with other nights, not with the afternoon).
 */
import { median } from 'simple-statistics';
import type { Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Windows } from './windows.ts';

const DAY_MS = 86_400_000;
/** Previous days compared with (a week covers weekdays and weekends). */
const MAX_DAYS_BACK = 7;
/** Below this median of the previous days, only an empty window counts as stalled (too little to compare). */
const MIN_USUAL_SPANS = 20;

export interface Freshness {
  /** Spans in the current window. */
  current: number;
  /** Median span count of the same clock window on the previous days (null: no previous day in the baseline). */
  usual: number | null;
  /** Start of the newest span up to the evaluation time (null: none in the baseline or current window). */
  newest: Date | null;
  /** Why the current window cannot be judged, or null when it can. */
  stalled: string | null;
}

/** The windows counted: index 0 is the current one, then the same clock window 1..n days earlier. */
export function comparisonRanges(windows: Windows): { from: number; to: number }[] {
  const from = windows.current.from.getTime();
  const to = windows.current.to.getTime();
  const days = Math.min(MAX_DAYS_BACK, Math.floor((from - windows.baseline.from.getTime()) / DAY_MS));
  return Array.from({ length: days + 1 }, (_, k) => ({ from: from - k * DAY_MS, to: to - k * DAY_MS }));
}

/** The verdict from the counts (pure). `stalledBelow` is the share of the usual count below which the window is stalled. */
export function judgeFreshness(counts: readonly number[], newest: Date | null, stalledBelow: number): Freshness {
  const [current = 0, ...previous] = counts;
  const usual = previous.length > 0 ? median(previous) : null;
  let stalled: string | null = null;
  if (current === 0) {
    stalled = newest ? `no spans since ${newest.toISOString()}` : 'no spans in the baseline or current window';
  } else if (usual !== null && usual >= MIN_USUAL_SPANS && current < stalledBelow * usual) {
    stalled = `only ${current} spans in the current window, against a median of ${usual} in the same hours of the previous ${previous.length} days (traffic stalled?)`;
  }
  return { current, usual, newest, stalled };
}

/** How the spans of some time ranges are counted, and the newest one found. */
export interface SpanCounter {
  count(ranges: readonly { from: number; to: number }[]): Promise<number[]>;
  /** Start of the newest span in [fromMs, toMs), or null. */
  newest(fromMs: number, toMs: number): Promise<Date | null>;
}

/** Counts from the trace table itself: only the compared ranges' start times are read. */
export function rawSpanCounter(store: Store, source: TraceSource): SpanCounter {
  return {
    async count(ranges) {
      const params: Record<string, number | string> = { ...source.params, fromMs: Math.min(...ranges.map((r) => r.from)), toMs: Math.max(...ranges.map((r) => r.to)) };
      ranges.forEach((r, k) => {
        params[`f${k}`] = r.from;
        params[`t${k}`] = r.to;
      });
      const within = (k: number) => `ts >= fromUnixTimestamp64Milli({f${k}:Int64}) AND ts < fromUnixTimestamp64Milli({t${k}:Int64})`;
      const rows = await store.query<{ k: number; n: number }>(
        `SELECT multiIf(${ranges.map((_, k) => `${within(k)}, ${k}`).join(', ')}, -1) AS k, count() AS n
         FROM (${source.activity()}) WHERE ${ranges.map((_, k) => `(${within(k)})`).join(' OR ')} GROUP BY k`,
        params,
      );
      return ranges.map((_, k) => Number(rows.find((r) => Number(r.k) === k)?.n ?? 0));
    },
    async newest(fromMs, toMs) {
      const [row] = await store.query<{ n: number; newest: number }>(
        `SELECT count() AS n, toUnixTimestamp64Milli(toDateTime64(max(ts), 3)) AS newest FROM (${source.activity()})`,
        { ...source.params, fromMs, toMs },
      );
      return row && Number(row.n) > 0 ? new Date(Number(row.newest)) : null;
    },
  };
}

/**
 * Counts from the rollups' manifest (spans per bucket, as fingerprinted when built): no trace is
 * read to count. The newest span is then looked for in the trace table, but only from the last
 * bucket that had any.
 */
export function manifestSpanCounter(perBucket: ReadonlyMap<number, number>, bucketMs: number, raw: SpanCounter): SpanCounter {
  const sum = (from: number, to: number) => [...perBucket].reduce((s, [b, n]) => (b >= from && b < to ? s + n : s), 0);
  return {
    count: async (ranges) => ranges.map((r) => sum(r.from, r.to)),
    async newest(fromMs, toMs) {
      const last = Math.max(...[...perBucket].filter(([b, n]) => n > 0 && b >= fromMs && b < toMs).map(([b]) => b));
      // Spans after the newest built bucket (later than the current window) are read as well.
      return raw.newest(Number.isFinite(last) ? last : Math.max(fromMs, toMs - bucketMs), toMs);
    },
  };
}

/** Counts the spans of every comparison window and finds the newest span. */
export async function checkFreshness(counter: SpanCounter, windows: Windows, at: Date, stalledBelow: number): Promise<Freshness> {
  const ranges = comparisonRanges(windows);
  const counts = await counter.count(ranges);
  const end = Math.max(at.getTime(), windows.current.to.getTime()) + 1;
  // The newest span is usually recent: look there first, across the whole baseline only when not.
  const newest = (await counter.newest(ranges[0]!.from, end)) ?? (await counter.newest(windows.baseline.from.getTime(), ranges[0]!.from));
  return judgeFreshness(counts, newest, stalledBelow);
}
