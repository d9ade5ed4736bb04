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

/** Counts the spans of every comparison window in one query (only those windows are read). */
export async function checkFreshness(store: Store, source: TraceSource, windows: Windows, at: Date, stalledBelow: number): Promise<Freshness> {
  const ranges = comparisonRanges(windows);
  const params: Record<string, number | string> = { ...source.params };
  // The newest span is looked for up to the evaluation time, beyond the current window's end.
  const all = [...ranges, { from: windows.current.to.getTime(), to: Math.max(at.getTime(), windows.current.to.getTime()) + 1 }];
  const conditions = all.map((_, k) => `(ts >= fromUnixTimestamp64Milli({f${k}:Int64}) AND ts < fromUnixTimestamp64Milli({t${k}:Int64}))`);
  const index = `multiIf(${all.map((_, k) => `ts >= fromUnixTimestamp64Milli({f${k}:Int64}) AND ts < fromUnixTimestamp64Milli({t${k}:Int64}), ${k}`).join(', ')}, -1)`;
  all.forEach((r, k) => {
    params[`f${k}`] = r.from;
    params[`t${k}`] = r.to;
  });
  params.fromMs = Math.min(...all.map((r) => r.from));
  params.toMs = Math.max(...all.map((r) => r.to));
  const rows = await store.query<{ k: number; n: number; newest: number }>(
    `SELECT ${index} AS k, count() AS n, toUnixTimestamp64Milli(toDateTime64(max(ts), 3)) AS newest
     FROM (${source.activity()}) WHERE ${conditions.join(' OR ')} GROUP BY k`,
    params,
  );
  const counts = ranges.map((_, k) => Number(rows.find((r) => Number(r.k) === k)?.n ?? 0));
  let newestMs = rows.length > 0 ? Math.max(...rows.map((r) => Number(r.newest))) : null;
  if (counts[0] === 0) {
    // The newest span may be older than yesterday's window: look across the whole baseline.
    const [row] = await store.query<{ n: number; newest: number }>(
      `SELECT count() AS n, toUnixTimestamp64Milli(toDateTime64(max(ts), 3)) AS newest FROM (${source.activity()})`,
      { ...source.params, fromMs: windows.baseline.from.getTime(), toMs: Math.max(at.getTime(), windows.current.to.getTime()) + 1 },
    );
    newestMs = row && Number(row.n) > 0 ? Number(row.newest) : null;
  }
  return judgeFreshness(counts, newestMs === null ? null : new Date(newestMs), stalledBelow);
}
