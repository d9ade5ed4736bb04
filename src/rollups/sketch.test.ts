// Mergeable summaries against exact computations on the same values.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_LIMIT, countAbove, countAtOrBelow, kmvEstimate, lengthBinValue, logBinOf, logBinValue, mergeHistograms, quantileBin, quantilesInclusive, type Histogram } from './sketch.ts';

const histogramOf = (values: number[], bin: (x: number) => number): Histogram => {
  const h: Histogram = {};
  for (const v of values) h[bin(v)] = (h[bin(v)] ?? 0) + 1;
  return h;
};
const exactLength = (x: number) => (x <= EXACT_LIMIT ? x : 1_000_000 + Math.floor(Math.log(x) / Math.log(1.01)));

/** Type-7 quantile (linear interpolation), the definition of quantilesExactInclusive. */
function type7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

it('gives exact interpolated quantiles of integer lengths up to the exact limit', () => {
  const cases = [[1, 2, 3, 4, 5], [10, 10, 10, 40], [7], [3, 1, 2, 2, 9, 1500, 2000, 44]];
  for (const values of cases) {
    const sorted = [...values].sort((a, b) => a - b);
    const levels = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1];
    const got = quantilesInclusive(histogramOf(values, exactLength), levels, lengthBinValue);
    levels.forEach((p, i) => assert.ok(Math.abs(got[i]! - type7(sorted, p)) < 1e-9, `${values} p=${p}: ${got[i]} vs ${type7(sorted, p)}`));
  }
});

it('counts lengths at or below an edge exactly', () => {
  const values = [1, 2, 2, 3, 10, 11, 2000];
  const h = histogramOf(values, exactLength);
  for (const edge of [0, 1, 2, 2.5, 10, 1999, 2000, 5000]) assert.equal(countAtOrBelow(h, edge, lengthBinValue), values.filter((v) => v <= edge).length, `edge ${edge}`);
});

it('puts a latency quantile within ±0.5% of the exact order statistic', () => {
  let state = 7;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const values = Array.from({ length: 5000 }, () => Math.exp(5 + 0.6 * Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())));
  const sorted = [...values].sort((a, b) => a - b);
  const h = histogramOf(values, logBinOf);
  for (const q of [0.5, 0.9, 0.95, 0.99]) {
    const exact = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const got = logBinValue(quantileBin(h, q)!);
    assert.ok(Math.abs(got / exact - 1) <= 0.005 + 1e-9, `q=${q}: ${got} vs ${exact}`);
  }
});

it('merges histograms by adding counts, in any order', () => {
  const a = { '1': 2, '5': 1 };
  const b = { '5': 3, '9': 1 };
  assert.deepEqual(mergeHistograms(a, b), { '1': 2, '5': 4, '9': 1 });
  assert.deepEqual(mergeHistograms(b, a), mergeHistograms(a, b));
  assert.equal(quantileBin({}, 0.5), null);
});

it('counts values above a quantile bin: higher bins plus half the bin itself', () => {
  const h = { '1': 10, '2': 5, '3': 4 };
  assert.equal(countAbove(h, 2), 4 + 2);
  assert.equal(countAbove(h, 3), 2);
  assert.equal(countAbove(h, 0), 19);
});

it('estimates distinct counts from the k smallest hashes: exact below k, close above', () => {
  assert.equal(kmvEstimate([0.1, 0.5, 0.9], 4), 3);
  // 20,000 distinct values hashed uniformly: the 1,024th smallest of evenly spread hashes.
  const n = 20_000;
  let state = 11;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const hashes = Array.from({ length: n }, rand).sort((a, b) => a - b);
  const estimate = kmvEstimate(hashes.slice(0, 1024));
  assert.ok(Math.abs(estimate / n - 1) < 0.1, `${estimate} for ${n}`);
});
