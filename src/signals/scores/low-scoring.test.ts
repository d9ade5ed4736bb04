// How the low-scoring traces behind a falling rubric are chosen: how thin the baseline's hash
// sample is, which targets count as low, and which of them are kept.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { baselineSample, byHash, isLow, pickLow, type LowTest, type ScoredTarget } from './low-scoring.ts';

it('reads 1 baseline trace in 8 until the baseline is busy, then about 20,000 targets', () => {
  const cases: [number, number][] = [
    [0, 8],
    [1_000, 8],
    [160_000, 8],
    [179_999, 8],
    [180_000, 9],
    [3_300_000, 165],
  ];
  for (const [targets, oneIn] of cases) assert.equal(baselineSample(targets), oneIn, String(targets));
});

it('tells a low target as the verdict counts it', () => {
  const cases: [Parameters<typeof isLow>[0], LowTest, boolean][] = [
    [{ score: 0.2, label: '' }, { kind: 'all' }, true],
    [{ score: 0.4, label: '' }, { kind: 'threshold', threshold: 0.5, higherIsBetter: true }, true],
    [{ score: 0.5, label: '' }, { kind: 'threshold', threshold: 0.5, higherIsBetter: true }, false],
    // Lower is better: at or above the threshold fails.
    [{ score: 0.5, label: '' }, { kind: 'threshold', threshold: 0.5, higherIsBetter: false }, true],
    [{ score: null, label: '' }, { kind: 'threshold', threshold: 0.5, higherIsBetter: true }, false],
    [{ score: null, label: 'fail' }, { kind: 'failLabel' }, true],
    [{ score: null, label: 'pass' }, { kind: 'failLabel' }, false],
    [{ score: null, label: 'partial' }, { kind: 'offLabel', usual: 'pass' }, true],
    [{ score: null, label: 'pass' }, { kind: 'offLabel', usual: 'pass' }, false],
    [{ score: 0.79, label: '' }, { kind: 'belowMean', mean: 0.8, higherIsBetter: true }, true],
    [{ score: 0.8, label: '' }, { kind: 'belowMean', mean: 0.8, higherIsBetter: true }, false],
    [{ score: 0.81, label: '' }, { kind: 'belowMean', mean: 0.8, higherIsBetter: false }, true],
    [{ score: null, label: '' }, { kind: 'belowMean', mean: 0.8, higherIsBetter: true }, false],
  ];
  for (const [target, test, low] of cases) assert.equal(isLow(target, test), low, JSON.stringify([target, test]));
});

it('orders UInt64s sent as text by value, not by their digits', () => {
  const cases: [string, string, number][] = [
    ['9', '10', -1],
    ['18446744073709551615', '9223372036854775808', 1],
    ['123', '123', 0],
    ['120', '123', -1],
  ];
  for (const [a, b, sign] of cases) assert.equal(Math.sign(byHash(a, b)), sign, `${a} vs ${b}`);
});

it('picks the low targets of one part, once each, smallest hash first, at most max', () => {
  const t = (trace_id: string, h: string, score: number, cur: number): ScoredTarget => ({ trace_id, h, score, label: '', cur });
  const targets = [t('a', '30', 0.1, 1), t('b', '4', 0.2, 1), t('c', '100', 0.9, 1), t('b', '4', 0.3, 1), t('d', '2', 0.1, 0), t('e', '7', 0.1, 1)];
  const below = { kind: 'belowMean', mean: 0.5, higherIsBetter: true } as const;
  assert.deepEqual(pickLow(targets, below, 1), ['b', 'e', 'a']);
  assert.deepEqual(pickLow(targets, below, 1, 2), ['b', 'e']);
  assert.deepEqual(pickLow(targets, below, 0), ['d']);
  assert.deepEqual(pickLow(targets, { kind: 'all' }, 1), ['b', 'e', 'a', 'c']);
});
