/**
 * What a signal's series add to its verdicts before the cycle decides, in order: the seasonal
 * comparison of each verdict that would drift (the decide stage may take it back on it), the onset
 * of each that still would (hourly, then refined over rollup buckets), and, for people, the hourly
 * values themselves.
 *
 * A backtest asks only for what decides (`describe: false`): series are then read for verdicts
 * that would drift only, so a quiet cycle reads none.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import type { RollupReader } from '../rollups/engine.ts';
import { isTested, seriesKey, wouldDrift, type Judgement } from '../core/verdict.ts';
import type { HourlySeries } from '../core/series.ts';
import type { Signal } from '../signals/types.ts';
import { applySeasonality } from './seasonality.ts';
import { resolveSeasonality } from '../core/season.ts';
import { estimateOnset, refineOnset, refinementGrid, type Onset } from './onset.ts';
import { shortWindowOnset } from './fast-path.ts';
import { HOUR_MS, hourlyGrid, type SeriesGrid } from '../core/series.ts';
import type { Windows } from '../core/windows.ts';

export interface SeriesOptions {
  /** Attach every verdict's hourly values (the status page, alerts); false: only decide and date drifts. */
  describe: boolean;
  log: Logger;
}

/**
 * The rollups a series is read from, for a grid: the stored rollups, or (`rollups.enabled: false`)
 * the families built from raw spans over the grid.
 */
export type SeriesReader = (grid: SeriesGrid) => RollupReader;

export async function judgeWithSeries(signal: Signal<never>, readerFor: SeriesReader, windows: Windows, config: Config, verdicts: Judgement[], options: SeriesOptions): Promise<Judgement[]> {
  const hourly = signal.hourly;
  const wanted = options.describe ? verdicts : verdicts.filter(drifting);
  if (!hourly || wanted.length === 0) return verdicts;
  const grid = hourlyGrid(windows);
  let series: Map<string, HourlySeries>;
  try {
    series = await hourly(readerFor(grid), grid, config, wanted);
  } catch (err) {
    // Without the series a drift stands on the whole-baseline test alone: a missing picture must not hide it.
    const message = err instanceof Error ? err.message : String(err);
    options.log.warn({ signal: signal.name, err }, 'hourly series not available this cycle');
    return verdicts.map((r) => (drifting(r) ? { ...r, evidence: { ...r.evidence, seasonal: { skipped: `hourly series not available: ${message}` } } } : r));
  }
  const season = resolveSeasonality(config.windows);
  const judged = season ? applySeasonality(verdicts, series, season, config.windows.current) : verdicts;
  const onsets = await datedOnsets(signal, readerFor, config, judged, series, grid, options.log, season?.periodHours);
  return judged.map((r) => {
    const s = series.get(seriesKey(r));
    const onset = onsets.get(seriesKey(r));
    if (!s || (!options.describe && !onset)) return r;
    return { ...r, evidence: { ...r.evidence, ...(options.describe ? { hourly: { from: s.from, values: s.values } } : {}), ...(onset ? { onset } : {}) } };
  });
}

/** A verdict that would drift: a tested one on its own test (and seasonal check, once made), or a novelty rule's drift. */
const drifting = (r: Judgement): boolean => (isTested(r) ? wouldDrift(r) : r.status === 'drift');

/** The onset of each drifting verdict: found in its hourly series (past the season's pattern), then refined over rollup buckets. */
async function datedOnsets(
  signal: Signal<never>,
  readerFor: SeriesReader,
  config: Config,
  verdicts: readonly Judgement[],
  series: ReadonlyMap<string, HourlySeries>,
  grid: SeriesGrid,
  log: Logger,
  periodHours?: number,
): Promise<Map<string, Onset>> {
  const coarse = new Map<string, Onset>();
  // Drifts the short window found: dated from it (the hourly series would date them an hour early)
  // and refined inside that interval alone, where no hour of the daily rhythm can be found instead.
  const short = new Set<string>();
  const stepMs = config.rollups.bucket;
  for (const r of verdicts) {
    const s = series.get(seriesKey(r));
    if (!drifting(r) || !s) continue;
    const fast = shortWindowOnset(r, stepMs);
    if (fast) short.add(seriesKey(r));
    const onset = fast ?? estimateOnset(s, periodHours);
    if (onset) coarse.set(seriesKey(r), onset);
  }
  const fineGrid = refinementGrid([...coarse.values()], grid, stepMs);
  if (!fineGrid) return coarse;
  try {
    const fine = await signal.hourly!(
      readerFor(fineGrid),
      fineGrid,
      config,
      verdicts.filter((r) => coarse.has(seriesKey(r))),
    );
    return new Map([...coarse].map(([key, onset]) => [key, refineOnset(onset, cut(fine.get(key), fineGrid.fromMs, onset, stepMs, short.has(key) ? stepMs : HOUR_MS), stepMs)]));
  } catch (err) {
    log.warn({ signal: signal.name, err }, 'onset could not be refined this cycle');
    return coarse;
  }
}

/**
 * One verdict's fine series cut to `marginMs` (an hour; a bucket for a short-window onset, whose
 * interval already holds its before and after) either side of its own onset interval (the shared grid
 * spans every drifting verdict's interval; another verdict's change must not be found instead).
 */
function cut(fine: HourlySeries | undefined, fromMs: number, onset: Onset, stepMs: number, marginMs: number): HourlySeries | undefined {
  if (!fine) return undefined;
  const first = Math.max(0, Math.floor((Date.parse(onset.earliest) - marginMs - fromMs) / stepMs));
  const last = Math.min(fine.values.length, Math.ceil((Date.parse(onset.latest) + marginMs - fromMs) / stepMs));
  return {
    from: new Date(fromMs + first * stepMs).toISOString(),
    values: fine.values.slice(first, last),
    ...(fine.counts ? { counts: fine.counts.slice(first, last) } : {}),
  };
}
