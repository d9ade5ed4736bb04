// κ checked against hand computations of the textbook formulas (Cohen 1960; Cohen 1968 weighted κ).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrap, cohenKappa, prevalence, rawAgreement, seededRandom, weightedKappa, type Pair } from './agreement.ts';

const repeat = <T>(pair: Pair<T>, n: number): Pair<T>[] => Array.from({ length: n }, () => pair);
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('Cohen’s κ', () => {
  it('2×2 table [[20,5],[10,15]]: p_o = 0.7, p_e = 0.5, κ = 0.4', () => {
    const pairs = [...repeat(['y', 'y'], 20), ...repeat(['y', 'n'], 5), ...repeat(['n', 'y'], 10), ...repeat(['n', 'n'], 15)] as Pair<string>[];
    close(rawAgreement(pairs), 0.7);
    close(cohenKappa(pairs), 0.4);
  });
  it('three categories: κ = 27/67 by hand (p_o = 0.6, p_e = 0.33)', () => {
    const pairs: Pair<number>[] = [
      [1, 1],
      [2, 2],
      [3, 3],
      [1, 2],
      [2, 3],
      [3, 1],
      [2, 2],
      [3, 3],
      [1, 1],
      [2, 1],
    ];
    close(cohenKappa(pairs), 27 / 67);
  });
  it('perfect agreement is 1, chance-level agreement is 0, one shared category is 1', () => {
    close(
      cohenKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]),
      1,
    );
    close(
      cohenKappa([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'b'],
      ]),
      0,
    );
    close(
      cohenKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]),
      1,
    );
    assert.ok(Number.isNaN(cohenKappa([])));
  });
});

describe('weighted κ', () => {
  const pairs: Pair<number>[] = [
    [1, 1],
    [2, 2],
    [3, 3],
    [1, 2],
    [2, 3],
    [3, 1],
    [2, 2],
    [3, 3],
    [1, 1],
    [2, 1],
  ];
  it('quadratic weights on three categories: 1 − 10/18.57 = 6/13', () => close(weightedKappa(pairs, [1, 2, 3]), 6 / 13));
  it('linear weights on three categories: 19/44', () => close(weightedKappa(pairs, [1, 2, 3], 'linear'), 19 / 44));
  it('quadratic weights on a 1–5 scale: 0.7', () => {
    const five: Pair<number>[] = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 5],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 4],
      [3, 1],
      [2, 4],
    ];
    close(weightedKappa(five, [1, 2, 3, 4, 5]), 0.7);
  });
  it('equals Cohen’s κ with two categories', () => {
    const two: Pair<number>[] = [...repeat([1, 1] as const, 20), ...repeat([1, 2] as const, 5), ...repeat([2, 1] as const, 10), ...repeat([2, 2] as const, 15)];
    close(weightedKappa(two, [1, 2]), cohenKappa(two));
  });
});

describe('prevalence and bootstrap', () => {
  it('prevalence is the human label mix', () => {
    assert.deepEqual(
      prevalence([
        ['a', 'x'],
        ['b', 'x'],
        ['a', 'y'],
        ['a', 'x'],
      ]),
      { x: 0.75, y: 0.25 },
    );
  });
  it('a seeded bootstrap is reproducible and covers the point estimate', () => {
    const pairs = [...repeat(['y', 'y'], 20), ...repeat(['y', 'n'], 5), ...repeat(['n', 'y'], 10), ...repeat(['n', 'n'], 15)] as Pair<string>[];
    const a = bootstrap(pairs, cohenKappa, 1000, 0.95, seededRandom(7));
    const b = bootstrap(pairs, cohenKappa, 1000, 0.95, seededRandom(7));
    assert.deepEqual(a, b);
    assert.ok(a.low < 0.4 && a.high > 0.4 && a.se > 0.05 && a.se < 0.25, JSON.stringify(a));
  });
});
