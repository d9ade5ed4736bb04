// Which drift mode a falling rubric means, from the same cycle's other verdicts: case table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Layer, SignalResult } from '../../core/verdict.ts';
import { attributeScores } from './attribute.ts';

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
    ['a prompt version took over and a tool broke: the prompt is more specific', [verdict('tool_error_rate', 'tool', 'tool-api', { tool: 'x' }), verdict('prompt_rubric_mismatch', 'prompt', 'prompt', { rubric: 'groundedness' })], 'prompt', /prompt_rubric_mismatch/],
    ['the judge of this rubric stopped agreeing with humans', [verdict('input_length', 'input', 'user-distribution', { service: 's' }), verdict('judge_human_agreement', 'judge', 'prompt', { rubric: 'groundedness' })], 'prompt', /the judge of groundedness stopped agreeing with humans/],
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
