// Student t table values (two-sided 95% critical values) and a hand-worked Welch statistic.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { studentTCdf, welchLess } from './welch.ts';

const critical: [number, number][] = [
  [12.706, 1],
  [2.228, 10],
  [2.042, 30],
  [1.96, 100000],
];
for (const [t, df] of critical) it(`P(T ≤ ${t}; ${df} df) = 0.975`, () => assert.ok(Math.abs(studentTCdf(t, df) - 0.975) < 2e-4));

it('Welch: equal variances and sizes give the pooled t with n1 + n2 − 2 df', () => {
  // means 10 vs 11, sd 2, n 30 each: t = −1 / sqrt(4/30 + 4/30) = −1.93649, df = 58
  const r = welchLess({ n: 30, mean: 10, variance: 4 }, { n: 30, mean: 11, variance: 4 });
  assert.ok(Math.abs(r.t + 1.93649) < 1e-4);
  assert.ok(Math.abs(r.df - 58) < 1e-9);
  assert.ok(Math.abs(r.pValue - studentTCdf(r.t, 58)) < 1e-12);
  assert.ok(r.pValue > 0.02 && r.pValue < 0.035);
});

it('Welch: unequal variances use the Welch–Satterthwaite df', () => {
  // vc = 9/10, vb = 1/20 → df = 0.95² / (0.81/9 + 0.0025/19) = 10.0130
  const r = welchLess({ n: 10, mean: 5, variance: 9 }, { n: 20, mean: 6, variance: 1 });
  assert.ok(Math.abs(r.df - 10.013) < 1e-3, String(r.df));
});

it('Welch: degenerate inputs', () => {
  assert.equal(welchLess({ n: 1, mean: 0, variance: 0 }, { n: 10, mean: 1, variance: 1 }).pValue, 1);
  assert.equal(welchLess({ n: 5, mean: 0, variance: 0 }, { n: 5, mean: 1, variance: 0 }).pValue, 0);
});
