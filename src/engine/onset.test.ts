// Onsets from hourly series: the change is found past the hour-of-day pattern, then refined.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateOnset, refineOnset, refinementGrid } from './onset.ts';
import type { HourlySeries } from '../core/series.ts';

const FROM = '2026-11-13T16:00:00.000Z';
const H = 3_600_000;
/** 7 days + 1 hour of hourly counts: 35% of 400 at hours 8–11 UTC, 4% otherwise; from `shiftAt` on, 60% at every hour. */
function shares(shiftAt: number | null): HourlySeries {
  const counts = Array.from({ length: 169 }, (_, i) => {
    const hour = new Date(Date.parse(FROM) + i * H).getUTCHours();
    const rate = shiftAt !== null && i >= shiftAt ? 0.6 : hour >= 8 && hour < 12 ? 0.35 : 0.04;
    return { events: Math.round(rate * 400), trials: 400 };
  });
  return { from: FROM, values: counts.map((c) => c.events / c.trials), counts };
}

it('a shift at a quiet hour is dated there, not at the daily peak, once the scan knows the hour of day', () => {
  const s = shares(165);
  const daily = estimateOnset(s, 24)!;
  assert.equal(daily.at, new Date(Date.parse(FROM) + 165 * H).toISOString());
  assert.match(daily.method, /usual rate of each hour of the day/);
  // Without the season the busy hours are a change too; the scan may stop at one of them.
  const plain = estimateOnset(s)!;
  assert.match(plain.method, /^binomial/);
});

it('the daily pattern alone has no onset beyond the hour of day', () => {
  assert.equal(estimateOnset(shares(null), 24), null);
});

it('refines an hourly onset over 5-minute buckets around its interval', () => {
  const coarse = { at: '2026-11-20T13:00:00.000Z', earliest: '2026-11-20T13:00:00.000Z', latest: '2026-11-20T14:00:00.000Z', stepMinutes: 60, method: 'hourly' };
  const grid = refinementGrid([coarse], { fromMs: Date.parse('2026-11-13T16:00:00Z'), toMs: Date.parse('2026-11-20T16:00:00Z'), stepMs: H }, 300_000)!;
  assert.deepEqual([new Date(grid.fromMs).toISOString(), new Date(grid.toMs).toISOString()], ['2026-11-20T12:00:00.000Z', '2026-11-20T15:00:00.000Z']);
  // 36 buckets from 12:00; the change starts with the bucket at 13:10 (index 14).
  const counts = Array.from({ length: 36 }, (_, i) => ({ events: i >= 14 ? 10 : 1, trials: 50 }));
  const fine = refineOnset(coarse, { from: '2026-11-20T12:00:00.000Z', values: counts.map((c) => c.events / c.trials), counts }, 300_000);
  assert.equal(fine.at, '2026-11-20T13:10:00.000Z');
  assert.equal(fine.stepMinutes, 5);
  assert.match(fine.method, /^hourly, refined over 5-minute buckets/);
  assert.equal(refineOnset(coarse, undefined, 300_000), coarse);
  assert.equal(refinementGrid([], grid, 300_000), null);
});
