// The CLI end to end, as a user runs it: `once --json` on seeded data is the public report.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { DRIFT_MODES } from '../src/signals/types.ts';

const AT = '2026-11-20T12:00:30Z';
let dir: string;

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/driftwatch.js', ...args], { encoding: 'utf8', env: { ...process.env, DW_SECRET: 'hunter2-secret' } });
}
const writeConfig = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
};

before(async () => {
  const fresh = await freshStore('drifting');
  dir = fresh.dir;
  const at = Date.parse(AT);
  await generateDemoTraces(fresh.store, 'drifting', { from: new Date(at - 8 * 86_400_000), to: new Date(at), driftFrom: new Date(at - 50 * 60_000), seed: 21 });
  await generateDemoTraces(fresh.store, 'stationary', { from: new Date(at - 8 * 86_400_000), to: new Date(at), driftFrom: null, seed: 22 });
  await fresh.store.close();
});

describe('driftwatch CLI', () => {
  it('once --json prints the report contract, naming tool-API drift', () => {
    const config = writeConfig('drifting.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', config, '--at', AT, '--json', '--dry-run');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).sort(), ['errors', 'evaluatedAt', 'signals', 'windows']);
    assert.equal(report.evaluatedAt, '2026-11-20T12:00:00.000Z');
    // The current window ends ingestLag (2m) before the evaluation, floored to a 5-minute bucket.
    assert.deepEqual(report.windows, {
      current: { from: '2026-11-20T10:55:00.000Z', to: '2026-11-20T11:55:00.000Z' },
      baseline: { from: '2026-11-13T10:55:00.000Z', to: '2026-11-20T10:55:00.000Z' },
    });
    assert.deepEqual(report.errors, []);
    assert.ok(report.signals.length >= 16);
    for (const s of report.signals) {
      for (const key of ['signal', 'driftMode', 'layer', 'subject', 'status', 'value', 'baseline', 'samples', 'pValue', 'evidence', 'message']) assert.ok(key in s, `${key} missing`);
      assert.ok((DRIFT_MODES as readonly string[]).includes(s.driftMode));
      assert.ok(['ok', 'drift', 'no_data', 'error'].includes(s.status));
      assert.equal(typeof s.samples.current, 'number');
      assert.ok(Array.isArray(s.evidence.traceIds) && s.evidence.traceIds.length <= 10);
    }
    const drifting = report.signals.filter((s: { status: string }) => s.status === 'drift');
    assert.ok(drifting.length > 0);
    assert.ok(drifting.every((s: { driftMode: string; subject: { tool: string } }) => s.driftMode === 'tool-api' && s.subject.tool === 'refund_payment'));
    assert.ok(!existsSync(join(dir, '.driftwatch/alerts.jsonl')), '--dry-run sent an alert');
  });

  it('--fail-on-drift exits 1 on drift and 0 on a stationary week; without --dry-run the alert is written', () => {
    const drifting = writeConfig('drifting.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', drifting, '--at', AT, '--fail-on-drift');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /drift\s+tool-api\s+refund_payment error rate/);
    const alerts = readFileSync(join(dir, '.driftwatch/alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(alerts.length, 1);
    assert.match(alerts[0].title, /^Tool-API drift: refund_payment/);
    const stationary = writeConfig('stationary.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: stationary}\nalerting: {stateDir: state-stationary}\n');
    assert.equal(cli('once', '--config', stationary, '--at', AT, '--fail-on-drift').status, 0);
  });

  it('once prints a table with the drifting tool’s last 48 hours as a sparkline and its onset', () => {
    const config = writeConfig('drifting-table.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', config, '--at', AT, '--dry-run');
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const i = lines.findIndex((l) => /^ {2}drift {3}tool-api +refund_payment error rate/.test(l));
    assert.ok(i >= 0, run.stdout);
    // The vendor changed at 11:10:30: the onset is refined to that 5-minute bucket (or a neighbour).
    assert.match(lines[i + 1]!, /^ +[▁▂▃▄▅▆▇█·]{48} \d+\.\d%–\d+\.\d%, last 48 h · started ≈ 2026-11-20 11:(05|10|15) UTC ± \d+ min$/);
  });

  it('exits 2 with one clear line per problem on a bad config, never printing a secret', () => {
    const bad = writeConfig('bad.yaml', 'clickhouse: {url: "http://localhost:8123", password: "${DW_SECRET}", pasword: x}\nwindows: {current: soon}\n');
    const run = cli('once', '--config', bad, '--json');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /clickhouse\.pasword \(line 1\): Unrecognized key/);
    assert.match(run.stderr, /windows\.current \(line 2\): "soon" is not a duration/);
    assert.ok(!run.stderr.includes('hunter2-secret'));
    assert.equal(cli('check-config', bad).status, 2);
  });

  it('exits 2 when the trace table does not exist', () => {
    const config = writeConfig('missing.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: nope}\n');
    const run = cli('once', '--config', config);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^driftwatch: table default\.nope does not exist/);
  });

  it('check-config prints the effective config with secrets redacted', () => {
    const config = writeConfig('ok.yaml', 'clickhouse: {url: "http://localhost:8123", password: "${DW_SECRET}"}\n');
    const run = cli('check-config', config);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /valid/);
    assert.match(run.stdout, /"password": "\[redacted\]"/);
    assert.ok(!run.stdout.includes('hunter2-secret'));
  });

  it('rejects unknown commands and missing flags with exit 2', () => {
    assert.equal(cli('frobnicate').status, 2);
    assert.equal(cli('once').status, 2);
    assert.equal(cli('once', '--config', 'x.yaml', '--at', 'yesterday').status, 2);
    assert.equal(cli('--help').status, 0);
  });
});

describe('driftwatch run', () => {
  it('serves metrics, reloads on SIGHUP, keeps the last good config on a bad one, and exits 0 on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const write = (minSamples: string) =>
      writeConfig('run.yaml', `clickhouse: {embedded: chdb}\ntraces: {table: stationary}\nserver: {host: 127.0.0.1, port: 0}\nalerting: {stateDir: state-run}\nsignals: {toolApi: {minSamples: ${minSamples}}}\n`);
    const config = write('50');
    const child = spawn(process.execPath, ['bin/driftwatch.js', 'run', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let logs = '';
    child.stderr.on('data', (c) => (logs += c));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 600 && !pattern.test(logs); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(logs, pattern);
    };
    try {
      await waitFor(/"msg":"cycle finished"/);
      const port = Number(/"port":(\d+)/.exec(logs)![1]);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      write('80');
      child.kill('SIGHUP');
      await waitFor(/"msg":"config reloaded"/);
      write('"many"');
      child.kill('SIGHUP');
      await waitFor(/config reload rejected; keeping the last good config/);
      assert.match(logs, /signals\.toolApi\.minSamples \(line 5\)/);
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
      assert.match(logs, /"msg":"driftwatch stopped"/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
