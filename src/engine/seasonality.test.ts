// Which season the windows support, and what the seasonal check does to a cycle's verdicts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applySeasonality } from './seasonality.ts';
import { DAILY, resolveSeasonality } from '../core/season.ts';
import { configSchema } from '../config/schema.ts';
import { seriesKey, type Judgement, type SignalResult, type Tested } from '../core/verdict.ts';
import { decide } from './decide.ts';
import type { HourlySeries } from '../core/series.ts';

const H = 3_600_000;
const D = 24 * H;

describe('resolveSeasonality', () => {
  const cases: [string, string, number, number, string | null][] = [
    ['auto, 7-day baseline: daily', 'auto', H, 7 * D, 'daily'],
    ['auto, 28-day baseline: weekly', 'auto', H, 28 * D, 'weekly'],
    ['auto, 1-day baseline: none (one earlier day is no reference)', 'auto', H, D, null],
    ['auto, 30-minute current window: none (not whole hours)', 'auto', 30 * 60_000, 7 * D, null],
    ['auto, 13-hour current window: weekly only', 'auto', 13 * H, 28 * D, 'weekly'],
    ['none', 'none', H, 28 * D, null],
    ['daily on 28 days', 'daily', H, 28 * D, 'daily'],
  ];
  for (const [name, seasonality, current, baseline, expected] of cases) {
    it(name, () => {
      const w = configSchema.parse({ windows: { seasonality, current: `${current / 60_000}m`, baseline: `${baseline / H}h` } }).windows;
      assert.equal(resolveSeasonality(w)?.name ?? null, expected);
    });
  }

  it('rejects an explicit season the windows cannot support, naming the key', () => {
    const r = configSchema.safeParse({ windows: { seasonality: 'weekly', baseline: '7d' } });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error?.issues), /windows.*seasonality.*weekly seasonality needs windows.baseline of at least 14d/s);
  });
});

describe('applySeasonality', () => {
  const verdict = (over: Partial<Tested> = {}): Tested => ({
    signal: 'tool_error_rate',
    driftMode: 'tool-api',
    layer: 'tool',
    subject: { tool: 'lookup_booking' },
    status: 'tested',
    value: 0.06,
    baseline: 0.027,
    samples: { current: 800, baseline: 80_000 },
    pValue: 1e-9,
    finding: { alpha: 0.001, practical: true, meaning: 'the vendor changed' },
    evidence: { traceIds: ['t1'], unit: 'ratio' },
    message: 'lookup_booking error rate 2.7% → 6.0%',
    ...over,
  });
  /** 7 days and the current hour; the current hour of day (the last slot) is busy at 6%, other hours 2%. */
  const series = (currentRate: number): HourlySeries => {
    const n = 7 * 24 + 1;
    const counts = Array.from({ length: n }, (_, i) => ({ events: (n - 1 - i) % 24 === 0 ? 48 : 8, trials: 800 }));
    counts[n - 1] = { events: Math.round(currentRate * 800), trials: 800 };
    return { from: '2026-11-13T10:00:00.000Z', values: counts.map((c) => c.events / c.trials), counts, direction: 'up' };
  };
  const run = (r: Judgement, s: HourlySeries | null) => applySeasonality([r], new Map(s ? [[seriesKey(r), s]] : []), DAILY, H)[0]!;
  /** Checked and then settled, as a cycle does. */
  const settled = (r: Judgement, s: HourlySeries | null) => decide([run(r, s)])[0]!;

  it('a drift usual for this hour is taken back by the decide stage, saying so once', () => {
    const out = settled(verdict(), series(0.06));
    assert.equal(out.status, 'ok');
    assert.equal(out.message, `lookup_booking error rate 2.7% → 6.0%: ${(run(verdict(), series(0.06)) as Tested).finding.seasonal!.clause}`);
    assert.match(out.message, /: usual for this time of day: 6\.0% in the same hours of the previous 7 days \(seasonal p=[^)]*\)$/);
    const seasonal = out.evidence.seasonal as { reference: number; referenceHours: string[]; pValue: number };
    assert.equal(seasonal.reference, 0.06);
    assert.equal(seasonal.referenceHours.length, 7);
    assert.equal(seasonal.referenceHours[6], '2026-11-19T10:00:00.000Z');
    assert.equal(out.evidence.pValueWholeBaseline, 1e-9);
    assert.equal(out.pValue, seasonal.pValue);
  });

  it('keeps a drift unusual for this hour too, with the larger p-value', () => {
    const out = settled(verdict(), series(0.2));
    assert.equal(out.status, 'drift');
    assert.equal(out.pValue, 1e-9, 'the whole-baseline p-value is the larger one here');
    assert.ok((out.evidence.seasonal as { pValue: number }).pValue < 1e-9);
    assert.equal(out.message, 'lookup_booking error rate 2.7% → 6.0%: the vendor changed');
  });

  it('leaves alone what it does not check: settled verdicts (novelty rules), findings that would not drift, no series', () => {
    const novelty: SignalResult = { ...verdict(), status: 'drift', pValue: null, evidence: { traceIds: [] } };
    assert.deepEqual(run(novelty, series(0.06)), novelty);
    const weak = verdict({ pValue: 0.2 });
    assert.deepEqual(run(weak, series(0.06)), weak);
    const small = verdict({ finding: { alpha: 0.001, practical: 'too small', meaning: 'x' } });
    assert.deepEqual(run(small, series(0.06)), small);
    assert.deepEqual(run(verdict(), null), verdict());
  });

  it('says why it could not check, and lets the whole baseline decide', () => {
    const short: HourlySeries = {
      from: '2026-11-19T10:00:00.000Z',
      values: [0.06, 0.06],
      counts: [
        { events: 48, trials: 800 },
        { events: 48, trials: 800 },
      ],
      direction: 'up',
    };
    const out = settled(verdict(), short);
    assert.equal(out.status, 'drift');
    assert.match((out.evidence.seasonal as { skipped: string }).skipped, /earlier day/);
  });
});
