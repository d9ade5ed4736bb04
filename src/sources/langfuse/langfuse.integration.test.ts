// Every signal on Langfuse-shaped tables (created from Langfuse's migrations), with rows written the
// way Langfuse writes them, including superseded row versions and deleted rows that must not count.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import { runCycle, type Report } from '../../engine/cycle.ts';
import { createApp, createLogger } from '../../app/app.ts';
import { familiesOf, SIGNALS } from '../../signals/index.ts';
import { alertTitle } from '../../notify/content.ts';
import { judgeWindows } from '../../signals/judge/windows.ts';
import { langfuseSource } from './index.ts';
import { freshStore, insertRows, rng, testConfig, testRollups } from '../../../test/helpers/spans.ts';
import { reportDifferences } from '../../../test/helpers/differential.ts';
import { RollupEngine } from '../../rollups/engine.ts';
import { createLangfuseTables, datasetRunItemRow, observationRow, scoreRow, traceRow, type Observation } from '../../../test/helpers/langfuse.ts';
import { readHanna, readLlmBar, spread } from '../../../test/helpers/judge-fixtures.ts';
import { readTrecRun } from '../../../test/helpers/retrieval-fixtures.ts';
import { readTau2 } from '../../../test/helpers/agent-fixtures.ts';
import { readArenaHard } from '../../../test/helpers/input-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const DB = 'langfuse';
const log = createLogger('fatal');
let store: Store;
let config: Config;
let w: ReturnType<typeof computeWindows>;

before(async () => {
  ({ store, config } = await freshStore('unused'));
  w = computeWindows(AT, config.windows);
  await createLangfuseTables(store, DB);
  await seed();
});
after(async () => store.close());

const PROJECTS = ['p-drift', 'p-calm'];

async function report(projects = PROJECTS, cfg = config): Promise<Report> {
  const sources = projects.map((project) => ({ source: langfuseSource(DB, project, { retrievalQueryKey: 'query', datasetRuns: true }), scope: { project } }));
  return (await runCycle({ config: cfg, store, sources, signals: SIGNALS, log, rollups: await testRollups(store) }, AT)).report;
}

const find = (rep: Report, signal: string, subject: Record<string, string>) => {
  const r = rep.signals.find((s) => s.signal === signal && Object.entries(subject).every(([k, v]) => s.subject[k] === v));
  assert.ok(r, `no ${signal} ${JSON.stringify(subject)} in ${JSON.stringify(rep.signals.map((s) => [s.signal, s.subject, s.status]))}`);
  return r;
};

const obs: Record<string, unknown>[] = [];
const traces: Record<string, unknown>[] = [];
const scores: Record<string, unknown>[] = [];
const live = { p_drift_refund_current: 0, p_drift_refund_current_errors: 0 };

/** Tool calls of refund_payment; in p-drift the current window fails 20% of the time. */
function toolTraffic(project: string, drift: boolean) {
  const random = rng(project.length);
  const make = (from: Date, to: Date, n: number, errorRate: number, tag: string, current: boolean) =>
    spread(from, to, n).forEach((at, i) => {
      const id = `${project}-${tag}-${i}`;
      const error = random() < errorRate;
      const o: Observation = {
        id,
        trace_id: `${id}-t`,
        project_id: project,
        type: 'TOOL',
        parent_observation_id: `${id}-agent`,
        start_time: at,
        name: 'refund_payment',
        level: error ? 'ERROR' : 'DEFAULT',
        status_message: error ? (current && drift ? 'SchemaValidationError: field amount_cents required' : `timeout after ${2900 + i} ms`) : null,
      };
      obs.push(observationRow(o));
      if (current && drift && i % 10 === 0) {
        // An older version of the row (before the error was recorded): superseded, must not count.
        obs.push(observationRow({ ...o, level: 'DEFAULT', status_message: null, event_ts: new Date(at.getTime() + 10) }));
      }
      if (current && drift && i % 25 === 0) {
        // Deleted later: its latest version is a delete.
        obs.push(observationRow({ ...o, level: 'ERROR', event_ts: new Date(at.getTime() + 5000), is_deleted: 1 }));
        return;
      }
      if (current && drift) {
        live.p_drift_refund_current++;
        if (error) live.p_drift_refund_current_errors++;
      }
    });
  make(w.baseline.from, w.baseline.to, 3000, 0.02, 'b', false);
  make(w.current.from, w.current.to, 300, drift ? 0.2 : 0.02, 'c', true);
}

/** LLMBar preferences as scores: the judge as EVAL, the human gold label as ANNOTATION. */
function judgeTraffic(project: string) {
  const jw = judgeWindows(w, config.signals.judge);
  const add = (items: { human: string; judge: string }[], from: Date, to: Date, tag: string) =>
    spread(from, to, items.length).forEach((at, i) => {
      const base = { project_id: project, timestamp: at, trace_id: `${project}-${tag}-${i}`, observation_id: `${project}-${tag}-${i}-gen`, name: 'preference', data_type: 'CATEGORICAL' as const };
      scores.push(scoreRow({ ...base, id: `${project}-${tag}-${i}-h`, source: 'ANNOTATION', string_value: items[i]!.human, author_user_id: 'reviewer-1' }));
      scores.push(scoreRow({ ...base, id: `${project}-${tag}-${i}-j`, source: 'EVAL', string_value: items[i]!.judge }));
    });
  if (project === 'p-drift') {
    add(readLlmBar('adversarial-neighbor.GPT-4.vanilla.result.json'), jw.baseline.from, jw.baseline.to, 'jb');
    add(readLlmBar('adversarial-neighbor.ChatGPT.vanilla.result.json'), jw.current.from, jw.current.to, 'jc');
  } else {
    const natural = readLlmBar('natural.GPT-4.vanilla.result.json');
    add(natural.slice(0, 50), jw.baseline.from, jw.baseline.to, 'jb');
    add(natural.slice(50), jw.current.from, jw.current.to, 'jc');
  }
}

/**
 * HANNA's coherence ratings (Mistral-7B as the judge) as NUMERIC EVAL scores on traces: the
 * human-written stories in the baseline; in p-drift's current hour GPT-2's, in p-calm's more
 * human-written ones. Five of p-drift's current scores were re-scored later (a newer version
 * holds 5) and five deleted: neither the old versions nor the deleted rows may count.
 */
const evalScores = { p_drift_current: [] as number[] };
function evalScoreTraffic(project: string) {
  const stories = readHanna('CH', 'Mistral-7B CH 1');
  const human = stories.filter((x) => x.system === 'Human');
  const current = project === 'p-drift' ? stories.filter((x) => x.system === 'GPT-2 (tag)').slice(0, 60) : human.slice(0, 60);
  const add = (list: typeof stories, from: Date, to: Date, tag: string) =>
    spread(from, to, list.length).forEach((at, i) => {
      const base = {
        id: `${project}-${tag}-${i}-coh`,
        project_id: project,
        timestamp: at,
        trace_id: `${project}-${tag}-${i}-story`,
        name: 'coherence',
        source: 'EVAL' as const,
        data_type: 'NUMERIC' as const,
        value: list[i]!.llm,
      };
      const rescored = tag === 'ec' && project === 'p-drift' && i < 5;
      const deleted = tag === 'ec' && project === 'p-drift' && i >= 5 && i < 10;
      scores.push(scoreRow(base));
      if (rescored) scores.push(scoreRow({ ...base, value: 5, event_ts: new Date(at.getTime() + 60_000) }));
      if (deleted) scores.push(scoreRow({ ...base, is_deleted: 1, event_ts: new Date(at.getTime() + 60_000) }));
      if (tag === 'ec' && project === 'p-drift' && !deleted) evalScores.p_drift_current.push(rescored ? 5 : list[i]!.llm);
    });
  add(human, w.baseline.from, w.baseline.to, 'eb');
  add(current, w.current.from, w.current.to, 'ec');
  // A Langfuse experiment over the same rubric: its environment is sdk-experiment, so it is the CI run.
  spread(w.baseline.from, new Date(w.baseline.from.getTime() + 3_600_000), human.length).forEach((at, i) =>
    scores.push(
      scoreRow({
        id: `${project}-exp-${i}-coh`,
        project_id: project,
        timestamp: at,
        trace_id: `${project}-exp-${i}`,
        name: 'coherence',
        source: 'EVAL',
        data_type: 'NUMERIC',
        value: human[i]!.llm,
        environment: 'sdk-experiment',
      }),
    ),
  );
  // p-calm also ran its dataset later, from production's environment: the run items make it an
  // eval run (the newest, so the one compared), and a deleted item's trace is production again.
  if (project !== 'p-calm') return;
  const runAt = new Date(w.baseline.from.getTime() + 24 * 3_600_000);
  spread(runAt, new Date(runAt.getTime() + 3_600_000), human.length).forEach((at, i) => {
    const trace = `${project}-run-${i}`;
    scores.push(scoreRow({ id: `${trace}-coh`, project_id: project, timestamp: at, trace_id: trace, name: 'coherence', source: 'EVAL', data_type: 'NUMERIC', value: human[i]!.llm }));
    runItems.push(datasetRunItemRow({ id: `${trace}-item`, project_id: project, trace_id: trace, run: 'nightly-1119', runAt }));
    if (i === 0)
      runItems.push(datasetRunItemRow({ id: `${trace}-item`, project_id: project, trace_id: trace, run: 'nightly-1119', runAt, event_ts: new Date(runAt.getTime() + 60_000), is_deleted: 1 }));
  });
}
const runItems: Record<string, unknown>[] = [];

/** RETRIEVER observations answering DL19 queries, output JSON as documents with ids. */
function retrievalTraffic(project: string) {
  const bm25 = readTrecRun('dl19-retriever-runs/run.dl19.BM25.txt');
  const splade = readTrecRun('dl19-retriever-runs/run.dl19.SPLADE_P_P_ENSEMBLE_DISTIL.txt');
  const queries = [...bm25.keys()];
  const mid = new Date((w.baseline.from.getTime() + w.baseline.to.getTime()) / 2);
  const segments: [Date, Date, Map<string, { doc: string }[]>, string][] = [
    [w.baseline.from, mid, bm25, 'r1'],
    [mid, w.baseline.to, bm25, 'r2'],
    [w.current.from, w.current.to, project === 'p-drift' ? splade : bm25, 'rc'],
  ];
  for (const [from, to, run, tag] of segments) {
    spread(from, to, queries.length * 3).forEach((at, i) => {
      const q = queries[i % queries.length]!;
      obs.push(
        observationRow({
          id: `${project}-${tag}-${i}`,
          trace_id: `${project}-${tag}-${i}-t`,
          project_id: project,
          type: 'RETRIEVER',
          start_time: at,
          name: 'kb.search',
          input: JSON.stringify({ query: `question ${q}` }),
          output: JSON.stringify(
            run
              .get(q)!
              .slice(0, 10)
              .map((d) => ({ id: d.doc, score: 1 })),
          ),
        }),
      );
    });
  }
}

/** tau2 trajectories as AGENT root observations (ERROR when the reward is 0) with GENERATION and TOOL children. */
function agentTraffic(project: string) {
  const grok4 = readTau2('airline_grok-4_20251013T114345.json');
  const current = project === 'p-drift' ? readTau2('airline_grok-3-mini_20251013T113336.json') : grok4;
  const add = (list: typeof grok4, from: Date, to: Date, tag: string) =>
    spread(from, new Date(to.getTime() - 10 * 60_000), list.length * 8).forEach((at, i) => {
      const t = list[i % list.length]!;
      const root = `${project}-${tag}-${i}`;
      obs.push(observationRow({ id: root, trace_id: root, project_id: project, type: 'AGENT', start_time: at, name: 'airline-agent', level: t.reward === 0 ? 'ERROR' : 'DEFAULT' }));
      t.steps.forEach((s, k) =>
        obs.push(
          observationRow({
            id: `${root}-${k}`,
            trace_id: root,
            project_id: project,
            type: s.kind === 'tool' ? 'TOOL' : 'GENERATION',
            parent_observation_id: root,
            start_time: new Date(at.getTime() + (k + 1) * 1000),
            name: s.kind === 'tool' ? s.tool! : 'chat',
            level: s.error ? 'ERROR' : 'DEFAULT',
          }),
        ),
      );
    });
  add(grok4, w.baseline.from, w.baseline.to, 'ab');
  add(current, w.current.from, w.current.to, 'ac');
}

/** Trace inputs: Arena-Hard 2024 in the baseline, 2025 now (p-drift) or 2024 again (p-calm). */
function inputTraffic(project: string) {
  const v1 = readArenaHard('v0.1');
  const now = project === 'p-drift' ? readArenaHard('v2.0') : v1;
  spread(w.baseline.from, w.baseline.to, v1.length).forEach((at, i) =>
    traces.push(traceRow({ id: `${project}-ib-${i}`, project_id: project, timestamp: at, name: 'assistant', input: JSON.stringify(v1[i]!) })),
  );
  spread(w.current.from, w.current.to, now.length).forEach((at, i) =>
    traces.push(traceRow({ id: `${project}-ic-${i}`, project_id: project, timestamp: at, name: 'assistant', input: JSON.stringify(now[i]!) })),
  );
  // A deleted trace: its latest version is a delete, so its (very long) input must not count.
  traces.push(
    traceRow({
      id: `${project}-ic-0`,
      project_id: project,
      timestamp: w.current.from,
      name: 'assistant',
      input: JSON.stringify('x'.repeat(50_000)),
      event_ts: new Date(w.current.from.getTime() + 60_000),
      is_deleted: 1,
    }),
  );
}

async function seed() {
  for (const project of PROJECTS) {
    toolTraffic(project, project === 'p-drift');
    judgeTraffic(project);
    retrievalTraffic(project);
    agentTraffic(project);
    inputTraffic(project);
    evalScoreTraffic(project);
  }
  // Prompt versions on generations: p-drift moved to version 18 in the current window.
  const random = rng(9);
  for (const project of PROJECTS) {
    spread(w.baseline.from, w.current.to, 2000).forEach((at, i) =>
      obs.push(
        observationRow({
          id: `${project}-g-${i}`,
          trace_id: `${project}-g-${i}-t`,
          project_id: project,
          type: 'GENERATION',
          start_time: at,
          name: 'chat',
          prompt_name: 'support-agent',
          prompt_version: project === 'p-drift' && at >= w.current.from ? 18 : random() < 0.5 ? 3 : 3,
        }),
      ),
    );
  }
  await insertRows(store, obs, `${DB}.observations`);
  await insertRows(store, traces, `${DB}.traces`);
  await insertRows(store, scores, `${DB}.scores`);
  await insertRows(store, runItems, `${DB}.dataset_run_items_rmt`);
}

describe('Langfuse as a trace source', () => {
  it('runs every signal per project: the drifts fire in p-drift, p-calm stays quiet, and subjects carry the project', async () => {
    const rep = await report();
    assert.deepEqual(rep.errors, []);
    const drifting = rep.signals.filter((s) => s.status === 'drift');
    assert.ok(drifting.length > 0);
    assert.ok(
      drifting.every((s) => s.subject.project === 'p-drift'),
      JSON.stringify(drifting.map((s) => [s.signal, s.subject])),
    );
    const modes = new Set(drifting.map((s) => s.driftMode));
    for (const mode of ['tool-api', 'retrieval-corpus', 'user-distribution', 'agent-step-compounding']) assert.ok(modes.has(mode as never), `${mode} did not fire: ${[...modes].join(', ')}`);
    assert.equal(find(rep, 'tool_error_rate', { project: 'p-drift', tool: 'refund_payment' }).status, 'drift');
    assert.equal(find(rep, 'retrieval_rbo', { project: 'p-drift', retriever: 'kb.search' }).status, 'drift');
    assert.equal(find(rep, 'judge_human_agreement', { project: 'p-drift', rubric: 'preference' }).status, 'drift');
    assert.equal(find(rep, 'agent_end_to_end_success', { project: 'p-drift', agent: 'airline-agent' }).status, 'drift');
    assert.equal(find(rep, 'input_length', { project: 'p-drift', service: 'langfuse' }).status, 'drift');
    assert.equal(find(rep, 'prompt_version_share', { project: 'p-drift', prompt: 'support-agent', version: '18' }).value, 1);
    for (const signal of ['tool_error_rate', 'retrieval_rbo', 'judge_human_agreement', 'agent_end_to_end_success', 'input_length']) {
      const calm = rep.signals.find((s) => s.signal === signal && s.subject.project === 'p-calm');
      assert.ok(calm && calm.status === 'ok', `${signal} in p-calm: ${calm?.message}`);
    }
    const r = find(rep, 'tool_error_rate', { project: 'p-drift', tool: 'refund_payment' });
    assert.match(alertTitle(r), /^Tool-API drift: p-drift \/ refund_payment error rate/);
  });

  it('counts only the latest version of each row and never a deleted one', async () => {
    const rep = await report(['p-drift']);
    const r = find(rep, 'tool_error_rate', { project: 'p-drift', tool: 'refund_payment' });
    assert.equal(r.samples.current, live.p_drift_refund_current);
    assert.equal(r.value, live.p_drift_refund_current_errors / live.p_drift_refund_current);
    const novel = find(rep, 'tool_new_error_class', { project: 'p-drift', tool: 'refund_payment' });
    assert.deepEqual(
      (novel.evidence.classes as { class: string }[]).map((c) => c.class),
      ['SchemaValidationError: field amount_cents required'],
    );
    // Its failure patterns come from the observations too, read in the project's own rows.
    const patterns = novel.evidence.patterns!;
    assert.equal(patterns[0]!.name, 'SchemaValidationError: field amount_cents required');
    assert.equal(patterns[0]!.baselineShare, 0);
    const length = find(rep, 'input_length', { project: 'p-drift', service: 'langfuse' });
    // Trace ic-0's latest version is a delete: 750 prompts less one, and its 50,000-character
    // deleted version does not weigh on the mean either.
    assert.equal(length.samples.current, 749);
    assert.ok(length.value! < 5000, String(length.value));
  });

  it('reads Langfuse’s EVAL scores as the rubric’s own: p-drift’s coherence falls, p-calm’s holds, latest versions only', async () => {
    const rep = await report();
    const drift = find(rep, 'eval_score', { project: 'p-drift', rubric: 'coherence' });
    assert.equal(drift.status, 'drift', drift.message);
    assert.equal(drift.layer, 'eval');
    assert.equal(drift.subject['evaluator'], 'EVAL', 'a Langfuse evaluator score without an author is keyed by its source');
    assert.equal(drift.samples.current, 55, 'five deleted scores left out');
    const want = evalScores.p_drift_current.reduce((a, b) => a + b, 0) / evalScores.p_drift_current.length;
    assert.ok(Math.abs(drift.value! - want) < 1e-9, `the re-scored rows count with their latest value: ${drift.value} against ${want}`);
    const calm = find(rep, 'eval_score', { project: 'p-calm', rubric: 'coherence' });
    assert.equal(calm.status, 'ok', calm.message);
    // The experiment's scores are not production's, nor the dataset run's but for its deleted item.
    assert.equal(calm.samples.baseline, 97, 'eval runs’ scores are not production’s');
    // Production against the experiment: p-drift falls below it, p-calm holds level.
    const gap = find(rep, 'eval_gap', { project: 'p-drift', rubric: 'coherence' });
    assert.equal(gap.status, 'drift', gap.message);
    assert.equal((gap.evidence['offlineRun'] as { name: string }).name, 'traces in sdk-experiment');
    const calmGap = find(rep, 'eval_gap', { project: 'p-calm', rubric: 'coherence' });
    assert.equal(calmGap.status, 'ok', calmGap.message);
    // p-calm's newest eval run is its dataset run: 95 of its 96 traces (one item was deleted).
    assert.equal((calmGap.evidence['offlineRun'] as { name: string }).name, 'Langfuse dataset run nightly-1119');
    assert.equal(calmGap.samples.baseline, 95);
  });

  it('says what is missing instead of guessing: RETRIEVER observations without document ids', async () => {
    const at = new Date(w.current.from.getTime() + 60_000);
    await insertRows(
      store,
      [observationRow({ id: 'p-noids-1', trace_id: 't', project_id: 'p-noids', type: 'RETRIEVER', start_time: at, name: 'search', input: '"where is my refund"', output: '"some text without ids"' })],
      `${DB}.observations`,
    );
    const rep = await report(['p-noids']);
    const r = find(rep, 'retrieval_rbo', { project: 'p-noids' });
    assert.equal(r.status, 'no_data');
    assert.match(r.message, /carry no documents driftwatch can tell apart/);
  });

  it('reaches the verdicts of a raw scan from rollups, and rebuilds a closed bucket whose row was updated later', async () => {
    const sources = PROJECTS.map((project) => ({ source: langfuseSource(DB, project, { retrievalQueryKey: 'query', datasetRuns: true }), scope: { project } }));
    let rebuilt = 0;
    const engine = new RollupEngine(store, store, 'lf_rollups', familiesOf(SIGNALS), log, { onChangedRebuild: (n) => (rebuilt += n) });
    await engine.ensureSchema();
    // Wall clock 30 minutes after the evaluation: the current window's buckets are closed but recent.
    const now = () => new Date(AT.getTime() + 30 * 60_000);
    const cycle = async (rollups: RollupEngine | null) => (await runCycle({ config, store, sources, signals: SIGNALS, log, rollups, now }, AT)).report;
    assert.deepEqual(reportDifferences(await cycle(engine), await cycle(null)), []);
    const calm = (rep: Report) => find(rep, 'tool_error_rate', { project: 'p-calm', tool: 'refund_payment' });
    const before = calm(await cycle(engine));
    // Langfuse rewrites a row as a new version with a later event_ts: this call is now a failure.
    const [row] = await store.query<{ id: string; trace_id: string; start_ms: number }>(
      `SELECT id, trace_id, toUnixTimestamp64Milli(start_time) AS start_ms FROM ${DB}.observations FINAL WHERE project_id = 'p-calm' AND type = 'TOOL' AND name = 'refund_payment' AND level = 'DEFAULT'
         AND start_time >= fromUnixTimestamp64Milli({from:Int64}) ORDER BY id LIMIT 1`,
      { from: w.current.from.getTime() },
    );
    assert.ok(row);
    await insertRows(
      store,
      [
        observationRow({
          id: row.id,
          trace_id: row.trace_id,
          project_id: 'p-calm',
          type: 'TOOL',
          parent_observation_id: `${row.id}-agent`,
          start_time: new Date(Number(row.start_ms)),
          name: 'refund_payment',
          level: 'ERROR',
          status_message: 'updated later',
          event_ts: now(),
        }),
      ],
      `${DB}.observations`,
    );
    const after = await cycle(engine);
    assert.ok(rebuilt > 0, 'no bucket was rebuilt');
    assert.equal(calm(after).samples.current, before.samples.current);
    assert.equal(Math.round(calm(after).value! * before.samples.current), Math.round(before.value! * before.samples.current) + 1);
    assert.deepEqual(reportDifferences(after, await cycle(null)), []);
  });

  it('starts against Langfuse tables with traces: {schema: langfuse, projects}, and names a missing table', async () => {
    const cfg = testConfig({ clickhouse: { embedded: config.clickhouse.embedded!, database: DB }, traces: { schema: 'langfuse', projects: ['p-drift'] } });
    const app = await createApp(cfg, log);
    assert.equal(app.sources.length, 1);
    assert.deepEqual(app.sources[0]!.scope, { project: 'p-drift' });
    await app.store.close();
    await store.command('CREATE DATABASE IF NOT EXISTS empty_lf');
    await assert.rejects(
      createApp(testConfig({ clickhouse: { embedded: config.clickhouse.embedded!, database: 'empty_lf' }, traces: { schema: 'langfuse', projects: ['x'] } }), log),
      /table empty_lf\.traces does not exist/,
    );
  });
});
