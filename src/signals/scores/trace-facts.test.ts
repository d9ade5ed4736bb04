// Which facts of a falling rubric's low-scoring traces are read: only the kinds the cycle's other
// drifting layers can be checked against (each kind costs a pass over a relation).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Layer, SignalResult } from '../../core/verdict.ts';
import { factsAskedBy } from './trace-facts.ts';

const verdict = (layer: Layer, status: SignalResult['status'] = 'drift'): SignalResult => ({
  signal: `${layer}_signal`,
  driftMode: 'tool-api',
  layer,
  subject: {},
  status,
  value: 1,
  baseline: 0,
  samples: { current: 100, baseline: 100 },
  pValue: 1e-6,
  evidence: { traceIds: [] },
  message: '',
});

it('asks for the facts of the drifting layers only', () => {
  const cases: [string, SignalResult[], string[]][] = [
    ['nothing else drifts', [verdict('eval'), verdict('tool', 'ok')], []],
    ['a tool drifts', [verdict('tool'), verdict('tool')], ['failingTools']],
    ['retrieval and a prompt', [verdict('retrieval'), verdict('prompt')], ['prompts', 'retrievers']],
    ['agents and inputs', [verdict('agent'), verdict('input')], ['agents', 'services']],
    ['the judge and the eval set are checked without facts', [verdict('judge'), verdict('dataset')], []],
  ];
  for (const [name, cycle, kinds] of cases) assert.deepEqual([...factsAskedBy(cycle)].sort(), kinds, name);
});
