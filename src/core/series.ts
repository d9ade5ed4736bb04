/**
 * Hourly series of verdicts: the value slot by slot over the baseline and current window. A series
 * is what a person looks at (the status page, the sparkline in an alert), what the seasonal check
 * compares and what an onset is estimated from.
 */
import type { Windows } from './windows.ts';

/** Which way a value moves when its verdict drifts. */
export type Direction = 'up' | 'down' | 'both';

/** One hour's events out of trials, for a rate's hourly series. */
export interface HourCounts {
  events: number;
  trials: number;
}

/**
 * A verdict's value hour by hour, in the verdict's own unit, from the first hour of the baseline
 * to the end of the current window (`values[i]` is the hour starting `from` + i hours; null: no
 * data that hour). Rates also carry their counts, which the onset estimate weighs.
 */
export interface HourlySeries {
  from: string;
  values: (number | null)[];
  counts?: HourCounts[];
  /** For other values: observations behind each slot's value (calls, inputs). */
  samples?: number[];
  /** Which way the value moves when the verdict drifts (the seasonal check tests that way). */
  direction?: Direction;
}

export const HOUR_MS = 3_600_000;

/** The slots of a series: [fromMs, toMs) in steps of stepMs (an hour, or a rollup bucket for onsets). */
export interface SeriesGrid {
  fromMs: number;
  toMs: number;
  stepMs: number;
}

/**
 * The hourly grid of a verdict's series: whole hours counted back from the end of the current
 * window (not clock hours), so the last hour is exactly a one-hour current window and the hour
 * 24 slots earlier is the same clock hour the day before, whatever minute the cycle runs at.
 */
export function hourlyGrid(windows: Windows): SeriesGrid {
  const toMs = windows.current.to.getTime();
  const hours = Math.ceil((toMs - windows.baseline.from.getTime()) / HOUR_MS);
  return { fromMs: toMs - hours * HOUR_MS, toMs, stepMs: HOUR_MS };
}

/** A series from per-slot rows (`at` in ms); slots without a row are null. */
export function seriesFromRows(grid: SeriesGrid, rows: readonly { at: number; value: number | null; counts?: HourCounts; samples?: number }[], direction?: Direction): HourlySeries {
  const slots = Math.ceil((grid.toMs - grid.fromMs) / grid.stepMs);
  const values: (number | null)[] = Array(slots).fill(null);
  const counts: HourCounts[] = Array.from({ length: slots }, () => ({ events: 0, trials: 0 }));
  const samples: number[] = Array(slots).fill(0);
  let rate = false;
  let counted = false;
  for (const r of rows) {
    const i = Math.floor((Number(r.at) - grid.fromMs) / grid.stepMs);
    if (i < 0 || i >= slots) continue;
    values[i] = r.value;
    if (r.samples !== undefined) {
      counted = true;
      samples[i] = r.samples;
    }
    if (r.counts) {
      rate = true;
      counts[i] = r.counts;
    }
  }
  return { from: new Date(grid.fromMs).toISOString(), values, ...(rate ? { counts } : {}), ...(counted && !rate ? { samples } : {}), ...(direction ? { direction } : {}) };
}

/** One slot of a rate: events out of trials (no value without trials). */
export function rateAt(at: number, events: number, trials: number): { at: number; value: number | null; counts: HourCounts } {
  return { at: Number(at), value: trials > 0 ? events / trials : null, counts: { events, trials } };
}
