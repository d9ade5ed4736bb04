// Reference values from scikit-learn's documentation of adjusted_rand_score and by hand for purity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex, purity } from './helpers/cluster-agreement.ts';

describe('cluster agreement measures', () => {
  const cases: [number[], number[], number][] = [
    [[0, 0, 1, 1], [0, 0, 1, 1], 1],
    [[0, 0, 1, 1], [1, 1, 0, 0], 1],
    [[0, 0, 1, 2], [0, 0, 1, 1], 0.5714285714285715],
    [[0, 0, 1, 1], [0, 0, 1, 2], 0.5714285714285715],
    [[0, 0, 0, 0], [0, 1, 2, 3], 0],
    [[0, 0, 1, 1], [0, 1, 0, 1], -0.5],
  ];
  for (const [a, b, expected] of cases) {
    it(`ARI(${a}, ${b}) = ${expected}`, () => assert.ok(Math.abs(adjustedRandIndex(a, b) - expected) < 1e-12, String(adjustedRandIndex(a, b))));
  }
  it('purity counts each cluster’s majority class', () => {
    assert.equal(purity([0, 0, 0, 1, 1], ['a', 'a', 'b', 'c', 'c']), 0.8);
    assert.equal(purity([0, 1, 2], ['a', 'a', 'a']), 1);
  });
});
