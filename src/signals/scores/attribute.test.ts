// Which drift mode a falling rubric means, from the same cycle's other verdicts: case table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Layer, SignalResult } from '../../core/verdict.ts';
import { attributeScores } from './attribute.ts';
import { factsAskedBy } from './trace-facts.ts';

const verdict = (signal: string, layer: Layer, driftMode: SignalResult['driftMode'], subject: Record<string, string>, status: SignalResult['status'] = 'drift'): SignalResult => ({
  signal,
  driftMode,
  layer,
  subject,
  status,
  value: 0.6,
  baseline: 0.8,
  samples: { current: 100, baseline: 100 },
  pValue: 1e-6,
  evidence: { traceIds: [], modeFrom: 'the rubric’s name (groundedness)' },
  message: 'rubric groundedness: mean score 0.800 → 0.600: significant; a drop of this rubric reads as retrieval-corpus, from the rubric’s name (groundedness)',
});
const score = (subject: Record<string, string> = { rubric: 'groundedness' }, status: SignalResult['status'] = 'drift') => verdict('eval_score', 'eval', 'retrieval-corpus', subject, status);

it('names the mode from the same cycle’s evidence, the judge of the rubric first, else the most specific layer', () => {
  const cases: [string, SignalResult[], string, RegExp][] = [
    ['nothing else drifted: its own reading stands', [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'x' }, 'ok')], 'retrieval-corpus', /from the rubric’s name/],
    ['a tool broke', [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'refund_payment' })], 'tool-api', /reads as tool-api, from the same cycle’s tool_error_rate drift \(refund_payment\)/],
    [
      'a prompt version took over and a tool broke: the prompt is more specific',
      [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'x' }), verdict('prompt_rubric_mismatch', 'prompt', 'prompt', { rubric: 'groundedness' })],
      'prompt',
      /prompt_rubric_mismatch/,
    ],
    [
      'the judge of this rubric stopped agreeing with humans',
      [verdict('input_length', 'input', 'user-distribution', { service: 's' }), verdict('judge_human_agreement', 'judge', 'prompt', { rubric: 'groundedness' })],
      'prompt',
      /the judge of groundedness stopped agreeing with humans/,
    ],
    ['the judge of another rubric is no evidence', [verdict('judge_human_agreement', 'judge', 'user-distribution', { rubric: 'tone' })], 'retrieval-corpus', /from the rubric’s name/],
  ];
  for (const [name, others, mode, message] of cases) {
    const [r] = attributeScores([score()], others);
    assert.equal(r!.driftMode, mode, name);
    assert.match(r!.message, message, name);
  }
});

it('keeps projects apart, and leaves verdicts that do not drift alone', () => {
  const [other] = attributeScores([score({ project: 'p1', rubric: 'groundedness' })], [verdict('tool_error_rate', 'tool', 'tool-api', { project: 'p2', tool: 'x' })]);
  assert.equal(other!.driftMode, 'retrieval-corpus');
  const [same] = attributeScores([score({ project: 'p1', rubric: 'groundedness' })], [verdict('tool_error_rate', 'tool', 'tool-api', { project: 'p1', tool: 'x' })]);
  assert.equal(same!.driftMode, 'tool-api');
  assert.deepEqual(same!.evidence['explainedBy'], { signal: 'tool_error_rate', subject: { project: 'p1', tool: 'x' } });
  const quiet = score(undefined, 'ok');
  assert.equal(attributeScores([quiet], [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'x' })])[0], quiet);
});

it('splits a drifting gap by the dataset verdict’s uncovered intents, and names dataset when they carry most of it', () => {
  const gap = (byIntent: { intent: string; n: number; value: number }[]): SignalResult => ({
    ...verdict('eval_gap', 'eval', 'retrieval-corpus', { rubric: 'groundedness' }),
    value: 0.66,
    baseline: 0.9,
    evidence: { traceIds: [], modeFrom: 'the rubric’s name (groundedness)', gap: 0.24, unit: 'score', byIntent },
  });
  const dataset = (status: SignalResult['status']) => ({
    ...verdict('dataset_uncovered_share', 'dataset', 'dataset', { evalSet: 'eval.jsonl' }, status),
    evidence: { traceIds: [], uncoveredIntentNames: ['loan'] },
  });
  const cases: [string, SignalResult, SignalResult[], string, RegExp][] = [
    // The new intent carries the whole gap, though the dataset share did not grow significantly.
    [
      'uncovered inputs carry it',
      gap([
        { intent: 'card', n: 60, value: 0.9 },
        { intent: 'loan', n: 40, value: 0.3 },
      ]),
      [dataset('ok')],
      'dataset',
      /reads as dataset, from inputs the eval set eval\.jsonl does not cover carrying 100% of the gap/,
    ],
    // Every input fell alike: the split says so, and the tool that broke names the mode.
    [
      'covered inputs fell too',
      gap([
        { intent: 'card', n: 60, value: 0.66 },
        { intent: 'loan', n: 40, value: 0.66 },
      ]),
      [dataset('ok'), verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'x' })],
      'tool-api',
      /from covered inputs scoring below CI/,
    ],
    [
      'no dataset verdict: no split',
      gap([
        { intent: 'card', n: 60, value: 0.9 },
        { intent: 'loan', n: 40, value: 0.3 },
      ]),
      [],
      'retrieval-corpus',
      /from the rubric’s name/,
    ],
  ];
  for (const [name, r, others, mode, message] of cases) {
    const [out] = attributeScores([r], others);
    assert.equal(out!.driftMode, mode, name);
    assert.match(out!.message, message, name);
    assert.equal(
      out!.evidence['gapSplit'] !== undefined,
      others.some((o) => o.layer === 'dataset'),
      name,
    );
  }
});

it('with what happened in the traces it scored low, takes only a drift about those traces', () => {
  const facts = {
    traces: 40,
    failingTools: { refund_payment: 30, lookup_booking: 4 },
    retrievers: {},
    prompts: { 'support-agent': 40 },
    agents: { 'support-agent': 40 },
    services: { agent: 40 },
    // Every trace the rubric scored: lookup_booking fails as often everywhere, refund_payment does not.
    scored: { traces: 400, failingTools: { refund_payment: 35, lookup_booking: 40 }, retrievers: {}, prompts: { 'support-agent': 400 }, agents: { 'support-agent': 400 }, services: { agent: 400 } },
  };
  const low = { ...score(), evidence: { ...score().evidence, lowTraceFacts: facts } };
  const cases: [string, SignalResult[], string, RegExp][] = [
    // Retrieval moved elsewhere at the same time; the tool that failed in the low-scoring answers explains it.
    [
      'the tool that failed in them',
      [verdict('retrieval_rbo', 'retrieval', 'retrieval-corpus', { retriever: 'kb' }), verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'refund_payment' })],
      'tool-api',
      /tool_error_rate drift \(refund_payment\) on 30 of the 40 traces it scored low/,
    ],
    ['another tool broke, and only that', [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'search_flights' })], 'retrieval-corpus', /from the rubric’s name/],
    ['a tool that fails in them no more than everywhere', [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'lookup_booking' })], 'retrieval-corpus', /from the rubric’s name/],
    ['a retriever they never used moved', [verdict('retrieval_rbo', 'retrieval', 'retrieval-corpus', { retriever: 'kb' })], 'retrieval-corpus', /from the rubric’s name/],
    ['the prompt they ran moved', [verdict('prompt_version_share', 'prompt', 'prompt', { prompt: 'support-agent', version: 'v17' })], 'prompt', /on 40 of the 40 traces/],
    ['the rubric’s own prompt contract moved', [verdict('prompt_rubric_mismatch', 'prompt', 'prompt', { rubric: 'groundedness' })], 'prompt', /prompt_rubric_mismatch drift \(groundedness\)$/],
  ];
  for (const [name, others, mode, message] of cases) {
    const [r] = attributeScores([low], others);
    assert.equal(r!.driftMode, mode, name);
    assert.match(r!.message, message, name);
  }
});

it('counts a fact on few of the low-scoring traces when it is far commoner among them than among those scored well', () => {
  const facts = (low: number, all: number) => ({
    traces: 100,
    failingTools: { refund_payment: low },
    retrievers: {},
    prompts: {},
    agents: {},
    services: {},
    scored: { traces: 1000, failingTools: { refund_payment: all }, retrievers: {}, prompts: {}, agents: {}, services: {} },
  });
  const tool = verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'refund_payment' });
  const cases: [string, number, number, boolean][] = [
    ['5% of low ones, 2.2% of the others: twice as common', 5, 25, true],
    ['5% of low ones, 5% of the others: as everywhere', 5, 50, false],
    ['3% of low ones, none of the others', 3, 3, true],
    ['2 traces only', 2, 2, false],
    ['most of the low ones', 60, 600, true],
  ];
  for (const [name, low, all, explains] of cases) {
    const [r] = attributeScores([{ ...score(), evidence: { ...score().evidence, lowTraceFacts: facts(low, all) } }], [tool]);
    assert.equal(r!.driftMode === 'tool-api', explains, name);
  }
});

// Which facts of the low-scoring traces are read: only the kinds the cycle's other drifting layers
// can be checked against (each kind costs a pass over a relation).
it('asks for the facts of the drifting layers only', () => {
  const v = (layer: Layer, status: SignalResult['status'] = 'drift') => verdict(`${layer}_signal`, layer, 'tool-api', {}, status);
  const cases: [string, SignalResult[], string[]][] = [
    ['nothing else drifts', [v('eval'), v('tool', 'ok')], []],
    ['a tool drifts', [v('tool'), v('tool')], ['failingTools']],
    ['retrieval and a prompt', [v('retrieval'), v('prompt')], ['prompts', 'retrievers']],
    ['agents and inputs', [v('agent'), v('input')], ['agents', 'services']],
    ['the judge and the eval set are checked without facts', [v('judge'), v('dataset')], []],
  ];
  for (const [name, cycle, kinds] of cases) assert.deepEqual([...factsAskedBy(cycle)].sort(), kinds, name);
});
