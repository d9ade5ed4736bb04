// Reference values: R pnorm(z, lower.tail = FALSE) and qnorm(p).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile, normalUpperTail } from './normal.ts';

const upper: [number, number][] = [
  [-1.96, 0.9750021048517795],
  [0, 0.5],
  [1.959964, 0.025],
  [3, 0.0013498980316301],
  [5, 2.866515718791939e-7],
  [7.5, 3.190891672910919e-14],
  [8, 6.220960574271785e-16],
  [10, 7.619853024160527e-24],
  [20, 2.753624118606233e-89],
];

for (const [z, p] of upper) {
  it(`P(Z ≥ ${z}) = ${p}`, () => {
    const got = normalUpperTail(z);
    assert.ok(Math.abs(got - p) / p < 1e-5, `${got} vs ${p}`);
  });
}

it('qnorm(0.975) = 1.959964', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
});
