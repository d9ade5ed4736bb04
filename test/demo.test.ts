// The demo as `npm start` runs it: the fleet's week written, the daemon started on the demo's own
// config, its first cycle. Every drift mode drifts on its own agent and is named right, nothing
// else drifts, each onset is found near its injected time, three hours earlier only the standing
// prompt change drifts, the stream continues without gaps or repeats, and `promote` on a demo
// alert writes eval rows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEMO_CONFIG, keepWriting } from '../src/demo/command.ts';
import { DEMO_EPISODES, DEMO_SIGNALS_YAML, writeDemoFiles, writeFleet, weekFrom } from '../src/demo/every-mode.ts';
import { loadConfigFile } from '../src/config/load.ts';
import type { Config } from '../src/config/shape.ts';
import { openStore } from '../src/clickhouse/store.ts';
import { startDaemon, type Daemon } from '../src/app/daemon.ts';
import { runCycle } from '../src/engine/cycle.ts';
import type { Report } from '../src/engine/cycle.ts';
import { promoteFrom } from '../src/cli/promote.ts';
import { SIGNALS } from '../src/signals/index.ts';

const MINUTE = 60_000;
// The daemon's clock: the demo starts now, and the test moves time on.
const START = new Date();
let clock = START;
let dir: string;
let config: Config;
let daemon: Daemon;

/** The verdicts each episode must drift (signal and a subject value), with its drift mode. */
const EXPECTED: Record<string, [signal: string, subject: string][]> = {
  'tool-api': [
    ['tool_error_rate', 'refund_payment'],
    ['tool_retry_rate', 'refund_payment'],
    ['tool_latency', 'refund_payment'],
    ['tool_new_error_class', 'refund_payment'],
    ['eval_score', 'resolution'],
    ['eval_gap', 'resolution'],
  ],
  'retrieval-corpus': [
    ['retrieval_rbo', 'kb.search'],
    ['retrieval_top1_change', 'kb.search'],
  ],
  'agent-step-compounding': [['agent_end_to_end_success', 'booking-agent']],
  'user-distribution': [
    ['input_length', 'assistant'],
    ['input_script_mix', 'assistant'],
  ],
  dataset: [['dataset_uncovered_share', 'eval.jsonl']],
  prompt: [
    ['prompt_rubric_mismatch', 'preference'],
    ['judge_human_agreement', 'preference'],
  ],
};

const drifting = (report: Report) =>
  report.signals
    .filter((s) => s.status === 'drift')
    .map((s) => `${s.driftMode} ${s.signal} ${Object.values(s.subject)[0]}`)
    .sort();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'driftwatch-demo-'));
  const file = join(dir, 'driftwatch.yaml');
  writeFileSync(file, DEMO_CONFIG(0));
  writeDemoFiles(dir);
  const loaded = loadConfigFile(file);
  assert.deepEqual(loaded.warnings, []);
  config = loaded.config;
  const store = await openStore(config.clickhouse);
  await writeFleet(store, config.traces.schema === 'otel' ? config.traces.table : '', { start: START, to: START });
  await store.close();
  daemon = await startDaemon(file, config, pino({ level: 'silent' }), undefined, { clock: () => clock });
  await daemon.tick();
  await daemon.deliveries();
});
after(async () => daemon?.stop());

const lastReport = async (): Promise<Report> => {
  const port = (daemon.server.address() as { port: number }).port;
  return (await (await fetch(`http://127.0.0.1:${port}/report.json`)).json()) as Report;
};

describe('the demo', () => {
  it('config: the demo’s signals section is the fleet’s', () => {
    assert.ok(DEMO_CONFIG(0).includes(DEMO_SIGNALS_YAML));
  });

  it('drifts in every mode, each named right, and nothing else', async () => {
    const report = await lastReport();
    const expected = Object.entries(EXPECTED)
      .flatMap(([mode, verdicts]) => verdicts.map(([signal, subject]) => `${mode} ${signal} ${subject}`))
      .sort();
    assert.deepEqual(drifting(report), expected);
    assert.deepEqual([...new Set(DEMO_EPISODES.map((e) => e.mode))].sort(), Object.keys(EXPECTED).sort(), 'the banner lists every mode');
    assert.deepEqual(report.errors, []);
  });

  it('dates each drift: a rate’s onset within 10 minutes of the injected time, a mean’s interval around it', async () => {
    const report = await lastReport();
    let dated = 0;
    for (const episode of DEMO_EPISODES.filter((e) => e.minutesAgo < 24 * 60)) {
      const injected = START.getTime() - episode.minutesAgo * MINUTE;
      for (const [signal, subject] of EXPECTED[episode.mode]!) {
        const verdict = report.signals.find((s) => s.signal === signal && Object.values(s.subject)[0] === subject)!;
        const onset = verdict.evidence.onset;
        // Signals without an hourly series (retrieval, dataset, the CI gap) carry no onset.
        if (!onset) continue;
        dated++;
        const step = onset.stepMinutes * MINUTE;
        const where = `${signal}: onset ${JSON.stringify(onset)}, injected ${new Date(injected).toISOString()}`;
        assert.ok(Date.parse(onset.earliest) - step <= injected && injected <= Date.parse(onset.latest) + step, where);
        if (/Poisson|binomial/.test(onset.method)) assert.ok(Math.abs(Date.parse(onset.at) - injected) <= 10 * MINUTE, where);
      }
    }
    assert.ok(dated >= 8, `only ${dated} drifts dated`);
  });

  it('opens one alert per drifting verdict, and promote turns an alert’s example traces into eval rows', async () => {
    const alerts = readFileSync(config.notify.fileSink.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; fingerprint: string; driftMode: string; signal: string });
    const opened = alerts.filter((a) => a.kind === 'opened');
    assert.deepEqual([...new Set(opened.map((a) => a.driftMode))].sort(), Object.keys(EXPECTED).sort());
    const before = readFileSync(join(dir, 'eval.jsonl'), 'utf8').trim().split('\n').length;
    let added = 0;
    for (const mode of ['tool-api', 'dataset', 'user-distribution', 'agent-step-compounding']) {
      const alert = opened.find((a) => a.driftMode === mode)!;
      // As `driftwatch promote` does after the demo stops, on the store the daemon holds.
      const outcome = await promoteFrom(config, daemon.app.store, daemon.app.sources, { alert: alert.fingerprint, patterns: [], dryRun: false });
      assert.ok(outcome.added > 0, `${mode}: promote wrote nothing (${outcome.withoutInput} traces without input)`);
      added += outcome.added;
    }
    const rows = readFileSync(join(dir, 'eval.jsonl'), 'utf8').trim().split('\n');
    assert.equal(rows.length, before + added);
    assert.ok(rows.slice(before).every((l) => typeof (JSON.parse(l) as { input: unknown }).input === 'string'));
  });

  it('three hours before the demo started, only the standing prompt change drifts', async () => {
    const at = new Date(START.getTime() - 3 * 60 * MINUTE);
    const { report } = await runCycle(
      { config, store: daemon.app.store, sources: daemon.app.sources, signals: SIGNALS, log: pino({ level: 'silent' }), rollups: daemon.app.rollups, now: () => START },
      at,
    );
    assert.deepEqual(drifting(report), ['prompt judge_human_agreement preference', 'prompt prompt_rubric_mismatch preference']);
  });

  it('keeps writing while it runs: the minutes after the start continue every stream, nothing twice, no gap, still drifting', async () => {
    const table = config.traces.schema === 'otel' ? config.traces.table : '';
    const later = new Date(START.getTime() + 20 * MINUTE);
    const feed = keepWriting(
      (after, to) => writeFleet(daemon.app.store, table, { start: START, to, after }),
      START,
      3_600_000,
      (err) => assert.fail(String(err)),
      () => clock,
    );
    clock = new Date(START.getTime() + 7 * MINUTE);
    await feed.step();
    clock = later;
    await feed.step();
    feed.stop();
    const services = await daemon.app.store.query<{ service: string; n: number; distinct: number; newest: number; oldest: number }>(
      `SELECT ServiceName AS service, count() AS n, uniqExact(TraceId) AS distinct, toUnixTimestamp64Milli(max(Timestamp)) AS newest, toUnixTimestamp64Milli(min(Timestamp)) AS oldest
       FROM ${table} WHERE ParentSpanId = '' AND Timestamp >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY service ORDER BY service`,
      { from: weekFrom(START).getTime() },
    );
    assert.deepEqual(
      services.map((s) => s.service),
      ['airline-agent', 'assistant', 'bank', 'booking-agent', 'rag-agent', 'support-agent'],
    );
    // One draw every N seconds from the week's start: the count says nothing was skipped or written twice.
    const every: Record<string, number> = { 'airline-agent': 5, assistant: 30, bank: 30, 'booking-agent': 40, 'rag-agent': 10 };
    for (const s of services) {
      assert.equal(Number(s.n), Number(s.distinct), `${s.service}: a trace written twice`);
      assert.ok(Number(s.newest) > later.getTime() - 2 * MINUTE, `${s.service}: traffic up to the last write`);
      if (every[s.service]) assert.equal(Number(s.n), Math.floor((later.getTime() - weekFrom(START).getTime()) / (every[s.service]! * 1000)), `${s.service}: one trace every ${every[s.service]} s`);
    }
    await daemon.tick();
    const report = await lastReport();
    assert.ok(Math.abs(new Date(report.evaluatedAt).getTime() - later.getTime()) < MINUTE, `evaluated at ${report.evaluatedAt}`);
    assert.ok(drifting(report).includes('tool-api tool_error_rate refund_payment'), 'the vendor is still broken 20 minutes on');
    assert.ok(drifting(report).includes('agent-step-compounding agent_end_to_end_success booking-agent'));
    assert.ok(!report.signals.some((r) => r.evidence.reason === 'stalled'), 'not stalled');
  });
});
