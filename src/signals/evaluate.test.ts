// Case tables for every signal's pure evaluate: the rows a query would return, the verdict the
// signal must give. Each table has a too-little-data row (no_data), a no-change row (ok), a real
// change (drift), and a change that is significant but below the practical threshold (ok).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config/schema.ts';
import type { Config } from '../config/shape.ts';
import { computeWindows } from '../core/windows.ts';
import type { SignalResult, Status } from '../core/verdict.ts';
import { evaluateToolApi as evaluateToolApiFindings } from './tool-api/evaluate.ts';
import type { CallStatsRow } from './tool-api/sql.ts';
import { evaluateAgent as evaluateAgentFindings } from './agent/evaluate.ts';
import type { AgentWindowRow } from './agent/sql.ts';
import { evaluatePrompt as evaluatePromptFindings } from './prompt/evaluate.ts';
import { evaluateDataset as evaluateDatasetFindings } from './dataset/evaluate.ts';
import { evaluateInput as evaluateInputFindings } from './input/evaluate.ts';
import { evaluateRetrieval as evaluateRetrievalFindings } from './retrieval/evaluate.ts';
import type { MatchedQueryRow } from './retrieval/sql.ts';
import { evaluateJudge as evaluateJudgeFindings } from './judge/evaluate.ts';
import type { JudgedTargetRow } from './judge/sql.ts';
import { judgeWindows } from './judge/windows.ts';
import { decide } from '../engine/decide.ts';

/** Each signal's findings, settled as the cycle's decide stage settles them. */
const evaluateToolApi = (...a: Parameters<typeof evaluateToolApiFindings>) => decide(evaluateToolApiFindings(...a));
const evaluateAgent = (...a: Parameters<typeof evaluateAgentFindings>) => decide(evaluateAgentFindings(...a));
const evaluatePrompt = (...a: Parameters<typeof evaluatePromptFindings>) => decide(evaluatePromptFindings(...a));
const evaluateDataset = (...a: Parameters<typeof evaluateDatasetFindings>) => decide(evaluateDatasetFindings(...a));
const evaluateInput = (...a: Parameters<typeof evaluateInputFindings>) => decide(evaluateInputFindings(...a));
const evaluateRetrieval = (...a: Parameters<typeof evaluateRetrievalFindings>) => decide(evaluateRetrievalFindings(...a));
const evaluateJudge = (...a: Parameters<typeof evaluateJudgeFindings>) => decide(evaluateJudgeFindings(...a));

const config: Config = configSchema.parse({});
const windows = computeWindows(new Date('2026-03-10T12:00:00Z'), config.windows);

function only(results: SignalResult[], signal: string): SignalResult {
  const found = results.filter((r) => r.signal === signal);
  assert.equal(found.length, 1, `one ${signal} verdict, got ${found.length}`);
  return found[0]!;
}

/** `small` is ok, though significant: the practical-effect gate alone keeps it quiet. */
type Case<Rows> = [name: string, rows: Rows, expected: Status | 'small'];

function table<Rows>(signal: string, cases: Case<Rows>[], evaluate: (rows: Rows) => SignalResult[]): void {
  describe(signal, () => {
    for (const [name, rows, expected] of cases) {
      it(name, () => {
        const verdict = only(evaluate(rows), signal);
        assert.equal(verdict.status, expected === 'small' ? 'ok' : expected, verdict.message);
        if (expected === 'small') assert.ok(verdict.pValue !== null && verdict.pValue < 1e-4, `significant: p=${verdict.pValue}`);
        if (expected === 'no_data') assert.match(verdict.message, /not enough|no |needed/i);
        if (expected === 'drift') assert.ok(verdict.pValue !== null && verdict.pValue < 0.001, `p=${verdict.pValue}`);
      });
    }
  });
}

const call = (calls_b: number, errors_b: number, calls_c: number, errors_c: number, q_b = 200, q_c = 200, slow_b = 0, slow_c = 0): CallStatsRow => ({
  tool: 'search',
  calls_b,
  errors_b,
  calls_c,
  errors_c,
  q_b,
  q_c,
  slow_b,
  slow_c,
  error_traces: ['t1'],
  slow_traces: ['t2'],
  passing_traces: ['t0'],
});
const tool = (row: CallStatsRow, newClasses: { error_class: string; count: number }[] = []) =>
  evaluateToolApi({ calls: [row], retries: [], newClasses: newClasses.map((c) => ({ tool: row.tool, traces: ['t3'], ...c })) }, config);

table<CallStatsRow>(
  'tool_error_rate',
  [
    ['3 calls now: no_data', call(5000, 100, 3, 3), 'no_data'],
    ['2% → 2%: ok', call(50_000, 1000, 1000, 20), 'ok'],
    ['2% → 12%: drift', call(50_000, 1000, 1000, 120), 'drift'],
    ['2% → 2.6% on 100 000 calls: significant, under 1 pp, ok', call(500_000, 10_000, 100_000, 2600), 'small'],
  ],
  (r) => tool(r),
);

table<CallStatsRow>(
  'tool_latency',
  [
    ['p95 200 → 210 ms: ok', call(50_000, 0, 1000, 0, 200, 210, 2500, 55), 'ok'],
    ['p95 200 → 900 ms, a third of calls past the baseline p95: drift', call(50_000, 0, 1000, 0, 200, 900, 2500, 330), 'drift'],
    ['p95 20 → 60 ms: three times slower but under 100 ms more, ok', call(50_000, 0, 1000, 0, 20, 60, 2500, 330), 'ok'],
  ],
  (r) => tool(r),
);

describe('tool_new_error_class', () => {
  const cases: [string, number, Status][] = [
    ['a class never seen before, 12 times: drift', 12, 'drift'],
    ['a class never seen before, twice: ok (under minCount)', 2, 'ok'],
  ];
  for (const [name, count, expected] of cases) {
    it(name, () => {
      const v = only(tool(call(50_000, 1000, 1000, 20 + count), [{ error_class: 'SchemaError: field <id> missing', count }]), 'tool_new_error_class');
      assert.equal(v.status, expected, v.message);
    });
  }
});

const agentRows = (traces_b: number, failed_b: number, traces_c: number, failed_c: number): AgentWindowRow[] =>
  [
    [0, traces_b, failed_b],
    [1, traces_c, failed_c],
  ].map(([cur, traces, failed]) => ({
    agent: 'support',
    cur: cur!,
    traces: traces!,
    failed: failed!,
    steps: traces! * 8,
    kind_steps: {},
    kind_errors: {},
    looping: 0,
    tool_error_traces: {},
    tool_error_failed: {},
    failed_examples: ['t1'],
  }));

table<AgentWindowRow[]>(
  'agent_end_to_end_success',
  [
    ['20 trajectories now: no_data', agentRows(5000, 500, 20, 10), 'no_data'],
    ['90% → 90% success: ok', agentRows(5000, 500, 1000, 100), 'ok'],
    ['90% → 66% success: drift', agentRows(5000, 500, 1000, 340), 'drift'],
    ['90% → 87% on 50 000 trajectories: significant, under 5 pp, ok', agentRows(500_000, 50_000, 50_000, 6500), 'small'],
  ],
  (rows) => evaluateAgent(rows, config),
);

const version = (v: string, calls_b: number, calls_c: number) => ({
  prompt: 'support',
  version: v,
  calls_b,
  calls_c,
  first_seen_ms: v === 'v2' ? windows.current.from.getTime() : windows.baseline.from.getTime(),
});

describe('prompt_version_share', () => {
  it('is reported, never tested: a new version taking 60% of calls is ok, with its share', () => {
    const v2 = evaluatePrompt([version('v1', 5000, 400), version('v2', 0, 600)], config).find((r) => r.subject.version === 'v2')!;
    assert.equal(v2.status, 'ok');
    assert.equal(v2.value, 0.6);
    assert.equal(v2.baseline, 0);
  });
  it('10 calls now: no_data', () => {
    assert.equal(only(evaluatePrompt([version('v1', 5000, 10)], config), 'prompt_version_share').status, 'no_data');
  });
});

const graded = configSchema.parse({ rubrics: [{ name: 'helpful', promptVersion: 'v1' }] });
table(
  'prompt_rubric_mismatch',
  [
    ['10 calls now: no_data', [version('v1', 5000, 10)], 'no_data'],
    ['the graded version serves every call: ok', [version('v1', 5000, 700)], 'ok'],
    ['another version serves 60% of calls: drift', [version('v1', 5000, 400), version('v2', 0, 600)], 'drift'],
  ],
  (rows) => evaluatePrompt(rows, graded),
);

const intents = (known: number, unknownB: number, knownC: number, unknownC: number) => ({
  mode: 'intents' as const,
  evalSet: 'evals.jsonl',
  evalIntents: ['refund', 'card_lost'],
  intents: [
    { cur: 0, intent: 'refund', n: known, examples: [] },
    { cur: 0, intent: 'crypto', n: unknownB, examples: [] },
    { cur: 1, intent: 'refund', n: knownC, examples: [] },
    { cur: 1, intent: 'crypto', n: unknownC, examples: ['t9'] },
  ],
});

table(
  'dataset_uncovered_share',
  [
    ['40 inputs now: no_data', intents(5000, 50, 38, 2), 'no_data'],
    ['1% uncovered throughout: ok', intents(9900, 100, 990, 10), 'ok'],
    ['1% → 30% uncovered: drift', intents(9900, 100, 700, 300), 'drift'],
    ['1% → 1.5% on 100 000 inputs: significant, small, ok', intents(99_000, 1000, 98_500, 1500), 'small'],
  ],
  (rows) => evaluateDataset(rows, config),
);

const lengths = (nb: number, nc: number, shift: number) => {
  // Baseline lengths uniform 1..100: at_or_below[k] counts lengths ≤ the (k+1)th percentile.
  const atOrBelow = (n: number, s: number) => Array.from({ length: 99 }, (_, k) => Math.round(n * Math.min(1, Math.max(0, (k + 1 - s) / 100))));
  return {
    length: [
      { subject: 'svc', cur: 0, n: nb, mean_len: 50, at_or_below: atOrBelow(nb, 0), examples: [] },
      { subject: 'svc', cur: 1, n: nc, mean_len: 50 + shift, at_or_below: atOrBelow(nc, shift), examples: ['t1'] },
    ],
    scripts: [],
    turns: [],
  };
};

table(
  'input_length',
  [
    ['50 inputs now: no_data', lengths(5000, 50, 0), 'no_data'],
    ['same lengths: ok', lengths(5000, 1000, 0), 'ok'],
    ['inputs 40 characters longer: drift', lengths(5000, 1000, 40), 'drift'],
    ['2 characters longer on 200 000 inputs: significant, tiny PSI, ok', lengths(1_000_000, 200_000, 2), 'small'],
  ],
  (rows) => evaluateInput(rows, config),
);

const scripts = (latinB: number, otherB: number, latinC: number, otherC: number) => ({
  length: [],
  scripts: [
    { subject: 'svc', cur: 0, category: 'latin', n: latinB },
    { subject: 'svc', cur: 0, category: 'cyrillic', n: otherB },
    { subject: 'svc', cur: 1, category: 'latin', n: latinC },
    { subject: 'svc', cur: 1, category: 'cyrillic', n: otherC },
  ],
  turns: [],
});

table(
  'input_script_mix',
  [
    ['60 inputs now: no_data', scripts(5000, 50, 55, 5), 'no_data'],
    ['1% Cyrillic throughout: ok', scripts(9900, 100, 990, 10), 'ok'],
    ['1% → 40% Cyrillic: drift', scripts(9900, 100, 600, 400), 'drift'],
  ],
  (rows) => evaluateInput(rows, config),
);

/** `n` repeated queries; `moved` of them return other documents now than in both baseline halves. */
const matched = (n: number, moved: number): MatchedQueryRow[] =>
  Array.from({ length: n }, (_, q) => ({
    subject: 'kb',
    query_hash: `q${q}`,
    b1: ['a', 'b', 'c', 'd', 'e'],
    b2: ['a', 'b', 'c', 'd', 'e'],
    c: q < moved ? ['x', 'y', 'z', 'a', 'b'] : ['a', 'b', 'c', 'd', 'e'],
    example_trace: `t${q}`,
    matched_total: n,
  }));
const retrieval = (rows: MatchedQueryRow[]) =>
  evaluateRetrieval({ matched: rows, corpus: [{ subject: 'kb', retrievals_b: 5000, retrievals_c: 500, docs_b: 400, docs_c: 380, without_ids: 0, identity: 'metadata' }], scores: [] }, config);

it('retrieval verdicts say how documents were told apart', () => {
  const v = only(retrieval(matched(60, 40)), 'retrieval_rbo');
  assert.match(String(v.evidence.documentIdentity), /metadata/);
});

table(
  'retrieval_rbo',
  [
    ['5 repeated queries: no_data', matched(5, 5), 'no_data'],
    ['same top-k for every query: ok', matched(60, 0), 'ok'],
    ['40 of 60 queries get other documents: drift', matched(60, 40), 'drift'],
  ],
  retrieval,
);

const j = config.signals.judge;
const jw = judgeWindows(windows, j);
/** `n` judged targets per window; the judge agrees with the human on `agreeB`/`agreeC` of them. */
function judged(n: number, agreeB: number, agreeC: number): JudgedTargetRow[] {
  const rows: JudgedTargetRow[] = [];
  for (const [cur, agree] of [
    [0, agreeB],
    [1, agreeC],
  ] as const) {
    for (let k = 0; k < n; k++) {
      const human = k % 2 === 0 ? 'pass' : 'fail';
      const judge = k < agree * n ? human : human === 'pass' ? 'fail' : 'pass';
      rows.push({ rubric: 'helpful', cur, target: `${cur}-${k}`, trace_id: `t${cur}-${k}`, judge, judge_n: 1, humans: [human] });
    }
  }
  return rows;
}

table(
  'judge_human_agreement',
  [
    ['10 pairs: no_data', judged(10, 0.9, 0.5), 'no_data'],
    ['agrees on 90% throughout: ok', judged(400, 0.9, 0.9), 'ok'],
    ['agreement 90% → 55%: drift', judged(400, 0.9, 0.55), 'drift'],
  ],
  (targets) => evaluateJudge({ targets, prompts: [], windows: jw }, config),
);

describe('a signal that finds none of its spans', () => {
  const empty: [string, () => SignalResult[], RegExp][] = [
    ['tool-api', () => evaluateToolApi({ calls: [], retries: [], newClasses: [] }, config), /tool-call spans .*ai\.toolCall/],
    ['retrieval', () => evaluateRetrieval({ matched: [], corpus: [], scores: [] }, config), /retrieval spans/],
    ['prompt', () => evaluatePrompt([], config), /prompt version or template .*traces\.conventions\.promptVersionKeys/],
    ['agent', () => evaluateAgent([], config), /root spans/],
    ['input', () => evaluateInput({ length: [], scripts: [], turns: [] }, config), /user inputs on root spans .*ai\.prompt/],
    ['judge', () => evaluateJudge({ targets: [], prompts: [], windows: jw }, config), /judgements/],
  ];
  for (const [name, run, lookedFor] of empty) {
    it(`${name}: reports no_data naming what it looked for, never nothing`, () => {
      const verdicts = run();
      assert.equal(verdicts.length, 1);
      assert.equal(verdicts[0]!.status, 'no_data');
      assert.match(verdicts[0]!.message, lookedFor);
    });
  }
});
