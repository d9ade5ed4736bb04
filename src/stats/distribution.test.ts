// Reference values: the Kolmogorov distribution's tail (Q(1.36) ≈ 0.0495, the 5% critical value),
// R chisq.test, and hand computations of PSI and Jensen–Shannon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareHomogeneity, jensenShannonDistance, kolmogorovTail, ksPValue, populationStabilityIndex } from './distribution.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('Kolmogorov–Smirnov', () => {
  const table: [number, number][] = [
    [0.5, 0.9639452],
    [1.0, 0.2699997],
    [1.36, 0.0494859],
    [1.63, 0.0098464],
    [2.0, 0.0006709],
  ];
  for (const [lambda, q] of table) it(`Q(${lambda}) = ${q}`, () => close(kolmogorovTail(lambda), q, 1e-6));
  it('p-value uses the effective sample size with Stephens’ correction', () => {
    // n1 = n2 = 100: ne = √50 = 7.0711, λ = (7.0711 + 0.12 + 0.0156)·D
    close(ksPValue(0.2, 100, 100), kolmogorovTail((Math.sqrt(50) + 0.12 + 0.11 / Math.sqrt(50)) * 0.2), 1e-12);
    assert.ok(ksPValue(0.2, 100, 100) < 0.05 && ksPValue(0.1, 100, 100) > 0.5);
    assert.equal(ksPValue(0, 10, 10), 1);
    assert.equal(ksPValue(0.5, 0, 10), 1);
  });
});

describe('population stability index', () => {
  it('shares 25/25/25/25 → 10/20/30/40: 0.228217', () => close(populationStabilityIndex([25, 25, 25, 25], [10, 20, 30, 40]), 0.2282174, 1e-6));
  it('identical distributions: 0', () => close(populationStabilityIndex([5, 10, 85], [50, 100, 850]), 0, 1e-12));
  it('an empty bin stays finite through epsilon', () => assert.ok(Number.isFinite(populationStabilityIndex([50, 50, 0], [40, 40, 20]))));
});

describe('Jensen–Shannon distance', () => {
  it('identical → 0, disjoint → 1', () => {
    close(jensenShannonDistance([1, 2, 3], [2, 4, 6]), 0, 1e-12);
    close(jensenShannonDistance([1, 0], [0, 1]), 1, 1e-12);
  });
  // M = (¾, ¼): KL(P‖M) = ½log₂(⅔) + ½log₂2 = 0.2075187, KL(Q‖M) = log₂(4/3) = 0.4150375; √(mean) = 0.5579230
  it('(½, ½) vs (1, 0): 0.557923', () => close(jensenShannonDistance([0.5, 0.5], [1, 0]), 0.557923, 1e-6));
});

describe('chi-square homogeneity', () => {
  it('[10, 20] vs [20, 10]: χ² = 6.6667, df 1, p = 0.009823 (chisq.test(correct = FALSE))', () => {
    const r = chiSquareHomogeneity([10, 20], [20, 10]);
    close(r.statistic, 20 / 3, 1e-9);
    assert.equal(r.df, 1);
    close(r.pValue, 0.0098233, 1e-6);
  });
  it('merges sparse categories before testing', () => {
    const r = chiSquareHomogeneity([50, 50, 1, 0], [50, 50, 0, 1]);
    assert.equal(r.df, 2);
  });
  it('one empty row is no evidence', () => assert.equal(chiSquareHomogeneity([0, 0], [3, 4]).pValue, 1));
});
