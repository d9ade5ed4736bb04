/**
 * Daily patterns are not drift. A verdict that would drift is compared once more, with the same
 * hours of the day (or week) in the baseline instead of the whole baseline, calibrated against how
 * much the baseline's comparable hours differ from each other (src/stats/seasonal.ts). The
 * comparison becomes part of its finding: the decide stage lets it drift only when both
 * comparisons say so (its p-value becomes the larger of the two, an intersection–union test, valid
 * at the same level).
 *
 * Only tested verdicts (facets decided by a test) with an hourly series are checked; novelty
 * rules (a new error class, an intent the eval set lacks) are not rates that follow the clock.
 */
import { compareSeasonally } from '../stats/seasonal.ts';
import { formatP } from '../core/format.ts';
import { isTested, seriesKey, wouldDrift, type Judgement } from '../core/verdict.ts';
import type { HourlySeries } from '../core/series.ts';
import { HOUR_MS } from '../core/series.ts';
import type { Season } from '../core/season.ts';

/** Applies the seasonal comparison to every checked verdict that has a series. */
export function applySeasonality(verdicts: readonly Judgement[], series: ReadonlyMap<string, HourlySeries>, season: Season, currentMs: number): Judgement[] {
  return verdicts.map((r) => {
    const s = series.get(seriesKey(r));
    if (!isTested(r) || !wouldDrift(r) || !s) return r;
    const cmp = compareSeasonally({
      values: s.values,
      counts: s.counts,
      samples: s.samples,
      currentSlots: Math.round(currentMs / HOUR_MS),
      periodSlots: season.periodHours,
      direction: s.direction ?? 'both',
    });
    if ('reason' in cmp) return { ...r, evidence: { ...r.evidence, seasonal: { seasonality: season.name, skipped: cmp.reason } } };
    const fromMs = Date.parse(s.from);
    const seasonal = {
      seasonality: season.name,
      current: round(cmp.current),
      reference: round(cmp.reference),
      referenceHours: cmp.referenceStarts.map((i) => new Date(fromMs + i * HOUR_MS).toISOString()),
      z: round(cmp.z),
      noiseUnit: round(cmp.unit),
      pValue: cmp.pValue,
      empiricalRank: round(cmp.empiricalRank),
      comparedWindows: cmp.nullWindows,
      test: `same hours ${season.name === 'daily' ? 'on the previous days' : 'of the previous weeks'}, ${s.counts ? 'two-proportion z' : 'difference of means'} in units of the baseline's own spread (1.4826 × the median |z| of ${cmp.nullWindows} comparable windows${s.counts ? ', at least the binomial one' : ''})`,
    };
    const days = cmp.referenceStarts.length;
    const clause = `usual for this time of ${season.name === 'daily' ? 'day' : 'week'}: ${formatValue(cmp.reference, s)} in the same hours of the previous ${days} ${season.name === 'daily' ? 'days' : 'weeks'} (seasonal p=${formatP(cmp.pValue)}, rank ${cmp.empiricalRank.toFixed(2)})`;
    return { ...r, evidence: { ...r.evidence, seasonal }, finding: { ...r.finding, seasonal: { pValue: cmp.pValue, clause } } };
  });
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : x);
const formatValue = (v: number, s: HourlySeries) => (s.counts ? `${(v * 100).toFixed(1)}%` : v.toPrecision(3));
