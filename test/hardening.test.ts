// Faults around a running driftwatch, as an operator meets them: hung sinks, a stalled or
// mistyped trace table, a state directory it cannot write, secrets in URLs. The daemon is a real
// child process receiving real signals; the hung servers accept requests and never answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { startHangingServer, type HangingServer } from './helpers/hanging-server.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';

const AT = Date.parse('2026-11-20T12:00:30Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SECRETS = { DW_LINEAR_KEY: 'lin_api_hardening_secret_1', DW_SLACK_TOKEN: 'xoxb-hardening-secret-2', DW_TEMPLATE_KEY: 'glsa_template_secret_3' };
let dir: string;

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/driftwatch.js', ...args], { encoding: 'utf8', env: { ...process.env, ...SECRETS } });
}
const writeConfig = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
};
const noSecret = (text: string) => {
  for (const secret of Object.values(SECRETS)) assert.ok(!text.includes(secret), `a secret was printed: ${secret}`);
};

before(async () => {
  const fresh = await freshStore('unused');
  dir = fresh.dir;
  const now = Date.now();
  // Live traffic for the daemon, drifting in its current window.
  await generateDemoTraces(fresh.store, 'live', { from: new Date(now - 8 * DAY), to: new Date(now + HOUR), driftFrom: new Date(now - 50 * 60_000), seed: 31 });
  // Traffic that stops 3 hours before AT, drifting in its last hour.
  await generateDemoTraces(fresh.store, 'stalls', { from: new Date(AT - 8 * DAY), to: new Date(AT - 3 * HOUR), driftFrom: new Date(AT - 4 * HOUR), seed: 32 });
  // A table whose attributes are a String, not a Map.
  await fresh.store.command(
    'CREATE TABLE mistyped (Timestamp DateTime64(9), TraceId String, SpanId String, ParentSpanId String, SpanName String, ServiceName String, SpanAttributes String, ResourceAttributes Map(LowCardinality(String), String), Duration UInt64, StatusCode String, StatusMessage String, `Events.Name` Array(String), `Events.Attributes` Array(String), `Links.SpanId` Array(String)) ENGINE = MergeTree ORDER BY Timestamp',
  );
  await fresh.store.close();
});

describe('a hung Linear and Slack', () => {
  let linear: HangingServer;
  let slack: HangingServer;
  let child: ChildProcess;
  let stderr = '';
  let base = '';
  const metric = async (pattern: RegExp) => Number(pattern.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? NaN);

  before(async () => {
    linear = await startHangingServer();
    slack = await startHangingServer();
    const config = writeConfig(
      'hung-sinks.yaml',
      `clickhouse: {embedded: chdb}
traces: {table: live}
schedule: "*/3 * * * * *"
server: {host: 127.0.0.1, port: 0}
alerting: {stateDir: state-hung}
log: {level: info}
notify:
  timeout: 60s
  traceLinkTemplate: "https://grafana.example/explore?api_key=\${DW_TEMPLATE_KEY}&traceId={traceId}"
  linear: {apiKey: "\${DW_LINEAR_KEY}", teamId: 9cfb482a-81e3-4154-b5b9-2c805e70a02d, apiUrl: "${linear.url}/graphql"}
  slack: {token: "\${DW_SLACK_TOKEN}", channel: C1, apiUrl: "${slack.url}/api/"}
`,
    );
    child = spawn(process.execPath, ['bin/driftwatch.js', 'run', '--config', config], { env: { ...process.env, ...SECRETS }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d) => (stderr += d));
    const deadline = Date.now() + 60_000;
    while (!/"port":(\d+)/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    base = `http://127.0.0.1:${/"port":(\d+)/.exec(stderr)![1]}`;
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await linear.close();
    await slack.close();
  });

  it('keeps running cycles and stays ready while both sinks hold their requests open', async () => {
    const deadline = Date.now() + 120_000;
    let cycles = 0;
    // Three cycles finished after both sinks had a request hanging.
    let startedWith = NaN;
    let hungSince = 0;
    while (Date.now() < deadline) {
      cycles = await metric(/driftwatch_cycles_total\{outcome="ok"\} (\d+)/);
      if (Number.isNaN(startedWith) && linear.open() > 0 && slack.open() > 0) {
        startedWith = cycles;
        hungSince = Date.now();
      }
      if (!Number.isNaN(startedWith) && cycles >= startedWith + 3) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(!Number.isNaN(startedWith), `Slack got no request while Linear hung (linear ${linear.received()}, slack ${slack.received()})`);
    assert.ok(cycles >= startedWith + 3, `cycles stopped at ${cycles} while deliveries hung`);
    process.stdout.write(`# cycles finished while both sinks hung: ${cycles - startedWith} in ${((Date.now() - hungSince) / 1000).toFixed(1)} s (schedule: every 3 s)\n`);
    assert.ok(linear.open() > 0 && slack.open() > 0, 'the requests are still hanging');
    assert.ok((await metric(/driftwatch_outbox_pending (\d+)/)) >= 1, 'outbox_pending shows the waiting events');
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  it('exits on SIGTERM within the shutdown bound, keeping the undelivered events in its state', async () => {
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    const ms = Date.now() - started;
    process.stdout.write(`# SIGTERM to exit with Linear and Slack hung: ${ms} ms\n`);
    assert.equal(code, 0);
    assert.ok(ms < 20_000, `took ${ms} ms`);
    const state = JSON.parse(readFileSync(join(dir, 'state-hung', 'state.json'), 'utf8')) as { outbox: { pending: string[] }[] };
    assert.ok(state.outbox.length >= 1);
    assert.ok(state.outbox.every((i) => i.pending.includes('linear') && i.pending.includes('slack')));
    assert.match(stderr, /driftwatch stopped/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'a stack trace');
    noSecret(stderr);
  });
});

describe('a trace table that stops receiving spans', () => {
  const config = () =>
    writeConfig('stalls.yaml', 'clickhouse: {embedded: chdb}\ntraces: {table: stalls}\nalerting: {stateDir: state-stalls, resolveAfter: 1}\nnotify: {fileSink: {path: alerts-stalls.jsonl}}\n');

  it('opens an alert while spans arrive, then neither resolves it nor reports health once they stop', () => {
    const drifting = cli('once', '--config', config(), '--at', new Date(AT - 3 * HOUR + 2 * 60_000 + 30_000).toISOString(), '--json');
    assert.equal(drifting.status, 0, drifting.stderr);
    const opened = readFileSync(join(dir, 'alerts-stalls.jsonl'), 'utf8');
    assert.match(opened, /"kind":"opened"/);

    for (let i = 0; i < 2; i++) {
      const stalled = cli('once', '--config', config(), '--at', new Date(AT + i * 5 * 60_000).toISOString(), '--json');
      assert.equal(stalled.status, 2, `exit ${stalled.status}: ${stalled.stderr}`);
      const report = JSON.parse(stalled.stdout) as { signals: { layer: string; status: string; message: string; evidence: { reason?: string } }[] };
      // The judge compares days of labels with weeks, so an empty hour does not stop it.
      const hourly = report.signals.filter((s) => s.layer !== 'judge');
      assert.ok(hourly.length > 0);
      for (const s of hourly) {
        assert.equal(s.status, 'no_data');
        assert.equal(s.evidence.reason, 'stalled');
        assert.match(s.message, /no spans since 2026-11-20T09:00:\d\d/);
      }
    }
    assert.equal(readFileSync(join(dir, 'alerts-stalls.jsonl'), 'utf8'), opened, 'nothing resolved while no spans arrived');
    const state = JSON.parse(readFileSync(join(dir, 'state-stalls', 'state.json'), 'utf8')) as { alerts: Record<string, { phase: string }> };
    assert.ok(Object.values(state.alerts).some((a) => a.phase === 'firing'));
  });
});

describe('once exit codes and start-up checks', () => {
  it('names each column of the wrong type and exits 2', () => {
    const run = cli('once', '--config', writeConfig('mistyped.yaml', 'clickhouse: {embedded: chdb}\ntraces: {table: mistyped}\n'), '--at', new Date(AT).toISOString());
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /table default\.mistyped does not have the columns traces\.schema otel reads:\n {2}SpanAttributes: is String, expected map\n {2}Events\.Attributes: is Array\(String\), expected map array\n$/,
    );
  });

  it('exits 3 when a signal fails and the others ran', () => {
    const file = writeConfig('eval-missing.yaml', 'clickhouse: {embedded: chdb}\ntraces: {table: live}\nsignals: {dataset: {evalSet: {path: no-such-eval-set.jsonl}}}\n');
    const run = cli('once', '--config', file, '--json', '--dry-run');
    assert.equal(run.status, 3, run.stderr);
    const report = JSON.parse(run.stdout) as { errors: { signal?: string }[]; signals: { status: string }[] };
    assert.deepEqual(
      report.errors.map((e) => e.signal),
      ['dataset'],
    );
    assert.ok(report.signals.some((s) => s.status === 'ok'));
  });

  it('refuses a state directory it cannot write, and names a corrupt state file, in one line each', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const unwritable = cli('once', '--config', writeConfig('unwritable.yaml', 'clickhouse: {embedded: chdb}\ntraces: {table: live}\nalerting: {stateDir: a-file/state}\n'));
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /^driftwatch: cannot write alert state to .*a-file\/state \(alerting\.stateDir\): ENOTDIR\n$/);
    const corruptDir = join(dir, 'state-corrupt');
    const file = writeConfig('corrupt.yaml', 'clickhouse: {embedded: chdb}\ntraces: {table: live}\nalerting: {stateDir: state-corrupt}\n');
    spawnSync('mkdir', ['-p', corruptDir]);
    writeFileSync(join(corruptDir, 'state.json'), '{"version":1,"alerts":{');
    const corrupt = cli('once', '--config', file);
    assert.equal(corrupt.status, 2);
    assert.match(corrupt.stderr, /^driftwatch: .*state-corrupt\/state\.json is not valid JSON .*; move it aside to start with no alert state\n$/);
  });

  it('does not create a stray directory tree for a mistyped embedded path', () => {
    const run = cli('once', '--config', writeConfig('typo.yaml', 'clickhouse: {embedded: no-such-parent/chdb}\ntraces: {table: live}\n'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /its parent .*no-such-parent does not exist \(check clickhouse\.embedded\)/);
    assert.ok(!existsSync(join(dir, 'no-such-parent')));
  });

  it('refuses a cron step beyond its field', () => {
    const run = cli('check-config', writeConfig('cron.yaml', 'schedule: "*/61 * * * *"\n'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /schedule \(line 1\): minute field "\*\/61": step 61 is outside 1–60/);
  });
});

describe('secrets in URLs', () => {
  const file = () =>
    writeConfig(
      'url-secrets.yaml',
      `clickhouse: {url: "http://reader:\${DW_LINEAR_KEY}@127.0.0.1:1/?password=\${DW_SLACK_TOKEN}", queryTimeout: 2s}
traces: {table: otel_traces}
notify:
  traceLinkTemplate: "https://grafana.example/explore?api_key=\${DW_TEMPLATE_KEY}&traceId={traceId}"
  linear: {apiKey: not-a-secret-here, teamId: 9cfb482a-81e3-4154-b5b9-2c805e70a02d, apiUrl: "https://bot:\${DW_SLACK_TOKEN}@proxy.example/graphql"}
`,
    );

  it('check-config --print prints the config with URL passwords and secret parameters redacted', () => {
    const run = cli('check-config', file(), '--print');
    assert.equal(run.status, 0, run.stderr);
    noSecret(run.stdout + run.stderr);
    assert.match(run.stdout, /"url": "http:\/\/reader:\[redacted\]@127\.0\.0\.1:1\/\?password=\[redacted\]"/);
    assert.match(run.stdout, /api_key=\[redacted\]&traceId=\{traceId\}/);
  });

  it('check-config --print redacts a URL password written with escapes no encoder writes (%2f, %21)', () => {
    const spelled = writeConfig('escaped-password.yaml', 'clickhouse: {url: "http://reader:pa%2fss%21word-9@127.0.0.1:1/", queryTimeout: 2s}\ntraces: {table: otel_traces}\n');
    const run = cli('check-config', spelled, '--print');
    assert.equal(run.status, 0, run.stderr);
    for (const part of ['pa%2fss', 'ss%21word', 'pa/ss!word', 'pa%2Fss']) assert.ok(!(run.stdout + run.stderr).includes(part), `printed ${part}`);
    assert.match(run.stdout, /"url": "http:\/\/reader:\[redacted\]@127\.0\.0\.1:1\/"/);
  });

  it('once names what is wrong without any secret', () => {
    // The client refuses settings it does not know in the URL (password among them): said plainly.
    const refused = cli('once', '--config', file(), '--json');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /Unknown URL parameters: password/);
    noSecret(refused.stdout + refused.stderr);
    const userinfo = writeConfig('userinfo.yaml', 'clickhouse: {url: "http://reader:${DW_LINEAR_KEY}@127.0.0.1:1", queryTimeout: 2s}\ntraces: {table: otel_traces}\n');
    const unreachable = cli('once', '--config', userinfo, '--json');
    assert.equal(unreachable.status, 2);
    assert.match(unreachable.stderr, /ClickHouse at http:\/\/127\.0\.0\.1:1 is unreachable/);
    noSecret(unreachable.stdout + unreachable.stderr);
  });
});
