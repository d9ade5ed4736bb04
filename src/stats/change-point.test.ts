// Change points by likelihood-ratio scan, against values computed by hand.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { meanChangePoint, poissonChangePoint, rateChangePoint } from './change-point.ts';

it('rates: 1/10, 1/10, 5/10 change before the third hour (LR 5.7301 by hand)', () => {
  // Split after 2: LL = 2ln.1 + 18ln.9 + 10ln.5 = −13.433131; one segment 7/30: −16.298182.
  const cp = rateChangePoint([
    { events: 1, trials: 10 },
    { events: 1, trials: 10 },
    { events: 5, trials: 10 },
  ])!;
  assert.equal(cp.index, 2);
  assert.ok(Math.abs(cp.lr - 5.730102) < 1e-5, String(cp.lr));
  // Split after 1 scores −15.468116, more than 1.92 below: outside the interval.
  assert.deepEqual([cp.low, cp.high], [2, 2]);
});

it('rates: a step from 2% to 20% at hour 30 of 48 is found there, with a narrow interval', () => {
  const series = Array.from({ length: 48 }, (_, h) => ({ events: h < 30 ? 8 : 80, trials: 400 }));
  const cp = rateChangePoint(series)!;
  assert.equal(cp.index, 30);
  assert.ok(cp.low >= 29 && cp.high <= 31);
});

it('rates: hours without trials do not move the estimate; nothing to split is null', () => {
  const cp = rateChangePoint([
    { events: 1, trials: 100 },
    { events: 0, trials: 0 },
    { events: 30, trials: 100 },
  ])!;
  assert.ok(cp.index === 1 || cp.index === 2);
  assert.equal(rateChangePoint([{ events: 1, trials: 10 }]), null);
});

it('means: 1,2,1,2 then 11,12,11,12 change at index 4 (LR 36.920964 by hand)', () => {
  // SSE split 2, one segment 202; LR = m·ln(202/2) with m = 8.
  const cp = meanChangePoint([1, 2, 1, 2, 11, 12, 11, 12])!;
  assert.equal(cp.index, 4);
  assert.ok(Math.abs(cp.lr - 8 * Math.log(101)) < 1e-9, String(cp.lr));
  assert.deepEqual([cp.low, cp.high], [4, 4]);
});

it('means: a change in the newest value alone is found there when one value may end the series (LR 27.735 by hand)', () => {
  // Split after 6: SSE 1.5 + 0; one segment 136 − 400/7 = 78.857143; LR = 7·ln(78.857143/1.5).
  const cp = meanChangePoint([1, 2, 1, 2, 1, 2, 11], 1)!;
  assert.equal(cp.index, 6);
  assert.ok(Math.abs(cp.lr - 7 * Math.log((136 - 400 / 7) / 1.5)) < 1e-9, String(cp.lr));
  assert.deepEqual([cp.low, cp.high], [6, 6]);
  // With two values required after the change, the same series can only split a slot early.
  assert.equal(meanChangePoint([1, 2, 1, 2, 1, 2, 11])!.index, 5);
});

it('means: missing hours are skipped and indices refer to the series', () => {
  const cp = meanChangePoint([1, null, 2, 1, 2, null, 11, 12, 11, 12])!;
  assert.equal(cp.index, 6);
  assert.equal(meanChangePoint([1, 2, null]), null);
});

it('counts against expectations: 2, 2, 10 where 2 each was expected change before the third (LR 8.4645 by hand)', () => {
  // Split after 2: 4·ln(4/4) + 10·ln(10/2) = 16.094379; one segment: 14·ln(14/6) = 11.862200.
  const cp = poissonChangePoint([2, 2, 10], [2, 2, 2])!;
  assert.equal(cp.index, 2);
  assert.ok(Math.abs(cp.lr - 2 * (10 * Math.log(5) - 14 * Math.log(14 / 6))) < 1e-9, String(cp.lr));
  // Split after 1 scores 12·ln 3 = 13.183347, more than 1.92 below: outside the interval.
  assert.deepEqual([cp.low, cp.high], [2, 2]);
});

it('counts against expectations: a busy hour that was expected to be busy is no change', () => {
  const expected = [10, 10, 40, 40, 10, 10];
  const cp = poissonChangePoint([10, 10, 40, 40, 10, 10], expected)!;
  assert.ok(cp.lr < 1e-9, String(cp.lr));
  assert.equal(rateChangePoint(expected.map((e) => ({ events: e, trials: 100 })))!.lr > 20, true, 'without expectations the busy hours look like a change');
});
