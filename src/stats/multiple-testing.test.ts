// Reference values from R's p.adjust(method = "BH").
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { benjaminiHochberg } from './multiple-testing.ts';

const table: { p: number[]; bh: number[] }[] = [
  { p: [0.01, 0.02, 0.03, 0.04, 0.5], bh: [0.05, 0.05, 0.05, 0.05, 0.5] },
  // p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205), "BH")
  { p: [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205], bh: [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714, 0.205] },
  // Order of input is kept.
  { p: [0.5, 0.01], bh: [0.5, 0.02] },
  { p: [1, 1], bh: [1, 1] },
  { p: [], bh: [] },
];

for (const t of table) {
  it(`BH of [${t.p.join(', ')}]`, () => {
    const got = benjaminiHochberg(t.p);
    assert.equal(got.length, t.bh.length);
    got.forEach((g, i) => assert.ok(Math.abs(g - t.bh[i]!) < 1e-6, `${i}: ${g} vs ${t.bh[i]}`));
  });
}
