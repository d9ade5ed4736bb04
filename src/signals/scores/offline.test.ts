// CI results files as their tools write them: case tables, and the problems named with the line.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OfflineResultsError, parseOfflineResults, readOfflineRun } from './offline.ts';

const AT = '2026-12-01T00:00:00.000Z';

it('reads promptfoo results JSON: each metric of each test, its named score and its components’ pass', () => {
  const doc = {
    evalId: 'eval-2026-11-30T12:00:00',
    results: {
      version: 3,
      timestamp: '2026-11-30T12:00:00.000Z',
      results: [
        {
          testIdx: 0,
          namedScores: { groundedness: 0.9, adherence: 1 },
          gradingResult: {
            pass: true,
            componentResults: [
              { pass: true, score: 0.9, assertion: { type: 'llm-rubric', metric: 'groundedness' } },
              { pass: true, score: 1, assertion: { type: 'contains', metric: 'adherence' } },
            ],
          },
        },
        {
          testIdx: 1,
          namedScores: { groundedness: 0.4 },
          gradingResult: {
            pass: false,
            componentResults: [
              { pass: false, score: 0.4, assertion: { type: 'llm-rubric', metric: 'groundedness' } },
              { pass: true, score: 1, assertion: { type: 'is-json' } },
            ],
          },
        },
      ],
    },
  };
  const run = parseOfflineResults(JSON.stringify(doc), '/ci/results.json', AT);
  assert.equal(run.format, 'promptfoo');
  assert.equal(run.at, '2026-11-30T12:00:00.000Z');
  assert.equal(run.runId, 'eval-2026-11-30T12:00:00');
  assert.equal(run.name, 'results.json');
  assert.deepEqual(run.scores, [
    { rubric: 'groundedness', item: '0', score: 0.9, pass: true },
    { rubric: 'adherence', item: '0', score: 1, pass: true },
    { rubric: 'groundedness', item: '1', score: 0.4, pass: false },
  ]);
});

it('reads the results file of a real promptfoo run: both rubrics of every test, as its grader scored them', () => {
  const path = fileURLToPath(new URL('../../../test/fixtures/ci-results/promptfoo-results.json', import.meta.url));
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    evalId: string;
    results: { timestamp: string; results: { testIdx: number; gradingResult: { componentResults: { pass: boolean; score: number; assertion: { metric: string } }[] } }[] };
  };
  const run = readOfflineRun(path, 'ci (promptfoo)');
  assert.equal(run.format, 'promptfoo');
  assert.equal(run.runId, file.evalId);
  assert.equal(run.at, new Date(file.results.timestamp).toISOString());
  // What promptfoo's grader decided, test by test, is what driftwatch reads.
  for (const rubric of ['resolution', 'adherence']) {
    const graded = file.results.results.map((r) => ({ item: String(r.testIdx), c: r.gradingResult.componentResults.find((x) => x.assertion.metric === rubric)! }));
    const read = run.scores.filter((s) => s.rubric === rubric);
    assert.equal(read.length, 40, rubric);
    assert.deepEqual(read.map((s) => [s.item, s.score, s.pass]).sort(), graded.map((g) => [g.item, g.c.score, g.c.pass]).sort(), rubric);
  }
  assert.ok(
    run.scores.some((s) => s.rubric === 'resolution' && s.pass === false),
    'the run has failures to compare with',
  );
});

it('reads a DeepEval test run: every metric of every test case, with its success', () => {
  const doc = {
    testRunId: 'run-7',
    testCases: [
      {
        name: 'refund_policy',
        success: false,
        metricsData: [
          { name: 'Faithfulness', threshold: 0.7, success: false, score: 0.5 },
          { name: 'Answer Relevancy', threshold: 0.5, success: true, score: 0.8 },
        ],
      },
      { name: 'greeting', success: true, metricsData: [{ name: 'Faithfulness', threshold: 0.7, success: true, score: 1 }] },
    ],
  };
  const run = parseOfflineResults(JSON.stringify(doc), 'deepeval.json', AT, 'nightly');
  assert.equal(run.format, 'deepeval');
  assert.equal(run.name, 'nightly');
  assert.equal(run.at, AT, 'no timestamp in the file: when it was written');
  assert.deepEqual(
    run.scores.map((s) => [s.rubric, s.item, s.score, s.pass]),
    [
      ['Faithfulness', 'refund_policy', 0.5, false],
      ['Answer Relevancy', 'refund_policy', 0.8, true],
      ['Faithfulness', 'greeting', 1, true],
    ],
  );
});

it('reads JSON Lines of {rubric, score | pass | label, item?}', () => {
  const text = ['{"rubric":"helpfulness","score":4,"item":"q1"}', '', '{"rubric":"safety","pass":true}', '{"rubric":"tone","label":"friendly","item":7}'].join('\n');
  const run = parseOfflineResults(text, 'ci.jsonl', AT);
  assert.equal(run.format, 'jsonl');
  assert.deepEqual(run.scores, [
    { rubric: 'helpfulness', score: 4, item: 'q1' },
    { rubric: 'safety', pass: true },
    { rubric: 'tone', label: 'friendly', item: '7' },
  ]);
});

it('names the file, the line and what was wrong', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"rubric":"a","score":1}\nnot json', /ci\.jsonl: line 2 is not JSON \(expected promptfoo results JSON, a DeepEval test run, or JSON Lines/],
    ['no rubric', '{"score":1}', /ci\.jsonl: line 1: expected an object with a rubric/],
    ['nothing measured', '{"rubric":"a"}', /ci\.jsonl: line 1: rubric a has no score, pass or label/],
    ['empty', '\n\n', /ci\.jsonl: holds no results/],
    ['infinite score', '{"rubric":"a","score":1e999}', /rubric a has no score, pass or label/],
  ];
  for (const [name, text, message] of cases)
    assert.throws(
      () => parseOfflineResults(text, 'ci.jsonl', AT),
      (err: unknown) => err instanceof OfflineResultsError && message.test(err.message),
      name,
    );
});
