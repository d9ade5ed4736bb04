// Exact binomial tails: R binom.test(x, n, 0.5, alternative = "greater")$p.value.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { signTestGreater } from './sign-test.ts';

const table: [number, number, number][] = [
  [9, 1, 11 / 1024], // (C(10,9) + C(10,10)) / 2^10
  [8, 2, 56 / 1024],
  [5, 5, 638 / 1024],
  [10, 0, 1 / 1024],
  [0, 10, 1],
  [0, 0, 1],
  [30, 10, 0.00111071688661468], // Σ_{k=30..40} C(40,k) / 2^40, summed exactly in integers
];
for (const [pos, neg, p] of table) {
  it(`${pos} up, ${neg} down → ${p}`, () => assert.ok(Math.abs(signTestGreater(pos, neg) - p) < 1e-6, String(signTestGreater(pos, neg))));
}

it('binomial tails with p ≠ ½: P(X ≥ 8 | 10, 0.6) = 0.1672898 (exact sum of C(10,k)·0.6^k·0.4^(10−k))', async () => {
  const { binomialUpperTail } = await import('./sign-test.ts');
  assert.ok(Math.abs(binomialUpperTail(8, 10, 0.6) - 0.1672897536) < 1e-9);
  assert.equal(binomialUpperTail(0, 10, 0.3), 1);
  assert.equal(binomialUpperTail(11, 10, 0.3), 0);
});
