// How thin the baseline's hash sample of scored traces is: 1 in 8 up to 160,000 targets, then
// thinner, so the sample keeps about 20,000 targets (8 × the 2,500 low-scoring traces kept).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { baselineSample } from './low-scoring.ts';

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
