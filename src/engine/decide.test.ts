// The cycle-wide correction: which drifts it may take back is what each facet declares, not what
// its evidence happens to hold. Case table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { SignalResult } from '../core/verdict.ts';
import type { Decision } from '../core/facet.ts';
import { correctForMultipleTests } from './multiple-testing.ts';

const verdict = (signal: string, pValue: number | null, alpha?: number): SignalResult => ({
  signal,
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool: signal },
  status: 'drift',
  value: 0.1,
  baseline: 0.02,
  samples: { current: 100, baseline: 1000 },
  pValue,
  evidence: { traceIds: [], ...(alpha !== undefined ? { alpha } : {}) },
  message: `${signal} drifted`,
});

it('takes back only drifts decided by a test, at their own alpha, after adjusting every p-value of the cycle', () => {
  const decisions: Record<string, Decision> = { tested: 'test', weak: 'test', rule: 'rule' };
  // Ten tests: the weak one's p of 0.0008 adjusts to 0.003 (BH over 10), above its alpha 0.001.
  const others = Array.from({ length: 7 }, (_, i) => ({ ...verdict(`noise${i}`, 0.5 + i / 20, 0.001), status: 'ok' as const }));
  const cycle = [verdict('tested', 1e-9, 0.001), verdict('weak', 0.0008, 0.001), verdict('rule', 0.0009, 0.001), ...others];
  const out = correctForMultipleTests(cycle, (s) => decisions[s] ?? 'test');
  const by = (s: string) => out.find((r) => r.signal === s)!;
  assert.equal(by('tested').status, 'drift');
  assert.equal(by('weak').status, 'ok');
  assert.match(by('weak').message, /not significant after correcting for 10 tests this cycle \(adjusted p=/);
  assert.equal(by('rule').status, 'drift', 'a rule facet keeps its drift though its evidence holds an alpha');
  assert.equal(by('tested').evidence['testsInCycle'], 10);
  // A verdict without a p-value is neither tested nor counted.
  const withRule = correctForMultipleTests([verdict('tested', 1e-9, 0.001), verdict('rule', null)], (s) => decisions[s]);
  assert.equal(withRule[1]!.evidence['testsInCycle'], undefined);
  assert.equal(withRule[0]!.evidence['testsInCycle'], 1);
});
