// Table tests against reference values: R prop.test / scipy, exact hypergeometric sums, Wilson (1927) tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fisherExactGreater, rateIncreaseTest, twoProportionZTest, wilsonInterval } from './proportions.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (±${tolerance})`);

describe('twoProportionZTest (one-sided, pooled)', () => {
  const table = [
    // R: prop.test(c(20, 10), c(100, 100), correct = FALSE, alternative = "greater") → X² = 3.9216, p = 0.02384
    { xb: 10, nb: 100, xc: 20, nc: 100, z: 1.9803, p: 0.02384 },
    // Equal rates: z = 0, p = 0.5.
    { xb: 5, nb: 100, xc: 10, nc: 200, z: 0, p: 0.5 },
    // Current lower than baseline: p above 0.5. R: prop.test(c(10,20), c(100,100), F, "greater") → p = 0.9762
    { xb: 20, nb: 100, xc: 10, nc: 100, z: -1.9803, p: 0.97616 },
  ];
  for (const t of table) {
    it(`${t.xc}/${t.nc} vs ${t.xb}/${t.nb}`, () => {
      const r = twoProportionZTest({ baselineEvents: t.xb, baselineTotal: t.nb, currentEvents: t.xc, currentTotal: t.nc });
      close(r.statistic!, t.z, 1e-4, 'z');
      close(r.pValue, t.p, 1e-4, 'p');
    });
  }
  it('is defined with zero variance and empty windows', () => {
    assert.equal(twoProportionZTest({ baselineEvents: 0, baselineTotal: 100, currentEvents: 0, currentTotal: 100 }).pValue, 1);
    assert.equal(twoProportionZTest({ baselineEvents: 0, baselineTotal: 0, currentEvents: 5, currentTotal: 10 }).pValue, 1);
    assert.equal(twoProportionZTest({ baselineEvents: 100, baselineTotal: 100, currentEvents: 10, currentTotal: 10 }).pValue, 1);
  });
  it('keeps precision in the far tail', () => {
    const r = twoProportionZTest({ baselineEvents: 20, baselineTotal: 1000, currentEvents: 200, currentTotal: 1000 });
    assert.ok(r.pValue > 0 && r.pValue < 1e-30, String(r.pValue));
  });
});

describe('fisherExactGreater', () => {
  const table = [
    // Lady tasting tea [[3,1],[1,3]]: one-sided p = 17/70 (Fisher 1935).
    { a: 3, row1: 4, c: 1, row2: 4, p: 17 / 70 },
    // [[8,2],[1,5]]: P(a≥8) = (C(10,8)C(6,1) + C(10,9)C(6,0)) / C(16,9) = 280/11440 (scipy: 0.024475524).
    { a: 8, row1: 10, c: 1, row2: 6, p: 280 / 11440 },
    // Observed table is the most extreme one: p = its own probability, C(5,5)C(5,0)/C(10,5) = 1/252.
    { a: 5, row1: 5, c: 0, row2: 5, p: 1 / 252 },
    // Lowest possible a: every table counts, p = 1.
    { a: 0, row1: 5, c: 5, row2: 5, p: 1 },
  ];
  for (const t of table) {
    it(`[[${t.a},${t.row1 - t.a}],[${t.c},${t.row2 - t.c}]]`, () => {
      const r = fisherExactGreater({ currentEvents: t.a, currentTotal: t.row1, baselineEvents: t.c, baselineTotal: t.row2 });
      close(r.pValue, t.p, 1e-10, 'p');
    });
  }
  it('returns 1 when there are no events at all or an empty window', () => {
    assert.equal(fisherExactGreater({ currentEvents: 0, currentTotal: 10, baselineEvents: 0, baselineTotal: 10 }).pValue, 1);
    assert.equal(fisherExactGreater({ currentEvents: 0, currentTotal: 0, baselineEvents: 3, baselineTotal: 10 }).pValue, 1);
  });
});

describe('rateIncreaseTest: exact for every increase', () => {
  it('uses Fisher when an expected cell is below 5', () => {
    assert.equal(rateIncreaseTest({ baselineEvents: 1, baselineTotal: 60, currentEvents: 4, currentTotal: 60 }).test, 'fisher exact');
  });
  it('uses Fisher for large counts too: 16/270 against 2% of 19,000 is 1.5793e-4 (exact hypergeometric tail in integers), not the z-test’s 2e-6', () => {
    const r = rateIncreaseTest({ baselineEvents: 380, baselineTotal: 19_000, currentEvents: 16, currentTotal: 270 });
    assert.equal(r.test, 'fisher exact');
    assert.ok(Math.abs(r.pValue / 1.5793260100914358e-4 - 1) < 1e-6, String(r.pValue));
    assert.ok(twoProportionZTest({ baselineEvents: 380, baselineTotal: 19_000, currentEvents: 16, currentTotal: 270 }).pValue < 1e-5);
  });
  it('stays exact and fast far in the tail of big windows', () => {
    const r = rateIncreaseTest({ baselineEvents: 20_000, baselineTotal: 1_000_000, currentEvents: 2_000, currentTotal: 10_000 });
    assert.equal(r.test, 'fisher exact');
    assert.ok(r.pValue > 0 && r.pValue < 1e-200, String(r.pValue));
  });
  it('a rate that did not go up is not tested exactly (p ≥ 0.5)', () => {
    const r = rateIncreaseTest({ baselineEvents: 100, baselineTotal: 5000, currentEvents: 3, currentTotal: 300 });
    assert.equal(r.test, 'two-proportion z');
    assert.ok(r.pValue >= 0.5);
  });
});

describe('wilsonInterval', () => {
  // Reference: 10/100 at 95% → [0.0552, 0.1744] (Newcombe 1998, Table I; statsmodels proportion_confint(method='wilson')).
  it('10 of 100', () => {
    const { low, high } = wilsonInterval(10, 100);
    close(low, 0.0552, 1e-4, 'low');
    close(high, 0.1744, 1e-4, 'high');
  });
  // 0/10 → [0, 0.2775] (Newcombe 1998).
  it('0 of 10', () => {
    const { low, high } = wilsonInterval(0, 10);
    close(low, 0, 1e-12, 'low');
    close(high, 0.2775, 1e-4, 'high');
  });
  it('an empty sample is the whole interval', () => {
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
  });
});
