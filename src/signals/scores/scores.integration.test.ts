// Eval scores end to end on the embedded engine: HANNA's stories judged for coherence by a real
// LLM judge (Mistral-7B's ratings), replayed as OpenInference evaluations on LLM spans. The agent's
// writer is swapped for a weaker one (the human-written stories of the baseline become GPT-2's),
// against its own past and against a CI run of the same rubric. Rollups on and off agree.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { SignalResult } from '../../core/verdict.ts';
import { runCycle } from '../../engine/cycle.ts';
import { otelSource } from '../../sources/otel/index.ts';
import { alertTitle } from '../../notify/content.ts';
import { scoresSignal } from './index.ts';
import { datasetSignal } from '../dataset/index.ts';
import { promptSignal } from '../prompt/index.ts';
import type { GapSplit } from './decompose.ts';
import { cycleOn, freshStore, testConfig, traceTable } from '../../../test/helpers/spans.ts';
import { judgedSpanRow, readHanna, spread, type RatedStory } from '../../../test/helpers/judge-fixtures.ts';
import { readBanking77, rootRow } from '../../../test/helpers/input-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const stories = readHanna('CH', 'Mistral-7B CH 1');
const of = (system: string) => stories.filter((s) => s.system === system);
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-scores-'));
let store: Store;

before(async () => {
  ({ store } = await freshStore('unused'));
});
after(async () => store.close());

/** Each story one LLM span in [from, to), its coherence scored by the judge; a human label beside some. */
function judged(list: readonly RatedStory[], from: Date, to: Date, tag: string, humanLabelEvery = 0, input?: (i: number) => string): Record<string, unknown>[] {
  return spread(from, to, list.length).map((at, i) =>
    withInput(
      input?.(i),
      judgedSpanRow({
        at,
        traceId: `${tag}-${i}`,
        spanId: `${tag}-${i}-s`,
        verdicts: [
          { rubric: 'coherence', annotator: 'LLM', identifier: '', score: list[i]!.llm },
          // Human labels belong to the judge signal: low ones here must not move the eval score.
          ...(humanLabelEvery > 0 && i % humanLabelEvery === 0 ? [{ rubric: 'coherence', annotator: 'HUMAN' as const, identifier: 'ana', score: 1 }] : []),
        ],
      }),
    ),
  );
}

/** The user's request on the (root) LLM span, when the story had one. */
const withInput = (text: string | undefined, row: Record<string, unknown>) =>
  text === undefined ? row : { ...row, SpanAttributes: { ...(row['SpanAttributes'] as Record<string, string>), 'input.value': text } };
const PROMPTS = ['write a ghost story set in a lighthouse during a storm', 'write a short story where a dragon learns to bake bread'];

const config = (extra: Partial<{ offline: string }> = {}, rollups = true): Config =>
  testConfig({
    windows: { baseline: '2d', current: '1h' },
    rollups: { enabled: rollups },
    rubrics: [{ name: 'coherence', driftMode: 'prompt' }],
    signals: { scores: { ...(extra.offline ? { offline: [{ path: extra.offline, name: 'ci-nightly' }] } : {}) } },
  });

async function verdicts(table: string, cfg: Config): Promise<SignalResult[]> {
  const outcome = cfg.rollups.enabled
    ? await cycleOn(store, cfg, table, [scoresSignal as never], AT)
    : await runCycle({ config: cfg, store, sources: [{ source: otelSource('default', table), scope: {} }], signals: [scoresSignal as never], log: pino({ level: 'silent' }), rollups: null }, AT);
  assert.deepEqual(outcome.report.errors, []);
  return outcome.report.signals;
}

const find = (rs: SignalResult[], signal: string) => {
  const r = rs.find((x) => x.signal === signal && x.subject['rubric'] === 'coherence');
  assert.ok(r, `no ${signal}: ${JSON.stringify(rs.map((x) => [x.signal, x.subject, x.status, x.message]))}`);
  return r;
};

const w = computeWindows(AT, testConfig({ windows: { baseline: '2d', current: '1h' } }).windows);
/** A CI run of the rubric: the judge's ratings of the stories the eval set holds. */
function ciFile(list: readonly RatedStory[]): string {
  const path = join(dir, `ci-${list.length}-${list[0]!.system}.jsonl`);
  writeFileSync(path, list.map((s, i) => JSON.stringify({ rubric: 'coherence', score: s.llm, item: `story-${i}` })).join('\n'));
  return path;
}

describe('eval scores on HANNA’s coherence ratings', () => {
  it('stays quiet while the same writer keeps writing, human labels aside, and holds production level with CI', async () => {
    const mix = [...of('GPT-2'), ...of('GPT-2 (tag)')];
    const even = mix.filter((_, i) => i % 2 === 0);
    const odd = mix.filter((_, i) => i % 2 === 1);
    const table = await traceTable(store, 'scores_stationary', [...judged(even, w.baseline.from, w.baseline.to, 'b'), ...judged(odd.slice(0, 60), w.current.from, w.current.to, 'c', 3)]);
    for (const rollups of [true, false]) {
      const rs = await verdicts(table, config({ offline: ciFile(even) }, rollups));
      const score = find(rs, 'eval_score');
      assert.equal(score.status, 'ok', score.message);
      assert.equal(score.samples.current, 60, 'the human labels are not scores of the rubric');
      assert.equal(find(rs, 'eval_gap').status, 'ok', find(rs, 'eval_gap').message);
    }
  });

  it('drifts when the writer gets worse, names the configured mode, and opens a gap against CI; rollups on and off agree', async () => {
    const prompt = (i: number) => PROMPTS[i % 2]!;
    const table = await traceTable(store, 'scores_swap', [
      ...judged(of('Human'), w.baseline.from, w.baseline.to, 'b', 0, prompt),
      ...judged(of('GPT-2 (tag)').slice(0, 60), w.current.from, w.current.to, 'c', 0, prompt),
    ]);
    const ci = ciFile(of('Human'));
    const on = await verdicts(table, config({ offline: ci }, true));
    const off = await verdicts(table, config({ offline: ci }, false));
    for (const rs of [on, off]) {
      const score = find(rs, 'eval_score');
      assert.equal(score.status, 'drift', score.message);
      assert.equal(score.driftMode, 'prompt');
      assert.equal(score.layer, 'eval');
      assert.ok(score.baseline! > 3.4 && score.value! < 2.6, `${score.baseline} → ${score.value}`);
      assert.ok(score.evidence.traceIds.length > 0 && score.evidence.traceIds.every((t) => t.startsWith('c-')));
      const gap = find(rs, 'eval_gap');
      assert.equal(gap.status, 'drift', gap.message);
      assert.equal(gap.samples.baseline, 96);
      assert.ok((gap.evidence['gap'] as number) > 0.8);
      assert.match(gap.message, /in production against .* in CI run ci-nightly/);
      // No root of the window names an intent: the judgements are not grouped by one.
      assert.deepEqual(gap.evidence['byIntent'], []);
    }
    const pick = (rs: SignalResult[]) => rs.map((r) => [r.signal, r.status, r.value, r.baseline, r.samples, r.pValue === null ? null : r.pValue.toPrecision(6)]);
    assert.deepEqual(pick(on), pick(off), 'the rollup path and the raw scan judge alike');
    // Without an identifier of its own, a judgement names the service that wrote it.
    assert.deepEqual(find(on, 'eval_score').subject, { rubric: 'coherence', evaluator: 'agent' });
    assert.match(alertTitle(find(on, 'eval_score')), /^Prompt drift: coherence \/ agent eval score 3\.\d\d → 2\.\d\d$/, 'scores read as scores, not percentages');
    assert.match(alertTitle(find(on, 'eval_gap')), /^Prompt drift: coherence \/ agent eval score against CI 3\.52 → 2\.\d\d$/);
    assert.ok(find(on, 'eval_score').evidence.hourly, 'an hourly series from the rollups');
    // The stories it scored low, grouped by what was asked: both requests, now far more often low.
    const patterns = find(on, 'eval_score').evidence.patterns!;
    assert.ok(patterns.length >= 1, JSON.stringify(find(on, 'eval_score').evidence.patternSample));
    assert.ok(patterns.every((p) => p.traceIds.every((t) => t.startsWith('c-'))));
    assert.ok(/ghost|lighthouse|dragon|bread/.test(patterns.map((p) => p.name).join(' ')), patterns.map((p) => p.name).join('; '));
  });

  it('takes an eval run recorded as traces (deployment.environment: ci) as the CI run, never as production', async () => {
    const ciRun = judged(of('Human'), new Date(w.baseline.from.getTime() + 3_600_000), new Date(w.baseline.from.getTime() + 2 * 3_600_000), 'ci').map((r) => ({
      ...r,
      ResourceAttributes: { 'deployment.environment': 'ci', 'service.name': 'eval-runner' },
    }));
    const table = await traceTable(store, 'scores_ci_traces', [
      ...judged(of('GPT-2 (tag)'), w.baseline.from, w.baseline.to, 'b'),
      ...judged(of('GPT-2 (tag)').slice(0, 60), w.current.from, w.current.to, 'c'),
      ...ciRun,
    ]);
    for (const rollups of [true, false]) {
      const rs = await verdicts(table, config({}, rollups));
      const score = find(rs, 'eval_score');
      assert.equal(score.status, 'ok', `the CI traces are not production's baseline: ${score.message}`);
      assert.equal(score.samples.baseline, 96);
      const gap = find(rs, 'eval_gap');
      assert.equal(gap.status, 'drift', gap.message);
      assert.deepEqual((gap.evidence['offlineRun'] as { name: string; format: string }).format, 'traces');
      assert.equal(gap.samples.baseline, 96);
      assert.match(gap.message, /in CI run traces in ci/);
    }
  });

  it('reports an unreadable CI file as an error verdict, and still judges the live scores', async () => {
    const bad = join(dir, 'broken.jsonl');
    writeFileSync(bad, '{"rubric":"coherence","score":3}\nnot json\n');
    const table = await traceTable(store, 'scores_bad_ci', [...judged(of('Human'), w.baseline.from, w.baseline.to, 'b'), ...judged(of('Human').slice(0, 40), w.current.from, w.current.to, 'c')]);
    const rs = await verdicts(table, config({ offline: bad }, true));
    const e = rs.find((r) => r.status === 'error')!;
    assert.match(e.message, /broken\.jsonl: line 2 is not JSON/);
    assert.equal(find(rs, 'eval_score').status, 'ok');
  });
});

describe('a gap to CI carried by inputs the eval set lacks', () => {
  // Banking77's requests on the roots (their intent in the root's metadata), the judge's HANNA
  // ratings on a child LLM span: covered intents are answered as well as in CI (the human-written
  // stories' ratings), the intents the eval set lacks far worse (GPT-2's).
  const banking = readBanking77('test');
  const intents = [...new Set(banking.map((q) => q.intent))].sort();
  const covered = new Set(intents.slice(0, 60));
  const coveredQs = banking.filter((q) => covered.has(q.intent));
  const uncoveredQs = banking.filter((q) => !covered.has(q.intent));
  const trace = (at: Date, id: string, q: { text: string; intent: string }, score: number) => [
    rootRow({ at, traceId: id, input: q.text, intent: q.intent }),
    { ...judgedSpanRow({ at, traceId: id, spanId: `${id}-s`, verdicts: [{ rubric: 'coherence', annotator: 'LLM', identifier: 'judge', score }] }), ParentSpanId: `${id}-root` },
  ];

  it('splits the gap into mix and within, and names dataset drift when the uncovered inputs carry it; rollups on and off agree', async () => {
    const human = of('Human');
    const weak = of('GPT-2 (tag)');
    const rows = [
      ...spread(w.baseline.from, w.baseline.to, human.length).flatMap((at, i) => trace(at, `b-${i}`, coveredQs[(i * 7) % coveredQs.length]!, human[i]!.llm)),
      // Now: every other request has an intent the eval set lacks.
      ...spread(w.current.from, w.current.to, 96).flatMap((at, i) =>
        i % 2 === 0 ? trace(at, `c-${i}`, coveredQs[(i * 11) % coveredQs.length]!, human[i]!.llm) : trace(at, `c-${i}`, uncoveredQs[(i * 13) % uncoveredQs.length]!, weak[i]!.llm),
      ),
    ];
    const table = await traceTable(store, 'scores_by_intent', rows);
    const evalSet = join(dir, 'banking-eval.jsonl');
    writeFileSync(
      evalSet,
      readBanking77('train')
        .filter((q) => covered.has(q.intent))
        .map((q) => JSON.stringify({ input: q.text, intent: q.intent }))
        .join('\n'),
    );
    const ci = ciFile(human);
    const results: SignalResult[][] = [];
    for (const rollups of [true, false]) {
      const cfg = testConfig({
        windows: { baseline: '2d', current: '1h' },
        rollups: { enabled: rollups },
        rubrics: [{ name: 'coherence' }],
        signals: { scores: { offline: [{ path: ci, name: 'ci-nightly' }] }, dataset: { evalSet: { path: evalSet } } },
      });
      const signals = [datasetSignal as never, scoresSignal as never];
      const outcome = rollups
        ? await cycleOn(store, cfg, table, signals, AT)
        : await runCycle({ config: cfg, store, sources: [{ source: otelSource('default', table), scope: {} }], signals, log: pino({ level: 'silent' }), rollups: null }, AT);
      assert.deepEqual(outcome.report.errors, []);
      const gap = find(outcome.report.signals, 'eval_gap');
      assert.equal(gap.status, 'drift', gap.message);
      const split = gap.evidence['gapSplit'] as GapSplit;
      assert.ok(split, JSON.stringify(gap.evidence));
      assert.equal(split.withIntent + split.withoutIntent, gap.samples.current, JSON.stringify(split));
      assert.equal(split.withoutIntent, 0);
      assert.equal(split.withIntent, 96);
      assert.equal(split.uncoveredShare, 0.5);
      // Covered requests score about as in CI: the new intents carry most of the gap.
      assert.ok(split.mix > split.within && split.mix > 0.3, JSON.stringify(split));
      assert.ok(Math.abs(split.mix + split.within - (gap.baseline! - gap.value!)) < 0.01, 'the parts add up to the gap');
      assert.ok(split.worstUncovered.every((x) => !covered.has(x.intent)));
      assert.equal(gap.driftMode, 'dataset');
      assert.match(gap.message, /reads as dataset, from inputs the eval set banking-eval\.jsonl does not cover carrying \d+% of the gap/);
      assert.ok(gap.evidence.details!.some((d) => /^Of the gap, .* from inputs the eval set banking-eval\.jsonl does not cover/.test(d)));
      results.push(outcome.report.signals);
    }
    const pick = (rs: SignalResult[]) => rs.map((r) => [r.signal, r.status, r.driftMode, r.value, r.baseline, r.evidence['gapSplit'] ?? null]);
    assert.deepEqual(pick(results[0]!), pick(results[1]!));
  });
});

describe('an adherence drop after a prompt version change', () => {
  it('is prompt drift: the prompt its low-scoring traces ran moved off the version the rubric was written for; rollups and raw scans agree', async () => {
    // The judge's HANNA ratings as instruction-adherence scores: the human-written stories on
    // prompt v3 before, GPT-2's on v4 in the current hour.
    const row = (s: RatedStory, at: Date, id: string, version: string) =>
      judgedSpanRow({
        at,
        traceId: id,
        spanId: `${id}-s`,
        prompt: 'support-agent',
        promptVersion: version,
        verdicts: [{ rubric: 'instruction_adherence', annotator: 'LLM', identifier: 'judge', score: s.llm }],
      });
    const table = await traceTable(store, 'scores_prompt_bump', [
      ...spread(w.baseline.from, w.baseline.to, of('Human').length).map((at, i) => row(of('Human')[i]!, at, `b-${i}`, 'v3')),
      ...spread(w.current.from, w.current.to, 60).map((at, i) => row(of('GPT-2 (tag)')[i]!, at, `c-${i}`, 'v4')),
    ]);
    const cfg = (rollups: boolean) =>
      testConfig({
        windows: { baseline: '2d', current: '1h' },
        rollups: { enabled: rollups },
        // Configured as if a drop meant user drift: the evidence in its own traces says otherwise.
        rubrics: [{ name: 'instruction_adherence', promptVersion: 'v3', prompt: 'support-agent', driftMode: 'user-distribution' }],
      });
    const signals = [promptSignal as never, scoresSignal as never];
    for (const rollups of [true, false]) {
      const outcome = rollups
        ? await cycleOn(store, cfg(true), table, signals, AT)
        : await runCycle({ config: cfg(false), store, sources: [{ source: otelSource('default', table), scope: {} }], signals, log: pino({ level: 'silent' }), rollups: null }, AT);
      const mismatch = outcome.report.signals.find((s) => s.signal === 'prompt_rubric_mismatch');
      assert.equal(mismatch?.status, 'drift', mismatch?.message);
      const score = outcome.report.signals.find((s) => s.signal === 'eval_score' && s.subject['rubric'] === 'instruction_adherence');
      assert.equal(score?.status, 'drift', score?.message);
      assert.equal(score!.driftMode, 'prompt', score!.message);
      assert.match(score!.message, /reads as prompt, from the same cycle’s prompt_rubric_mismatch drift \(instruction_adherence\)/);
      const facts = score!.evidence['lowTraceFacts'] as { prompts: Record<string, number> };
      assert.ok((facts.prompts['support-agent'] ?? 0) > 0, JSON.stringify(facts));
    }
  });
});
