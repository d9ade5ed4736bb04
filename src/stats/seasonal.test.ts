// The seasonal comparison: same hours of earlier days, in units of the baseline's own spread.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareSeasonally, MIN_NULL_WINDOWS, type SeasonalInput, type SlotCounts } from './seasonal.ts';

/** Hour h of the day (0–23) at slot i, for a series whose last slot is hour 10 of day 8. */
const hourOf = (i: number, n: number) => (((10 - (n - 1 - i)) % 24) + 24) % 24;

/** Counts per hour: `rate(hour, day)` of `trials`, rounded to whole events. */
function rateSeries(rate: (hour: number, day: number) => number, trials = 400, n = 24 * 7 + 1): SlotCounts[] {
  return Array.from({ length: n }, (_, i) => {
    const r = rate(hourOf(i, n), Math.floor((i + (24 - 11)) / 24));
    return { events: Math.round(r * trials), trials };
  });
}

function input(counts: SlotCounts[], direction: SeasonalInput['direction'] = 'up'): SeasonalInput {
  return { values: counts.map((c) => c.events / c.trials), counts, currentSlots: 1, periodSlots: 24, direction };
}

/** Pooled two-proportion z, written out for the expected values. */
const z2 = (x1: number, n1: number, x2: number, n2: number) => {
  const p = (x1 + x2) / (n1 + n2);
  return (x1 / n1 - x2 / n2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
};

describe('rates', () => {
  const peak = (h: number) => (h >= 9 && h <= 12 ? 0.1 : 0.02);

  it('a usual peak hour is usual: the reference is the same hour of the previous days', () => {
    const c = compareSeasonally(input(rateSeries(peak)));
    assert.ok(!('reason' in c));
    assert.equal(c.current, 0.1);
    assert.equal(c.reference, 0.1);
    assert.equal(c.referenceStarts.length, 7);
    assert.equal(c.z, 0);
    assert.equal(c.pValue, 0.5);
  });

  it('a jump at the peak hour: z against the pooled same hours, unit 1 when the baseline varies less than binomially', () => {
    const counts = rateSeries(peak);
    counts[counts.length - 1] = { events: 100, trials: 400 };
    const c = compareSeasonally(input(counts));
    assert.ok(!('reason' in c));
    assert.ok(Math.abs(c.z - z2(100, 400, 280, 2800)) < 1e-12, String(c.z));
    assert.equal(c.unit, 1);
    assert.ok(c.pValue < 1e-15);
    assert.equal(c.empiricalRank, 1 / (1 + c.nullWindows));
  });

  it('hour-to-hour variation wider than binomial widens the unit: 1.4826 × the median |z| of the baseline windows', () => {
    // Alternate days at 2% and 6% in every hour: each window sits far from its leave-one-out reference.
    const counts = rateSeries((_h, day) => (day % 2 === 0 ? 0.02 : 0.06));
    counts[counts.length - 1] = { events: 40, trials: 400 };
    const c = compareSeasonally(input(counts));
    assert.ok(!('reason' in c));
    assert.ok(c.unit > 2, String(c.unit));
    assert.ok(Math.abs(c.pValue - (1 - normalCdf(c.z / c.unit))) < 1e-6);
  });

  it('noise that differs by hour: the unit is the wider of the whole baseline’s and that of the hours near the current one', () => {
    // Busy hours 9–12 swing between 3% and 9% from day to day; the other hours are steady at 2%.
    const counts = rateSeries((h, day) => (h >= 9 && h <= 12 ? (day % 2 === 0 ? 0.03 : 0.09) : 0.02));
    counts[counts.length - 1] = { events: 40, trials: 400 };
    const c = compareSeasonally(input(counts));
    assert.ok(!('reason' in c));
    assert.ok(c.unit > 2, `the busy hours' swings set the unit: ${c.unit}`);
    assert.ok(c.pValue > 0.01, String(c.pValue));
    // The same 10% at a steady hour is far outside that hour's noise.
    const steady = rateSeries((h, day) => (h >= 15 && h <= 18 ? (day % 2 === 0 ? 0.03 : 0.09) : 0.02));
    steady[steady.length - 1] = { events: 40, trials: 400 };
    const s = compareSeasonally(input(steady)) as { unit: number; pValue: number };
    assert.equal(s.unit, 1);
    assert.ok(s.pValue < 1e-6, String(s.pValue));
  });

  it('directions: a drop is unusual downwards and in both, not upwards', () => {
    const counts = rateSeries(() => 0.5);
    counts[counts.length - 1] = { events: 100, trials: 400 };
    const p = (d: SeasonalInput['direction']) => (compareSeasonally(input(counts, d)) as { pValue: number }).pValue;
    assert.ok(p('down') < 1e-10);
    assert.ok(Math.abs(p('both') - 2 * p('down')) < 1e-15);
    assert.ok(p('up') > 0.999);
  });

  it('a ramp over the last three days stays visible: a median is not moved far by a minority of ramped windows', () => {
    const counts = rateSeries((h, day) => 0.02 + Math.max(0, day - 4 + h / 24) * 0.06);
    const last = counts[counts.length - 1]!;
    const c = compareSeasonally(input(counts));
    assert.ok(!('reason' in c));
    assert.ok(last.events / last.trials > 0.2);
    assert.ok(c.pValue < 1e-6, `p=${c.pValue} unit=${c.unit}`);
  });

  it('says why when there is too little history', () => {
    const two = rateSeries(() => 0.1, 400, 24 + 1);
    assert.match((compareSeasonally(input(two)) as { reason: string }).reason, /only 1 earlier day/);
    const sparse = rateSeries(() => 0.1).map((c, i) => (i % 24 === 0 ? c : { events: 0, trials: 0 }));
    assert.match((compareSeasonally(input(sparse)) as { reason: string }).reason, new RegExp(`comparable baseline windows, ${MIN_NULL_WINDOWS} needed`));
    const empty = rateSeries(() => 0.1);
    empty[empty.length - 1] = { events: 0, trials: 0 };
    assert.deepEqual(compareSeasonally(input(empty)), { reason: 'no data in the current window' });
  });
});

describe('values', () => {
  // A daily shape with a small day-to-day wobble: hour h on day d is 100 + 50·[busy] + (d mod 3).
  const values = Array.from({ length: 24 * 7 + 1 }, (_, i) => {
    const h = hourOf(i, 24 * 7 + 1);
    return 100 + (h >= 9 && h <= 12 ? 50 : 0) + (Math.floor(i / 24) % 3);
  });
  const base = { currentSlots: 1, periodSlots: 24, direction: 'both' as const };

  it('a busy hour as busy as usual is usual', () => {
    const c = compareSeasonally({ ...base, values });
    assert.ok(!('reason' in c));
    assert.ok(c.pValue > 0.05, String(c.pValue));
  });

  it('a value far outside the wobble is unusual, and the unit is the wobble’s robust spread', () => {
    const c = compareSeasonally({ ...base, values: [...values.slice(0, -1), 200] });
    assert.ok(!('reason' in c));
    assert.ok(c.unit > 0 && c.unit < 3, String(c.unit));
    assert.ok(c.pValue < 1e-10);
    assert.equal(c.empiricalRank, 1 / (1 + c.nullWindows));
  });

  it('a perfectly regular baseline: any change is unusual, none is not', () => {
    const flat = Array.from({ length: 24 * 7 + 1 }, () => 5);
    assert.equal((compareSeasonally({ ...base, values: flat }) as { pValue: number }).pValue, 1);
    assert.equal((compareSeasonally({ ...base, values: [...flat.slice(0, -1), 6] }) as { pValue: number }).pValue, 0);
  });

  it('a two-hour window compares two-hour windows', () => {
    const c = compareSeasonally({ ...base, currentSlots: 2, values: [values[0]!, ...values] });
    assert.ok(!('reason' in c));
    assert.equal(c.referenceStarts.length, 7);
    assert.ok(c.referenceStarts.every((s) => (values.length - 1 - s) % 24 === 0));
  });
});

/** Φ(x) from the error function's series (independent of the module under test's normal tail). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}
