/**
 * Hourly series for verdicts, and the onset of a drift estimated from them. A series is what a
 * person looks at (the status page, the sparkline in an alert); the onset says when the change
 * began. Neither decides a verdict.
 */
import type { HourCounts, HourlySeries, SignalResult } from '../signals/types.ts';
import { seriesKey } from '../signals/types.ts';
import { meanChangePoint, rateChangePoint } from '../stats/change-point.ts';
import type { Windows } from './windows.ts';

export const HOUR_MS = 3_600_000;
/** The onset is looked for in the last two days: a change older than that is the baseline's own. */
const ONSET_HOURS = 48;
/** A split must beat one segment by χ²₁(0.95) to count as a change at all. */
const MIN_LR = 3.841458820694124;

/** The hours a series covers: from the baseline's first hour to the end of the current window. */
export function seriesHours(windows: Windows): { fromMs: number; toMs: number; hours: number } {
  const fromMs = Math.floor(windows.baseline.from.getTime() / HOUR_MS) * HOUR_MS;
  const toMs = windows.current.to.getTime();
  return { fromMs, toMs, hours: Math.ceil((toMs - fromMs) / HOUR_MS) };
}

/** A series from per-hour rows (`hour` in ms); hours without a row are null. */
export function seriesFromRows(windows: Windows, rows: readonly { hour: number; value: number | null; counts?: HourCounts }[]): HourlySeries {
  const { fromMs, hours } = seriesHours(windows);
  const values: (number | null)[] = Array(hours).fill(null);
  const counts: HourCounts[] = Array.from({ length: hours }, () => ({ events: 0, trials: 0 }));
  let rate = false;
  for (const r of rows) {
    const i = Math.floor((Number(r.hour) - fromMs) / HOUR_MS);
    if (i < 0 || i >= hours) continue;
    values[i] = r.value;
    if (r.counts) {
      rate = true;
      counts[i] = r.counts;
    }
  }
  return { from: new Date(fromMs).toISOString(), values, ...(rate ? { counts } : {}) };
}

/** One hour of a rate: events out of trials (no value without trials). */
export function rateAt(hour: number, events: number, trials: number): { hour: number; value: number | null; counts: HourCounts } {
  return { hour: Number(hour), value: trials > 0 ? events / trials : null, counts: { events, trials } };
}

export interface Onset {
  /** Start of the first hour after the change. */
  at: string;
  /** The 95% interval of that hour's start. */
  earliest: string;
  latest: string;
  /** How the estimate was made, for the evidence. */
  method: string;
}

/** When the change began, from the last two days of the series; null when no single change stands out. */
export function estimateOnset(series: HourlySeries): Onset | null {
  const start = Math.max(0, series.values.length - ONSET_HOURS);
  const fromMs = Date.parse(series.from) + start * HOUR_MS;
  const cp = series.counts ? rateChangePoint(series.counts.slice(start)) : meanChangePoint(series.values.slice(start));
  if (!cp || cp.lr < MIN_LR) return null;
  const at = (i: number) => new Date(fromMs + i * HOUR_MS).toISOString();
  return {
    at: at(cp.index),
    earliest: at(cp.low),
    latest: at(cp.high),
    method: `${series.counts ? 'binomial' : 'Gaussian mean'} likelihood-ratio scan over the last ${Math.min(ONSET_HOURS, series.values.length)} hours (LR ${cp.lr.toFixed(1)})`,
  };
}

/** The verdicts with their series (without the counts) and, for drifting ones, the onset. */
export function withSeries(verdicts: readonly SignalResult[], series: ReadonlyMap<string, HourlySeries>): SignalResult[] {
  return verdicts.map((r) => {
    const s = series.get(seriesKey(r));
    if (!s) return r;
    const onset = r.status === 'drift' ? estimateOnset(s) : null;
    return { ...r, evidence: { ...r.evidence, hourly: { from: s.from, values: s.values }, ...(onset ? { onset } : {}) } };
  });
}
