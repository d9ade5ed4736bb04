/**
 * When a drift began, estimated from its verdict's series: a likelihood-ratio change-point scan
 * over the last two days of hours, refined to rollup buckets around the hour it finds.
 */
import type { HourlySeries, SeriesGrid } from '../core/series.ts';
import { HOUR_MS } from '../core/series.ts';
import { meanChangePoint, poissonChangePoint, rateChangePoint } from '../stats/change-point.ts';

/** The onset is looked for in the last two days: a change older than that is the baseline's own. */
const ONSET_HOURS = 48;
/** A split must beat one segment by χ²₁(0.95) to count as a change at all. */
const MIN_LR = 3.841458820694124;

export interface Onset {
  /** Start of the first slot after the change. */
  at: string;
  /** The 95% interval of that slot's start. */
  earliest: string;
  latest: string;
  /** Width of the slots the estimate was made on, in minutes (60, or the rollup bucket when refined). */
  stepMinutes: number;
  /** How the estimate was made, for the evidence. */
  method: string;
}

/**
 * Hourly scans let the newest hour alone be the segment after a change: a drift this cycle found
 * is usually a change in it (see meanChangePoint).
 */
const HOURLY_MIN_AFTER = 1;

/** The change point of a series: rates by their counts, other values by their mean; null when none stands out. */
function changeIn(series: HourlySeries, start: number, minAfter?: number) {
  const cp = series.counts ? rateChangePoint(series.counts.slice(start)) : meanChangePoint(series.values.slice(start), minAfter);
  return cp && cp.lr >= MIN_LR ? cp : null;
}

/**
 * The same, beyond the hour of the day: each slot from `start` on is compared with what its hour
 * usually is in the slots before `start` (rates: the pooled rate of that hour; values: its mean),
 * so a daily peak inside the scanned hours is not mistaken for the change. Null when nothing
 * changed beyond the hour of day; undefined when the earlier slots do not cover every hour of the
 * period (then the plain scan decides).
 */
function seasonalChangeIn(series: HourlySeries, start: number, periodSlots: number) {
  const phase = (i: number) => i % periodSlots;
  const usual = Array.from({ length: periodSlots }, () => ({ events: 0, trials: 0, sum: 0, n: 0 }));
  for (let i = 0; i < start; i++) {
    const u = usual[phase(i)]!;
    const c = series.counts?.[i];
    if (c) {
      u.events += c.events;
      u.trials += c.trials;
    }
    const v = series.values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      u.sum += v;
      u.n++;
    }
  }
  const idx = Array.from({ length: series.values.length - start }, (_, k) => start + k);
  let cp: ReturnType<typeof meanChangePoint>;
  if (series.counts) {
    if (usual.some((u) => u.trials === 0)) return undefined;
    const counts = series.counts;
    const rate = (i: number) => Math.max(usual[phase(i)]!.events / usual[phase(i)]!.trials, 1e-6);
    cp = poissonChangePoint(
      idx.map((i) => counts[i]!.events),
      idx.map((i) => counts[i]!.trials * rate(i)),
    );
  } else {
    if (usual.some((u) => u.n === 0)) return undefined;
    cp = meanChangePoint(
      idx.map((i) => (series.values[i] === null ? null : series.values[i]! - usual[phase(i)]!.sum / usual[phase(i)]!.n)),
      HOURLY_MIN_AFTER,
    );
  }
  return cp && cp.lr >= MIN_LR ? cp : null;
}

/**
 * When the change began, from the last two days of an hourly series; null when no single change
 * stands out. With a season (`periodSlots`: 24 for daily) the scan looks past the hour-of-day
 * pattern learnt from the earlier days of the series.
 */
export function estimateOnset(series: HourlySeries, periodSlots?: number): Onset | null {
  const start = Math.max(0, series.values.length - ONSET_HOURS);
  const seasonal = periodSlots && start >= periodSlots ? seasonalChangeIn(series, start, periodSlots) : undefined;
  const cp = seasonal === undefined ? changeIn(series, start, HOURLY_MIN_AFTER) : seasonal;
  if (!cp) return null;
  const fromMs = Date.parse(series.from) + start * HOUR_MS;
  const at = (i: number) => new Date(fromMs + i * HOUR_MS).toISOString();
  const model = seasonal
    ? series.counts
      ? 'Poisson (against the usual rate of each hour of the day)'
      : 'Gaussian mean (beyond the usual value of each hour of the day)'
    : series.counts
      ? 'binomial'
      : 'Gaussian mean';
  return {
    at: at(cp.index),
    earliest: at(cp.low),
    latest: at(cp.high),
    stepMinutes: 60,
    method: `${model} likelihood-ratio scan over the last ${Math.min(ONSET_HOURS, series.values.length)} hours (LR ${cp.lr.toFixed(1)})`,
  };
}

/**
 * Where to look for an hourly onset in finer slots: from an hour before its interval to an hour
 * after it (within the series), so the change has a before and an after to be found between.
 */
export function refinementGrid(onsets: readonly Onset[], hourly: SeriesGrid, stepMs: number): SeriesGrid | null {
  if (onsets.length === 0 || stepMs >= HOUR_MS) return null;
  const fromMs = Math.max(hourly.fromMs, Math.min(...onsets.map((o) => Date.parse(o.earliest))) - HOUR_MS);
  const toMs = Math.min(hourly.toMs, Math.max(...onsets.map((o) => Date.parse(o.latest))) + HOUR_MS);
  return toMs > fromMs ? { fromMs, toMs, stepMs } : null;
}

/** The hourly onset made precise on a finer series over `refinementGrid`; the hourly one when the fine scan finds nothing. */
export function refineOnset(coarse: Onset, fine: HourlySeries | undefined, stepMs: number): Onset {
  if (!fine) return coarse;
  const cp = changeIn(fine, 0);
  if (!cp) return coarse;
  const fromMs = Date.parse(fine.from);
  const at = (i: number) => new Date(fromMs + i * stepMs).toISOString();
  const minutes = stepMs / 60_000;
  return {
    at: at(cp.index),
    earliest: at(cp.low),
    latest: at(cp.high),
    stepMinutes: minutes,
    method: `${coarse.method}, refined over ${minutes}-minute buckets (LR ${cp.lr.toFixed(1)})`,
  };
}
