// eval_score and eval_gap decisions over summary rows: case tables.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../config/schema.ts';
import type { Config } from '../../config/shape.ts';
import { evaluateScores as evaluateScoresFindings, kindOf, rubricMode, type ScoresRows } from './evaluate.ts';
import type { ScoreRow } from './sql.ts';
import type { OfflineRun } from './offline.ts';
import { decide } from '../../engine/decide.ts';

/** Each signal's findings, settled as the cycle's decide stage settles them. */
const evaluateScores = (...a: Parameters<typeof evaluateScoresFindings>) => decide(evaluateScoresFindings(...a));

const config = (rubrics: unknown[] = []): Config => configSchema.parse({ rubrics });
const row = (cur: number, o: Partial<ScoreRow>): ScoreRow => ({
  rubric: 'groundedness',
  evaluator: '',
  cur,
  n: 200,
  scored: 200,
  mean: 0.8,
  variance: 0.04,
  passes: 0,
  fails: 0,
  thresholdPasses: 0,
  lowest: ['t1', 't2'],
  ...o,
});
const rows = (stats: ScoreRow[], offline: OfflineRun[] = []): ScoresRows => ({ stats, labels: [], offline, offlineTraces: [], offlineErrors: [] });
const of = (rs: ReturnType<typeof evaluateScores>, signal: string) => rs.find((r) => r.signal === signal)!;

describe('eval_score', () => {
  it('decides numeric drops by significance and Cohen’s d, and needs samples', () => {
    const cases: [string, ScoreRow, ScoreRow, string][] = [
      ['a clear drop', row(1, { mean: 0.6 }), row(0, { mean: 0.8, n: 1000, scored: 1000 }), 'drift'],
      ['the same scores', row(1, { mean: 0.8 }), row(0, { mean: 0.8, n: 1000, scored: 1000 }), 'ok'],
      ['a rise', row(1, { mean: 0.9 }), row(0, { mean: 0.8 }), 'ok'],
      ['significant but tiny (d 0.1)', row(1, { mean: 0.78, n: 20_000, scored: 20_000 }), row(0, { mean: 0.8, n: 20_000, scored: 20_000 }), 'ok'],
      ['too few now', row(1, { mean: 0.1, n: 10, scored: 10 }), row(0, { mean: 0.8 }), 'no_data'],
    ];
    for (const [name, c, b, want] of cases) {
      const r = of(evaluateScores(rows([c, b]), config()), 'eval_score');
      assert.equal(r.status, want, `${name}: ${r.message}`);
      assert.equal(r.layer, 'eval');
      assert.deepEqual(r.subject, { rubric: 'groundedness' });
    }
    const drift = of(evaluateScores(rows([row(1, { mean: 0.6 }), row(0, { mean: 0.8 })]), config()), 'eval_score');
    assert.equal(drift.driftMode, 'retrieval-corpus', 'read from the name');
    assert.deepEqual(drift.evidence.traceIds, ['t1', 't2']);
    assert.match(
      drift.message,
      /mean score 0\.800 → 0\.600 \(one-sided Welch t-test, p=.*\): significant and practical \(Cohen’s d 1\.00 ≥ 0\.3\); a drop of this rubric reads as retrieval-corpus, from the rubric’s name/,
    );
  });

  it('turns the test round when lower is better', () => {
    const cfg = config([{ name: 'groundedness', higherIsBetter: false }]);
    assert.equal(of(evaluateScores(rows([row(1, { mean: 0.9 }), row(0, { mean: 0.8, n: 1000, scored: 1000 })]), cfg), 'eval_score').status, 'drift');
    assert.equal(of(evaluateScores(rows([row(1, { mean: 0.6 }), row(0, { mean: 0.8 })]), cfg), 'eval_score').status, 'ok');
  });

  it('judges pass/fail rubrics by their failure rate, labelled or by threshold', () => {
    const labelled = evaluateScores(rows([row(1, { passes: 150, fails: 50, scored: 0 }), row(0, { passes: 190, fails: 10, scored: 0 })]), config());
    assert.equal(of(labelled, 'eval_score').status, 'drift');
    assert.equal(of(labelled, 'eval_score').value, 0.75);
    assert.equal(of(labelled, 'eval_score').evidence['kind'], 'pass');
    const byThreshold = evaluateScores(rows([row(1, { thresholdPasses: 120 }), row(0, { thresholdPasses: 190 })]), config([{ name: 'groundedness', passThreshold: 0.7 }]));
    assert.equal(of(byThreshold, 'eval_score').status, 'drift');
    assert.equal(of(byThreshold, 'eval_score').baseline, 0.95);
  });

  it('tells a rubric’s kind from what its producer writes', () => {
    const cases: [string, Parameters<typeof kindOf>[0], Parameters<typeof kindOf>[1], string][] = [
      ['every verdict a pass or fail label', [{ n: 10, scored: 10, passes: 6, fails: 4 }], undefined, 'pass'],
      ['scores', [{ n: 10, scored: 10, passes: 0, fails: 0 }], undefined, 'numeric'],
      ['labels of another kind', [{ n: 10, scored: 0, passes: 2, fails: 1 }], undefined, 'labels'],
      ['a threshold decides', [{ n: 10, scored: 10, passes: 0, fails: 0 }], { name: 'x', scale: 'auto', higherIsBetter: true, margin: 0.05, passThreshold: 0.5 }, 'pass'],
    ];
    for (const [name, rs, declared, want] of cases) assert.equal(kindOf(rs, declared), want, name);
  });

  it('names the drift mode: configured, else from the name, else user-distribution', () => {
    const cases: [string, string | undefined, string][] = [
      ['factual_grounding', undefined, 'retrieval-corpus'],
      ['instruction_adherence', undefined, 'prompt'],
      ['optimal_plan_execution', undefined, 'agent-step-compounding'],
      ['privacy_and_safety', undefined, 'user-distribution'],
      ['helpfulness', undefined, 'user-distribution'],
      ['helpfulness', 'dataset', 'dataset'],
    ];
    for (const [name, declared, want] of cases) assert.equal(rubricMode(name, declared ? ({ name, driftMode: declared } as never) : undefined).mode, want, name);
  });

  it('says so when no automated judgement was found', () => {
    const [r] = evaluateScores(rows([]), config());
    assert.equal(r!.status, 'no_data');
    assert.match(r!.message, /no automated judgements/);
  });
});

describe('eval_gap', () => {
  const run = (scores: number[]): OfflineRun => ({
    name: 'ci-nightly',
    path: '/ci.jsonl',
    format: 'jsonl',
    at: '2026-12-01T02:00:00.000Z',
    scores: scores.map((score, i) => ({ rubric: 'groundedness', score, item: String(i) })),
  });
  const ci = (mean: number, n = 100) => run(Array.from({ length: n }, (_, i) => mean + (i % 2 === 0 ? 0.1 : -0.1)));

  it('drifts when production is significantly worse than CI by more than the margin', () => {
    const cases: [string, number, number, string][] = [
      ['a standing 15-point gap', 0.65, 0.8, 'drift'],
      ['within the 5-point margin', 0.78, 0.8, 'ok'],
      ['production better than CI', 0.9, 0.8, 'ok'],
    ];
    for (const [name, live, offline, want] of cases) {
      const r = of(evaluateScores(rows([row(1, { mean: live, variance: 0.01 }), row(0, { mean: live })], [ci(offline)]), config()), 'eval_gap');
      assert.equal(r.status, want, `${name}: ${r.message}`);
      assert.equal(r.value, live);
      assert.ok(Math.abs(r.baseline! - offline) < 1e-9);
    }
    const r = of(evaluateScores(rows([row(1, { mean: 0.65, variance: 0.01 }), row(0, { mean: 0.65 })], [ci(0.8)]), config()), 'eval_gap');
    assert.deepEqual(r.samples, { current: 200, baseline: 100 });
    assert.equal(r.evidence['gap'], 0.15);
    const interval = r.evidence['gapInterval'] as { low: number; high: number };
    assert.ok(interval.low < 0.15 && interval.high > 0.15 && interval.low > 0.1);
    assert.deepEqual(r.evidence['offlineRun'], { name: 'ci-nightly', format: 'jsonl', at: '2026-12-01T02:00:00.000Z' });
    assert.match(r.message, /0\.650 in production against 0\.800 in CI run ci-nightly \(2026-12-01 02:00\): production scores 0\.150 below CI/);
  });

  it('uses the rubric’s margin, and the latest run that scored it', () => {
    const wide = config([{ name: 'groundedness', margin: 0.2 }]);
    assert.equal(of(evaluateScores(rows([row(1, { mean: 0.65, variance: 0.01 })], [ci(0.8)]), wide), 'eval_gap').status, 'ok');
    const older = { ...ci(0.95), name: 'old', at: '2026-11-01T00:00:00.000Z' };
    const r = of(evaluateScores(rows([row(1, { mean: 0.78, variance: 0.01 })], [older, ci(0.8)]), config()), 'eval_gap');
    assert.equal((r.evidence['offlineRun'] as { name: string }).name, 'ci-nightly');
  });

  it('holds production against an eval run recorded as traces, the newest run winning', () => {
    const traces = { rubric: 'groundedness', environment: 'ci', n: 120, scored: 120, mean: 0.82, variance: 0.01, passes: 0, fails: 0, thresholdPasses: 0, at: Date.parse('2026-12-02T00:00:00Z') };
    const withTraces = (file: OfflineRun[]) => ({ ...rows([row(1, { mean: 0.65, variance: 0.01 })], file), offlineTraces: [traces] });
    const r = of(evaluateScores(withTraces([]), config()), 'eval_gap');
    assert.equal(r.status, 'drift', r.message);
    assert.deepEqual(r.evidence['offlineRun'], { name: 'traces in ci', format: 'traces', at: '2026-12-02T00:00:00.000Z' });
    assert.deepEqual(r.samples, { current: 200, baseline: 120 });
    // The results file ran before the traced run: the traces are the latest CI run.
    assert.equal((of(evaluateScores(withTraces([ci(0.66)]), config()), 'eval_gap').evidence['offlineRun'] as { name: string }).name, 'traces in ci');
  });

  it('needs enough on both sides, and reports an unreadable results file as an error verdict', () => {
    assert.equal(of(evaluateScores(rows([row(1, { mean: 0.5 })], [ci(0.8, 10)]), config()), 'eval_gap').status, 'no_data');
    const failing = evaluateScores({ ...rows([row(1, {})]), offlineErrors: [{ name: 'ci.jsonl', message: '/ci.jsonl: line 2 is not JSON' }] }, config());
    const e = failing.find((r) => r.status === 'error')!;
    assert.deepEqual(e.subject, { offline: 'ci.jsonl' });
    assert.match(e.message, /line 2 is not JSON/);
  });
});
