// The daemon on the embedded engine: real /metrics checked by promtool, health endpoints,
// no overlapping cycles, SIGHUP-style reload keeping the last good config.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.ts';
import { createLogger } from './app.ts';
import { loadConfigFile } from '../config/load.ts';
import { generateDemoTraces } from '../demo/generate.ts';
import { freshStore } from '../../test/helpers/spans.ts';
import { needs } from '../../test/helpers/requires.ts';

let daemon: Daemon;
let base: string;
let configFile: string;
let base0: string;

const yaml = (minSamples: number) => `
clickhouse: {embedded: chdb}
traces: {table: otel_traces}
server: {host: 127.0.0.1, port: 0, externalUrl: 'https://driftwatch.example/ops/'}
alerting: {stateDir: state}
notify: {fileSink: {path: alerts.jsonl}}
signals: {toolApi: {minSamples: ${minSamples}}}
`;

before(async () => {
  const { store, dir } = await freshStore();
  const now = new Date();
  await generateDemoTraces(store, 'otel_traces', { from: new Date(now.getTime() - 8 * 86_400_000), to: now, driftFrom: new Date(now.getTime() - 50 * 60_000) });
  await store.close();
  base0 = dir;
  configFile = join(dir, 'driftwatch.yaml');
  writeFileSync(configFile, yaml(50));
  daemon = await startDaemon(configFile, loadConfigFile(configFile).config, createLogger('fatal'));
  base = `http://127.0.0.1:${(daemon.server.address() as { port: number }).port}`;
  await daemon.tick(); // the start-up cycle is already running; this waits for it
  await daemon.deliveries(); // its alert goes out beside the cycle
});

after(async () => {
  await daemon.stop();
  assert.equal(existsSync(join(base0, 'state', 'lock')), false, 'the daemon releases its state lock when it stops');
});

describe('daemon', () => {
  it('exposes metrics that promtool accepts, with the drift visible', { skip: needs('promtool', "Debian's prometheus package") }, async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const body = await res.text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '');
    assert.match(body, /driftwatch_signal_status\{signal="tool_error_rate",drift_mode="tool-api",layer="tool",project="",subject="refund_payment",status="drift"\} 1/);
    assert.match(body, /driftwatch_schedule_interval_seconds 300/);
    assert.match(body, /driftwatch_alert_events_total\{drift_mode="tool-api",layer="tool",event="opened"\} 1/);
    assert.match(body, /driftwatch_signal_samples\{[^}]*subject="refund_payment",window="baseline"\} \d+/);
    assert.match(body, /driftwatch_alert_firing\{drift_mode="tool-api",layer="tool",project="",subject="refund_payment"\} 1/);
    assert.match(body, /driftwatch_source_up 1/);
    assert.match(body, /driftwatch_last_successful_cycle_timestamp_seconds \d+/);
    assert.match(body, /driftwatch_notifications_total\{sink="file",outcome="delivered"\} 1/);
    assert.match(body, /driftwatch_external_url_info\{url="https:\/\/driftwatch\.example\/ops"\} 1/, 'where rules and the dashboard link to');
  });

  it('writes alerts whose markdown links the runbook and the status page at server.externalUrl', () => {
    const [opened] = readFileSync(join(base0, 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; markdown: string; links: { runbook?: string } });
    assert.equal(opened!.kind, 'opened');
    assert.equal(opened!.links.runbook, 'https://driftwatch.example/ops/runbooks#tool-api');
    assert.match(opened!.markdown, /\[What to do: the runbook\]\(https:\/\/driftwatch\.example\/ops\/runbooks#tool-api\)/);
    assert.match(opened!.markdown, /### What to check first/);
  });

  it('answers health, readiness, the last report and the runbooks, and nothing else', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const report = await (await fetch(`${base}/report.json`)).json();
    assert.ok(report.signals.some((r: { status: string }) => r.status === 'drift'));
    const runbooks = await fetch(`${base}/runbooks`);
    assert.match(runbooks.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(await runbooks.text(), /<h2 id="tool-api">/);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await fetch(`${base}/config`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
  });

  it('answers /metrics while a cycle runs (engine queries do not block the event loop)', async () => {
    let cycleDone = false;
    const cycle = daemon.tick().then(() => (cycleDone = true));
    const answers: boolean[] = [];
    while (!cycleDone) {
      const res = await fetch(`${base}/metrics`);
      await res.text();
      if (!cycleDone) answers.push(res.status === 200);
    }
    await cycle;
    assert.ok(answers.length > 0 && answers.every(Boolean), `answered ${answers.length} times during the cycle`);
  });

  it('never runs two cycles at once', async () => {
    const skipped = async () => (await daemon.app.metrics.cyclesTotal.get()).values.find((v) => v.labels.outcome === 'skipped')?.value ?? 0;
    const ran = async () => (await daemon.app.metrics.cyclesTotal.get()).values.find((v) => v.labels.outcome === 'ok')?.value ?? 0;
    const [skippedBefore, ranBefore] = [await skipped(), await ran()];
    await Promise.all([daemon.tick(), daemon.tick(), daemon.tick()]);
    assert.equal((await skipped()) - skippedBefore, 2);
    assert.equal((await ran()) - ranBefore, 1);
  });

  it('reloads a valid config and keeps the last good one when the new file is invalid', async () => {
    writeFileSync(configFile, yaml(80));
    daemon.reload();
    assert.equal(daemon.app.config.signals.toolApi.minSamples, 80);
    writeFileSync(configFile, `${yaml(90)}\nbogus: true\n`);
    daemon.reload();
    assert.equal(daemon.app.config.signals.toolApi.minSamples, 80);
    const reloads = (await daemon.app.metrics.configReloadsTotal.get()).values;
    assert.deepEqual(Object.fromEntries(reloads.map((v) => [v.labels.outcome, v.value])), { ok: 1, invalid: 1 });
  });

  it('counts a cycle whose alert state cannot be saved as failed, and does not advance the last success', async () => {
    const count = async (outcome: string) => (await daemon.app.metrics.cyclesTotal.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    const lastSuccess = async () => (await daemon.app.metrics.lastSuccess.get()).values[0]?.value;
    const [okBefore, errorBefore, successBefore] = [await count('ok'), await count('error'), await lastSuccess()];
    const good = daemon.app.config;
    writeFileSync(join(base0, 'not-a-dir'), '');
    daemon.app.config = { ...good, alerting: { ...good.alerting, stateDir: join(base0, 'not-a-dir', 'state') } };
    try {
      await daemon.tick();
    } finally {
      daemon.app.config = good;
    }
    assert.equal(await count('ok'), okBefore);
    assert.equal(await count('error'), errorBefore + 1);
    assert.equal(await lastSuccess(), successBefore);
  });

  it('holds its alert state: a `once` on the same state directory refuses, naming the daemon', () => {
    const holder = JSON.parse(readFileSync(join(base0, 'state', 'lock'), 'utf8'));
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.command, 'run');
    writeFileSync(configFile, yaml(80)); // an earlier test left an invalid file behind
    const once = spawnSync(process.execPath, ['bin/driftwatch.js', 'once', '--config', configFile], { encoding: 'utf8' });
    assert.equal(once.status, 2, once.stderr);
    assert.ok(once.stderr.includes(`in use by \`driftwatch run\` (pid ${process.pid} on `), once.stderr);
    assert.match(once.stderr, /--dry-run/);
    assert.equal(JSON.parse(readFileSync(join(base0, 'state', 'lock'), 'utf8')).token, holder.token, 'the refused process leaves the lock alone');
  });

  it('is not ready while every signal fails, and ready again when they run', async () => {
    await daemon.app.store.command('RENAME TABLE default.otel_traces TO default.otel_traces_away');
    try {
      await daemon.tick();
      assert.equal((await fetch(`${base}/readyz`)).status, 503);
    } finally {
      await daemon.app.store.command('RENAME TABLE default.otel_traces_away TO default.otel_traces');
    }
    await daemon.tick();
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });
});
