/**
 * Is the current window unusual for its time of day (or week)? The current window is compared
 * with the same hours one period (a day, a week) earlier, and the answer is calibrated against
 * the baseline's own variation:
 *
 * 1. Every window of the baseline that has the current window's length and phase is compared the
 *    same way with its own same-phase windows (the other days' same hours, leave-one-out). These
 *    comparisons are the empirical null: how far a window of this series usually sits from its
 *    seasonal reference.
 * 2. Each comparison is a z statistic: a two-proportion z for rates (events out of trials), the
 *    difference of means for other values.
 * 3. The noise unit is the robust spread of the null's statistics: 1.4826 × their median
 *    absolute value (the normal standard deviation that median implies), over the windows of
 *    the baseline's older half compared among themselves (all windows when that half is too
 *    short), and the wider of that and the same measured among the windows within two hours of
 *    the current one's hour of day (a busy hour of a flaky tool varies more than a quiet one).
 *    For rates it is at least 1: real rates are overdispersed and bursty, so hour-to-hour
 *    variation is usually wider than the binomial one, never narrower; for values it is the only
 *    scale there is. A median, not the mean square, so a past incident inside the baseline does
 *    not widen the unit; the older half, so a slow ramp that began recently does not either (it
 *    would otherwise be absorbed until nothing could stand out any more).
 * 4. p-value: the normal tail of z / unit in the tested direction. The empirical rank (share of
 *    null windows at least as extreme) is reported beside it.
 *
 * Pure; no library covers it. Reference values in seasonal.test.ts are computed by hand.
 */
import type { Direction } from '../core/series.ts';
import { median } from 'simple-statistics';
import { normalUpperTail } from './normal.ts';

export interface SlotCounts {
  events: number;
  trials: number;
}

export interface SeasonalInput {
  /** One value per slot (hour), oldest first; the last `currentSlots` are the current window. */
  values: readonly (number | null)[];
  /** For rates: the counts behind each value (then the test is a two-proportion z). */
  counts?: readonly SlotCounts[];
  /** For other values: how many observations each slot's value summarises (a slot with a value counts 1 without it). */
  samples?: readonly number[];
  currentSlots: number;
  /** Slots in one season (24 hours: daily, 168: weekly). */
  periodSlots: number;
  direction: Direction;
}

export interface SeasonalComparison {
  /** Current window's value and its seasonal reference (pooled rate, or mean of values). */
  current: number;
  reference: number;
  /** Slot indices at which the reference windows start (oldest first). */
  referenceStarts: number[];
  /** The current window's statistic, before and after dividing by the noise unit. */
  z: number;
  unit: number;
  pValue: number;
  /** (1 + null windows at least as extreme) / (1 + null windows). */
  empiricalRank: number;
  nullWindows: number;
}

/** Fewer comparable baseline windows than this (a day of hours) is too little to calibrate on. */
export const MIN_NULL_WINDOWS = 24;
/** 1.4826 × the median absolute value of a centred normal sample estimates its standard deviation. */
const MAD_TO_SD = 1.4826;

interface Window {
  value: number;
  events: number;
  trials: number;
  /** Observations behind the window (calls, inputs, …). */
  samples: number;
}

/** Windows within this many slots of the current window's phase measure the local noise. */
const NEAR_PHASE = 2;
/** Fewer local windows than this leave the local unit out. */
const MIN_NEAR_WINDOWS = 8;

/**
 * The standard deviation a centred normal sample's median absolute value implies. Centred on 0,
 * not on the median: 0 is what the seasonal reference predicts, and a spread measured around a
 * shifted centre would miss days that alternate between two levels.
 */
const robustSd = (zs: readonly number[]) => (zs.length === 0 ? 0 : MAD_TO_SD * median(zs.map(Math.abs)));

/** Compares the current window with its seasonal reference, or says why it cannot. */
export function compareSeasonally(input: SeasonalInput): SeasonalComparison | { reason: string } {
  const { values, currentSlots: k, periodSlots: period } = input;
  const n = values.length;
  const baselineEnd = n - k; // slots [0, baselineEnd) are the baseline
  // Every window of k slots, once: the null compares each with its same-phase windows.
  const windows = Array.from({ length: n - k + 1 }, (_, start) => windowAt(input, start, k));
  const window = (start: number) => windows[start] ?? null;
  /** Same-phase windows ending by `end`, other than the one at `start`. */
  const phaseStarts = (start: number, end = baselineEnd) => {
    const out: number[] = [];
    for (let s = start % period; s + k <= end; s += period) if (s !== start) out.push(s);
    return out;
  };
  /** Every baseline window ending by `end` against its same-phase windows ending by `end`. */
  const nullStatistics = (end: number) => {
    const out: { start: number; z: number }[] = [];
    for (let start = 0; start + k <= end; start++) {
      const w = window(start);
      const refs = phaseStarts(start, end)
        .map(window)
        .filter((x): x is Window => x !== null);
      if (w && refs.length > 0) out.push({ start, z: statistic(w, pool(refs, !!input.counts), !!input.counts) });
    }
    return out;
  };

  const current = window(baselineEnd);
  if (!current) return { reason: 'no data in the current window' };
  const referenceStarts = phaseStarts(baselineEnd).filter((s) => window(s) !== null);
  if (referenceStarts.length < 2) return { reason: `only ${referenceStarts.length} earlier ${period === 168 ? 'week' : 'day'}(s) with data in the same hours, 2 needed` };
  const reference = pool(
    referenceStarts.map((s) => window(s)!),
    !!input.counts,
  );
  // Same hours with less data than the current window have less power than the whole baseline:
  // they would take back a real drift for want of data, not because the hour is usual.
  if (reference.samples < current.samples) {
    return {
      reason: `the same hours of earlier ${period === 168 ? 'weeks' : 'days'} hold ${reference.samples} observations, fewer than the current window's ${current.samples}: too few to tell a daily pattern`,
    };
  }

  const nullWindows = nullStatistics(baselineEnd);
  const nullStats = nullWindows.map((w) => w.z);
  if (nullStats.length < MIN_NULL_WINDOWS) return { reason: `only ${nullStats.length} comparable baseline windows, ${MIN_NULL_WINDOWS} needed` };
  // The unit is measured in the older half of the baseline when it holds enough windows: a change
  // that began in the recent half (a slow ramp) must not widen the unit it is measured in.
  const older = nullStatistics(Math.floor(baselineEnd / 2));
  const unitWindows = older.length >= MIN_NULL_WINDOWS ? older : nullWindows;
  // Noise is not the same at every hour (a busy hour of a flaky tool varies more than a quiet
  // one): the unit is also measured among the windows within NEAR_PHASE hours of the current
  // one's hour, and the wider of the two is used.
  const distance = (start: number) => {
    const d = Math.abs((start % period) - (baselineEnd % period));
    return Math.min(d, period - d);
  };
  const near = unitWindows.filter((w) => distance(w.start) <= NEAR_PHASE).map((w) => w.z);
  const spread = Math.max(robustSd(unitWindows.map((w) => w.z)), near.length >= MIN_NEAR_WINDOWS ? robustSd(near) : 0);

  const z = statistic(current, reference, !!input.counts);
  const unit = input.counts ? Math.max(1, spread) : spread;
  const scaled = unit > 0 ? z / unit : z === 0 ? 0 : Math.sign(z) * Infinity;
  const extreme = (s: number) => (input.direction === 'up' ? s >= z : input.direction === 'down' ? s <= z : Math.abs(s) >= Math.abs(z));
  return {
    current: current.value,
    reference: reference.value,
    referenceStarts,
    z,
    unit,
    pValue: tail(scaled, input.direction),
    empiricalRank: (1 + nullStats.filter(extreme).length) / (1 + nullStats.length),
    nullWindows: nullStats.length,
  };
}

/** The window of `k` slots starting at `start`: pooled counts for rates, mean of present values otherwise; null without data. */
function windowAt(input: SeasonalInput, start: number, k: number): Window | null {
  if (input.counts) {
    let events = 0;
    let trials = 0;
    for (let i = start; i < start + k; i++) {
      events += input.counts[i]?.events ?? 0;
      trials += input.counts[i]?.trials ?? 0;
    }
    return trials > 0 ? { value: events / trials, events, trials, samples: trials } : null;
  }
  let sum = 0;
  let present = 0;
  let samples = 0;
  for (let i = start; i < start + k; i++) {
    const v = input.values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    sum += v;
    present++;
    samples += input.samples?.[i] ?? 1;
  }
  return present > 0 ? { value: sum / present, events: 0, trials: present, samples } : null;
}

function pool(windows: readonly Window[], rate: boolean): Window {
  if (rate) {
    const events = windows.reduce((s, w) => s + w.events, 0);
    const trials = windows.reduce((s, w) => s + w.trials, 0);
    return { value: events / trials, events, trials, samples: trials };
  }
  const samples = windows.reduce((s, w) => s + w.samples, 0);
  return { value: windows.reduce((s, w) => s + w.value, 0) / windows.length, events: 0, trials: windows.length, samples };
}

/** Pooled two-proportion z for rates (0 when both are 0 or 1); the difference for values. */
function statistic(w: Window, ref: Window, rate: boolean): number {
  if (!rate) return w.value - ref.value;
  const p = (w.events + ref.events) / (w.trials + ref.trials);
  const se = Math.sqrt(p * (1 - p) * (1 / w.trials + 1 / ref.trials));
  return se === 0 ? 0 : (w.value - ref.value) / se;
}

function tail(scaled: number, direction: Direction): number {
  if (direction === 'up') return normalUpperTail(scaled);
  if (direction === 'down') return normalUpperTail(-scaled);
  return Math.min(1, 2 * normalUpperTail(Math.abs(scaled)));
}
