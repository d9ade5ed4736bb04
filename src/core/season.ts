/**
 * Which season a verdict's same-hours comparison uses (`windows.seasonality`), and whether the
 * windows allow it: a season needs two whole periods of baseline and a current window of whole
 * hours no longer than half a period.
 */
import { HOUR_MS } from './series.ts';

/** The window settings a season depends on (config `windows`, durations in ms). */
export interface SeasonalWindows {
  current: number;
  baseline: number;
  seasonality: 'auto' | 'none' | 'daily' | 'weekly';
}

export interface Season {
  name: 'daily' | 'weekly';
  periodHours: number;
}

export const DAILY: Season = { name: 'daily', periodHours: 24 };
export const WEEKLY: Season = { name: 'weekly', periodHours: 168 };

/** Why `season` cannot be used with these windows, or null when it can. */
function unsupported(w: SeasonalWindows, season: Season): string | null {
  const unit = season.name === 'daily' ? 'day' : 'week';
  if (w.current % HOUR_MS !== 0) return `${season.name} seasonality needs windows.current to be a whole number of hours`;
  if (w.current * 2 > season.periodHours * HOUR_MS) return `${season.name} seasonality needs windows.current to be at most half a ${unit}`;
  if (w.baseline < 2 * season.periodHours * HOUR_MS) return `${season.name} seasonality needs windows.baseline of at least ${season.name === 'daily' ? '2d' : '14d'}`;
  return null;
}

/**
 * The season `windows.seasonality` asks for and the windows support. `auto`: weekly when the
 * baseline holds two weeks, daily when it holds two days, else none. A current window that is
 * not a whole number of hours, or longer than half the season, has no same hours to compare with.
 */
export function resolveSeasonality(w: SeasonalWindows): Season | null {
  if (w.seasonality === 'none') return null;
  const candidates = w.seasonality === 'daily' ? [DAILY] : w.seasonality === 'weekly' ? [WEEKLY] : [WEEKLY, DAILY];
  return candidates.find((s) => unsupported(w, s) === null) ?? null;
}

/** Why an explicit `windows.seasonality` cannot be used with these windows (config validation), or null. */
export function seasonalityProblem(w: SeasonalWindows): string | null {
  if (w.seasonality === 'auto' || w.seasonality === 'none') return null;
  return unsupported(w, w.seasonality === 'daily' ? DAILY : WEEKLY);
}
