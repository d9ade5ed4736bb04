// Judge–human agreement and prompt drift on the embedded engine, with judged spans built from
// LLMBar and HANNA, and simulated prompt bumps versus input shifts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { Report } from '../../engine/cycle.ts';
import { otelSource } from '../../sources/otel/index.ts';
import { alertTitle } from '../../notify/content.ts';
import { weightedKappa } from '../../stats/agreement.ts';
import { judgeSignal } from './index.ts';
import { judgeWindows } from './windows.ts';
import { promptSignal } from '../prompt/index.ts';
import { freshStore, rng, testConfig, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { judgedSpanRow, preferences, readHanna, readLlmBar, spread } from '../../../test/helpers/judge-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const global = computeWindows(AT, testConfig().windows);
let store: Store;
let config: Config;
let w: ReturnType<typeof judgeWindows>;

before(async () => {
  ({ store, config } = await freshStore('unused'));
  w = judgeWindows(global, config.signals.judge);
});
after(async () => store.close());

const table = (name: string, rows: Record<string, unknown>[]) => traceTable(store, name, rows);

async function report(name: string, cfg: Config = config, signals = [judgeSignal as never, promptSignal as never]): Promise<Report> {
  return (await cycleOn(store, cfg, name, signals, AT)).report;
}

function find(rep: Report, signal: string, key: string, value: string) {
  const r = rep.signals.find((s) => s.signal === signal && s.subject[key] === value);
  assert.ok(r, `no ${signal} for ${value}: ${JSON.stringify(rep.signals.map((s) => [s.signal, s.subject, s.status]))}`);
  return r;
}

describe('judge–human agreement on LLMBar', () => {
  it('drifts when the GPT-4 judge of the baseline is replaced by ChatGPT on the adversarial set, naming user-distribution drift', async () => {
    const gpt4 = readLlmBar('adversarial-neighbor.GPT-4.vanilla.result.json');
    const chatgpt = readLlmBar('adversarial-neighbor.ChatGPT.vanilla.result.json');
    const rep = await report(await table('adversarial', [...preferences(gpt4, w.baseline.from, w.baseline.to, 'b'), ...preferences(chatgpt, w.current.from, w.current.to, 'c')]));
    const r = find(rep, 'judge_human_agreement', 'rubric', 'preference');
    assert.equal(r.status, 'drift', r.message);
    assert.equal(r.layer, 'judge');
    assert.equal(r.driftMode, 'user-distribution');
    assert.equal(r.samples.current, 134);
    assert.equal(r.samples.baseline, 134);
    assert.ok(r.baseline! > 0.4 && r.value! < 0, `${r.baseline} → ${r.value}`);
    const raw = r.evidence.rawAgreement as { current: number; baseline: number };
    assert.ok(Math.abs(raw.baseline - gpt4.filter((x) => x.judge === x.human).length / 134) < 1e-4);
    assert.ok(raw.current < 0.3);
    assert.match(r.message, /Cohen’s κ/);
    assert.match(r.message, /human labels 2 \d+%, 1 \d+%|human labels 1 \d+%, 2 \d+%/);
    assert.match(r.message, /no prompt version appeared/);
    assert.ok(r.evidence.traceIds.length > 0 && r.evidence.traceIds.every((t) => t.startsWith('c-')));
    assert.match(alertTitle(r), /^User-distribution drift: preference judge–human κ 0\.\d\d → -0\.\d\d$/);
  });

  it('stays quiet with GPT-4 judging both halves of the natural set', async () => {
    const gpt4 = readLlmBar('natural.GPT-4.vanilla.result.json');
    const rep = await report(await table('natural', [...preferences(gpt4.slice(0, 50), w.baseline.from, w.baseline.to, 'b'), ...preferences(gpt4.slice(50), w.current.from, w.current.to, 'c')]));
    const r = find(rep, 'judge_human_agreement', 'rubric', 'preference');
    assert.equal(r.status, 'ok', r.message);
    assert.ok(r.value! > 0.7);
  });

  it('is no_data with too few human labels in the current window', async () => {
    const gpt4 = readLlmBar('natural.GPT-4.vanilla.result.json');
    const rep = await report(await table('sparse', [...preferences(gpt4.slice(0, 60), w.baseline.from, w.baseline.to, 'b'), ...preferences(gpt4.slice(60, 70), w.current.from, w.current.to, 'c')]));
    const r = find(rep, 'judge_human_agreement', 'rubric', 'preference');
    assert.equal(r.status, 'no_data');
    assert.match(r.message, /10 judge–human pairs in the current 7 days, 30 needed/);
  });
});

describe('judge–human agreement on HANNA ratings', () => {
  it('measures the human–human baseline with quadratic-weighted κ from the raters’ own double labels', async () => {
    const stories = readHanna('CH', 'ChatGPT CH 1');
    assert.equal(stories.length, 1056);
    const times = spread(w.baseline.from, w.current.to, stories.length);
    const rows = stories.map((s, i) =>
      judgedSpanRow({
        at: times[i]!,
        traceId: `h-${i}`,
        spanId: `h-${i}-s`,
        verdicts: [
          { rubric: 'coherence', annotator: 'HUMAN', identifier: 'human-1', score: s.humans[0] },
          { rubric: 'coherence', annotator: 'HUMAN', identifier: 'human-2', score: s.humans[1] },
          { rubric: 'coherence', annotator: 'LLM', identifier: 'chatgpt', score: s.llm },
        ],
      }),
    );
    const rep = await report(await table('hanna', rows));
    const r = find(rep, 'judge_human_agreement', 'rubric', 'coherence');
    const hh = r.evidence.humanHuman as { kappa: number; pairs: number; source: string };
    assert.equal(hh.source, 'measured');
    assert.equal(hh.pairs, 1056);
    const expected = weightedKappa(
      stories.map((s) => [s.humans[0], s.humans[1]] as const),
      [1, 2, 3, 4, 5],
    );
    assert.ok(Math.abs(hh.kappa - expected) < 1e-9, `${hh.kappa} vs ${expected}`);
    assert.equal(r.evidence.kappa, 'quadratic-weighted κ');
    const currentStories = stories.filter((_, i) => times[i]! >= w.current.from);
    const judgeKappa = weightedKappa(
      currentStories.map((s) => [s.llm, s.humans[0]] as const),
      [1, 2, 3, 4, 5],
    );
    assert.ok(Math.abs(r.value! - judgeKappa) < 1e-4, `${r.value} vs ${judgeKappa}`);
  });
});

describe('naming the mode responsible', () => {
  // A pass/fail rubric: the judge agrees with humans 90% of the time in the baseline, 55% now.
  function agreementDrop(tag: string, promptVersion: (at: Date, i: number) => string) {
    const random = rng(tag.length * 31);
    const make = (from: Date, to: Date, n: number, agree: number, window: string) =>
      spread(from, to, n).map((at, i) => {
        const human = random() < 0.5 ? 'pass' : 'fail';
        const judge = random() < agree ? human : human === 'pass' ? 'fail' : 'pass';
        return judgedSpanRow({
          at,
          traceId: `${tag}-${window}-${i}`,
          spanId: `${tag}-${window}-${i}-s`,
          prompt: 'support-agent',
          promptVersion: promptVersion(at, i),
          verdicts: [
            { rubric: 'helpfulness', annotator: 'HUMAN', identifier: 'reviewer', label: human },
            { rubric: 'helpfulness', annotator: 'LLM', identifier: 'judge', label: judge },
          ],
        });
      });
    return [...make(w.baseline.from, w.baseline.to, 200, 0.9, 'b'), ...make(w.current.from, w.current.to, 150, 0.55, 'c')];
  }
  /** Plain LLM calls in the global windows (the prompt signal's), with a version per call. */
  function llmCalls(tag: string, version: (i: number) => string) {
    const calls = (from: Date, to: Date, n: number, window: string) =>
      spread(from, to, n).map((at, i) =>
        judgedSpanRow({ at, traceId: `${tag}-llm-${window}-${i}`, spanId: `${tag}-llm-${window}-${i}-s`, prompt: 'support-agent', promptVersion: version(i), verdicts: [] }),
      );
    return [...calls(global.current.from, global.current.to, 100, 'c')];
  }

  it('names prompt drift when a prompt version appeared just before agreement fell', async () => {
    const bumpAt = new Date(global.current.to.getTime() - 7 * 86_400_000 - 86_400_000); // a day before the judge's current window
    const rows = [...agreementDrop('bump', (at) => (at >= bumpAt ? 'v17' : 'v3')), ...llmCalls('bump', () => 'v17')];
    const rubricCfg = testConfig({ rubrics: [{ name: 'helpfulness', promptVersion: 'v3', prompt: 'support-agent' }] });
    const rep = await report(await table('prompt_bump', rows), { ...config, rubrics: rubricCfg.rubrics });
    const r = find(rep, 'judge_human_agreement', 'rubric', 'helpfulness');
    assert.equal(r.status, 'drift', r.message);
    assert.equal(r.driftMode, 'prompt');
    assert.match(r.message, /prompt support-agent moved to version v17, first seen 2026-11-12T/);
    assert.match(alertTitle(r), /^Prompt drift: helpfulness judge–human κ/);
    // The prompt signal sees the same bump: the rubric grades v3, live traffic runs on v17.
    const mismatch = find(rep, 'prompt_rubric_mismatch', 'rubric', 'helpfulness');
    assert.equal(mismatch.status, 'drift', mismatch.message);
    assert.equal(mismatch.value, 1);
    const share = find(rep, 'prompt_version_share', 'version', 'v17');
    assert.equal(share.value, 1);
    assert.equal(share.subject.prompt, 'support-agent');
  });

  it('names user-distribution drift when agreement fell with the prompt unchanged', async () => {
    const rep = await report(
      await table(
        'input_shift',
        agreementDrop('shift', () => 'v3'),
      ),
    );
    const r = find(rep, 'judge_human_agreement', 'rubric', 'helpfulness');
    assert.equal(r.status, 'drift', r.message);
    assert.equal(r.driftMode, 'user-distribution');
    assert.match(alertTitle(r), /^User-distribution drift: helpfulness/);
    assert.equal(find(rep, 'prompt_version_share', 'version', 'v3').value, 1);
  });

  it('prompt drift stays quiet while most traffic runs on the version the rubric was written for', async () => {
    const rows = [...agreementDrop('mostly', () => 'v3'), ...llmCalls('mostly', (i) => (i % 5 === 0 ? 'v4' : 'v3'))];
    const cfg = testConfig({ rubrics: [{ name: 'helpfulness', promptVersion: 'v3' }] });
    const rep = await report(await table('mostly_v3', rows), { ...config, rubrics: cfg.rubrics }, [promptSignal as never]);
    const mismatch = find(rep, 'prompt_rubric_mismatch', 'rubric', 'helpfulness');
    assert.equal(mismatch.status, 'ok', mismatch.message);
    assert.ok(Math.abs(mismatch.value! - 0.2) < 0.02, String(mismatch.value));
  });
});

describe('reading judgements in every convention', () => {
  it('pairs verdicts by target and rubric across carriers: on-span (several per span), EVALUATOR with a Link, trace-scoped, GenAI events and target ids', async () => {
    const at = new Date(w.current.from.getTime() + 3_600_000);
    const base = { Timestamp: at.toISOString(), TraceId: 'T1', ParentSpanId: '', SpanName: 'x', SpanKind: 'Internal', Duration: 1, StatusCode: 'Ok', StatusMessage: '' };
    const rows = [
      // The judged LLM span carries the judge's verdict itself.
      {
        ...base,
        SpanId: 'target',
        ServiceName: 'agent',
        SpanAttributes: { 'openinference.span.kind': 'LLM', 'evaluations.0.evaluation.name': 'tone', 'evaluations.0.evaluation.label': 'polite', 'evaluations.0.evaluation.annotator_kind': 'LLM' },
      },
      // A human's verdict arrives later on an EVALUATOR carrier that links to it.
      {
        ...base,
        SpanId: 'carrier',
        ServiceName: 'review-ui',
        'Links.TraceId': ['T1'],
        'Links.SpanId': ['target'],
        'Links.TraceState': [''],
        'Links.Attributes': [{}],
        SpanAttributes: {
          'openinference.span.kind': 'EVALUATOR',
          'annotations.0.annotation.name': 'tone',
          'annotations.0.annotation.label': 'rude',
          'annotations.0.annotation.annotator_kind': 'HUMAN',
          'annotations.0.annotation.identifier': 'ana',
        },
      },
      // Trace-level verdicts from both.
      {
        ...base,
        SpanId: 'root',
        ServiceName: 'agent',
        SpanAttributes: {
          'trace.annotations.0.annotation.name': 'solved',
          'trace.annotations.0.annotation.label': 'yes',
          'trace.annotations.0.annotation.annotator_kind': 'HUMAN',
          'trace.evaluations.0.evaluation.name': 'solved',
          'trace.evaluations.0.evaluation.label': 'no',
          'trace.evaluations.0.evaluation.annotator_kind': 'LLM',
        },
      },
      // GenAI / traceAI: an EVALUATOR span naming its target; the emitting service says human or not.
      {
        ...base,
        SpanId: 'gen-human',
        ServiceName: 'labelling-tool',
        SpanAttributes: { 'fi.span.kind': 'EVALUATOR', 'gen_ai.evaluation.name': 'accuracy', 'gen_ai.evaluation.score.value': '4', 'gen_ai.evaluation.target_span_id': 'target' },
      },
      {
        ...base,
        SpanId: 'gen-judge',
        ServiceName: 'judge-svc',
        SpanAttributes: { 'fi.span.kind': 'EVALUATOR', 'gen_ai.evaluation.name': 'accuracy', 'gen_ai.evaluation.score.value': '2', 'gen_ai.evaluation.target_span_id': 'target' },
      },
      // Several verdicts on one span, read at indices 0–9 (the 11th is past the limit).
      {
        ...base,
        SpanId: 'multi',
        ServiceName: 'agent',
        SpanAttributes: {
          'evaluations.1.evaluation.name': 'clarity',
          'evaluations.1.evaluation.score': '0.5',
          'evaluations.0.evaluation.name': 'brevity',
          'evaluations.0.evaluation.label': 'short',
          'evaluations.10.evaluation.name': 'past-the-limit',
          'evaluations.2.evaluation.label': 'no name, no verdict',
        },
      },
      // A gen_ai.evaluation.result event on the judged span.
      {
        ...base,
        SpanId: 'evented',
        ServiceName: 'judge-svc',
        SpanAttributes: { 'gen_ai.operation.name': 'chat' },
        'Events.Timestamp': [at.toISOString()],
        'Events.Name': ['gen_ai.evaluation.result'],
        'Events.Attributes': [{ 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.label': 'relevant' }],
      },
    ];
    const name = await table('conventions', rows);
    const source = otelSource('default', name);
    const got = await store.query<{ target: string; rubric: string; annotator: string; identifier: string; label: string; score: number | null }>(
      `SELECT target, rubric, annotator, identifier, label, score FROM (${source.judgements()}) ORDER BY rubric, annotator`,
      { ...source.params, fromMs: w.baseline.from.getTime(), toMs: w.current.to.getTime(), humanServices: ['labelling-tool'] },
    );
    assert.deepEqual(
      got.map((g) => [g.rubric, g.target, g.annotator, g.label || g.score]),
      [
        ['accuracy', 'target', 'HUMAN', 4],
        ['accuracy', 'target', 'LLM', 2],
        ['brevity', 'multi', 'LLM', 'short'],
        ['clarity', 'multi', 'LLM', 0.5],
        ['relevance', 'evented', 'LLM', 'relevant'],
        ['solved', 'trace:T1', 'HUMAN', 'yes'],
        ['solved', 'trace:T1', 'LLM', 'no'],
        ['tone', 'target', 'HUMAN', 'rude'],
        ['tone', 'target', 'LLM', 'polite'],
      ],
    );
    assert.equal(got.find((g) => g.rubric === 'tone' && g.annotator === 'HUMAN')!.identifier, 'ana');
  });
});
