// The one place drift is decided: a case table of findings and the verdicts the decide stage
// settles them to, alone and within a cycle of other tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Judgement, SignalResult, Tested } from '../core/verdict.ts';
import { decide } from './decide.ts';

const tested = (signal: string, pValue: number, finding: Partial<Finding> = {}): Tested => ({
  signal,
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool: signal },
  status: 'tested',
  value: 0.1,
  baseline: 0.02,
  samples: { current: 100, baseline: 1000 },
  pValue,
  finding: { alpha: 0.001, practical: true, meaning: 'the vendor changed its errors', ifDrift: { traceIds: ['t-drift'] }, ...finding },
  evidence: { traceIds: [] },
  message: `${signal} error rate 2% → 10%`,
});

const settled = (signal: string, status: 'drift' | 'ok' | 'no_data', pValue: number | null): SignalResult => ({
  ...tested(signal, 0),
  status,
  pValue,
  evidence: { traceIds: [] },
  message: `${signal} settled by its rule`,
});

describe('a finding alone', () => {
  const cases: [name: string, finding: Tested, status: 'drift' | 'ok', clause: RegExp][] = [
    ['significant and practical: drift, saying what it means', tested('a', 1e-9), 'drift', /: the vendor changed its errors$/],
    ['not significant: ok, saying so', tested('a', 0.2), 'ok', /: not significant \(p=0\.20 ≥ 0\.001\)$/],
    [
      'significant, too small to matter: ok, saying why',
      tested('a', 1e-9, { practical: 'below the practical threshold (needs +1.0 pp)' }),
      'ok',
      /: below the practical threshold \(needs \+1\.0 pp\)$/,
    ],
    ['significant and practical, usual for this hour: ok, saying so', tested('a', 1e-9, { seasonal: { pValue: 0.3, clause: 'usual for this time of day' } }), 'ok', /: usual for this time of day$/],
    ['significant, practical and unusual for this hour: drift', tested('a', 1e-9, { seasonal: { pValue: 1e-6, clause: 'usual' } }), 'drift', /: the vendor changed its errors$/],
  ];
  for (const [name, finding, status, clause] of cases) {
    it(name, () => {
      const [v] = decide([finding]);
      assert.equal(v!.status, status);
      assert.match(v!.message, clause);
      assert.equal(v!.message.split(': ').length, 2, `one clause after the measurement: ${v!.message}`);
      assert.equal('finding' in v!, false, 'the finding does not reach the report');
      assert.deepEqual(v!.evidence.traceIds, status === 'drift' ? ['t-drift'] : [], 'a drift carries its examples');
      assert.equal(v!.evidence.alpha, 0.001);
    });
  }

  it('a seasonal check raises the p-value to the larger of the two and keeps the whole-baseline one', () => {
    const [v] = decide([tested('a', 1e-9, { seasonal: { pValue: 1e-6, clause: 'usual' } })]);
    assert.equal(v!.pValue, 1e-6);
    assert.equal(v!.evidence.pValueWholeBaseline, 1e-9);
  });
});

describe('within a cycle', () => {
  // Ten tests: the weak one's p of 0.0008 adjusts to 0.003 (BH over 10), above its alpha 0.001.
  const noise = Array.from({ length: 7 }, (_, i) => tested(`noise${i}`, 0.5 + i / 20));
  const cycle: Judgement[] = [tested('strong', 1e-9), tested('weak', 0.0008), settled('rule', 'drift', 0.0009), settled('thin', 'no_data', null), ...noise];
  const out = decide(cycle);
  const by = (s: string) => out.find((r) => r.signal === s)!;

  it('takes back a drift the correction across the cycle does not keep, with one coherent reason', () => {
    assert.equal(by('strong').status, 'drift');
    assert.equal(by('weak').status, 'ok');
    assert.match(by('weak').message, /^weak error rate 2% → 10%: not significant once corrected for 10 tests this cycle \(adjusted p=0\.00[0-9]+ ≥ 0\.001\)$/);
    assert.doesNotMatch(by('weak').message, /vendor/, 'no drift meaning left behind');
  });

  it('counts settled verdicts with a p-value, never changes their status, and skips those without one', () => {
    assert.equal(by('rule').status, 'drift', 'a rule keeps its drift though its p-value would not survive');
    assert.equal(by('rule').evidence.testsInCycle, 10);
    assert.ok((by('rule').evidence.pValueAdjusted as number) >= 0.0009);
    assert.equal(by('thin').evidence.testsInCycle, undefined);
    assert.deepEqual(by('thin'), cycle[3]);
  });

  it('keeps the order and the number of verdicts', () => {
    assert.deepEqual(
      out.map((r) => r.signal),
      cycle.map((r) => r.signal),
    );
  });
});
