/**
 * Is the trace source still receiving traffic? An empty current window is not a healthy one: with
 * no spans every rate looks normal and open alerts would resolve. Before the signals run, the
 * current window's span count is compared with the same clock hours on each previous day of the
 * baseline (so a quiet night is compared with other nights, not with the afternoon).
 */
import { median } from 'simple-statistics';
import type { Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Windows } from '../core/windows.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
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
  /** Hours of the baseline with at least one span, of all its hours. */
  baselineHours: { withSpans: number; total: number };
  /** Why the baseline is too thin to compare against, or null when it covers enough of its hours. */
  thinBaseline: string | null;
}

/** The windows counted: index 0 is the current one, then the same clock window 1..n days earlier. */
export function comparisonRanges(windows: Windows): { from: number; to: number }[] {
  const from = windows.current.from.getTime();
  const to = windows.current.to.getTime();
  const days = Math.min(MAX_DAYS_BACK, Math.floor((from - windows.baseline.from.getTime()) / DAY_MS));
  return Array.from({ length: days + 1 }, (_, k) => ({ from: from - k * DAY_MS, to: to - k * DAY_MS }));
}

/** The verdict from the counts (pure). `stalledBelow` is the share of the usual count below which the window is stalled. */
export function judgeFreshness(counts: readonly number[], newest: Date | null, stalledBelow: number): Omit<Freshness, 'baselineHours' | 'thinBaseline'> {
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
  /** How many of the hours [fromMs + i h, fromMs + (i+1) h) up to toMs hold a span. */
  hoursWithSpans(fromMs: number, toMs: number): Promise<number>;
}

/**
 * Whether a baseline holds enough to compare against: at least `minCoverage` of its hours with
 * spans. A baseline of a few minutes (the first hours after a start, a backtest from the first day
 * of data) would make every rare event look new and every rate look shifted.
 */
export function judgeCoverage(withSpans: number, total: number, minCoverage: number): string | null {
  if (total === 0 || withSpans >= minCoverage * total) return null;
  return `the baseline holds spans in only ${withSpans} of its ${total} hours (${Math.round((100 * withSpans) / total)}%; ${Math.round(100 * minCoverage)}% needed, windows.minBaselineCoverage)`;
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
      const [row] = await store.query<{ n: number; newest: number }>(`SELECT count() AS n, toUnixTimestamp64Milli(toDateTime64(max(ts), 3)) AS newest FROM (${source.activity()})`, {
        ...source.params,
        fromMs,
        toMs,
      });
      return row && Number(row.n) > 0 ? new Date(Number(row.newest)) : null;
    },
    async hoursWithSpans(fromMs, toMs) {
      const [row] = await store.query<{ n: number }>(`SELECT uniqExact(intDiv(toUnixTimestamp64Milli(toDateTime64(ts, 3)) - {fromMs:Int64}, ${HOUR_MS})) AS n FROM (${source.activity()})`, {
        ...source.params,
        fromMs,
        toMs,
      });
      return Number(row?.n ?? 0);
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
    async hoursWithSpans(fromMs, toMs) {
      return new Set([...perBucket].filter(([b, n]) => n > 0 && b >= fromMs && b < toMs).map(([b]) => Math.floor((b - fromMs) / HOUR_MS))).size;
    },
  };
}

/** Counts the spans of every comparison window, finds the newest span and measures the baseline's coverage. */
export async function checkFreshness(counter: SpanCounter, windows: Windows, at: Date, stalledBelow: number, minBaselineCoverage = 0): Promise<Freshness> {
  const ranges = comparisonRanges(windows);
  const counts = await counter.count(ranges);
  const end = Math.max(at.getTime(), windows.current.to.getTime()) + 1;
  // The newest span is usually recent: look there first, across the whole baseline only when not.
  const newest = (await counter.newest(ranges[0]!.from, end)) ?? (await counter.newest(windows.baseline.from.getTime(), ranges[0]!.from));
  const fromMs = windows.baseline.from.getTime();
  const toMs = windows.baseline.to.getTime();
  const total = Math.ceil((toMs - fromMs) / HOUR_MS);
  const withSpans = minBaselineCoverage > 0 ? await counter.hoursWithSpans(fromMs, toMs) : total;
  return { ...judgeFreshness(counts, newest, stalledBelow), baselineHours: { withSpans, total }, thinBaseline: judgeCoverage(withSpans, total, minBaselineCoverage) };
}
