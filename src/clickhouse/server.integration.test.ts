// The network client against a real clickhouse-server (Debian's 18.16): the version check refuses
// it; with the escape hatch, credentials, schema checks and an outage behave as an operator expects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createLogger } from '../app/app.ts';
import { startDaemon } from '../app/daemon.ts';
import { SourceError } from './errors.ts';
import { OTEL_COLUMNS } from '../sources/otel/index.ts';
import { testConfig } from '../../test/helpers/spans.ts';
import { clickhouseServer, oldServerOtelTable, type ClickHouseProcess } from '../../test/helpers/clickhouse-server.ts';
import { needs } from '../../test/helpers/requires.ts';
import { FAKE_TEAM_ID, startLinearFake, type LinearFake } from '../../test/helpers/linear-server.ts';
import { startSlackFake, type SlackFake } from '../../test/helpers/slack-server.ts';
import type { Config } from '../config/shape.ts';

let server: ClickHouseProcess;
const log = createLogger('fatal');
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-server-test-'));

const skip = needs('clickhouse-server', "Debian's clickhouse-server");

before(async () => {
  if (skip) return;
  server = await clickhouseServer();
  await server.start();
});
after(async () => server?.kill());

const config = (overrides: Partial<Config['clickhouse']> = {}): Config =>
  testConfig({
    clickhouse: { url: server.url, password: server.password, allowUnsupportedVersion: true, queryTimeout: '10s', ...overrides } as never,
    alerting: { stateDir: join(dir, 'state') },
    notify: { fileSink: { path: join(dir, 'alerts.jsonl') } },
    server: { host: '127.0.0.1', port: 0 },
  });

async function failure(cfg: Config): Promise<SourceError> {
  try {
    const app = await createApp(cfg, log);
    await app.store.close();
  } catch (err) {
    assert.ok(err instanceof SourceError, String(err));
    return err;
  }
  assert.fail('createApp succeeded');
}

describe('ClickHouse server connection', { skip }, () => {
  it('refuses a server older than 24.3, naming both versions', async () => {
    const err = await failure(config({ allowUnsupportedVersion: false }));
    assert.equal(err.kind, 'version');
    assert.match(err.message, new RegExp(`^ClickHouse at ${server.url} is version 18\\.16\\.\\d+; driftwatch needs 24\\.3 or newer`));
  });

  it('exits 2 with that one line from the CLI', () => {
    const file = join(dir, 'old-server.yaml');
    writeFileSync(file, `clickhouse: {url: "${server.url}", password: "\${CH_PW}"}\ntraces: {schema: otel, table: otel_traces}\n`);
    const cli = spawnSync(process.execPath, ['bin/driftwatch.js', 'once', '--config', file, '--json'], { encoding: 'utf8', env: { ...process.env, CH_PW: server.password } });
    assert.equal(cli.status, 2);
    assert.equal(cli.stdout, '');
    assert.match(cli.stderr, /^driftwatch: ClickHouse at http:\/\/127\.0\.0\.1:\d+ is version 18\.16\.\d+; driftwatch needs 24\.3 or newer/);
    assert.equal(cli.stderr.trim().split('\n').length, 1);
    assert.ok(!cli.stderr.includes(server.password));
  });

  it('says the credentials were rejected, without echoing the password', async () => {
    const err = await failure(config({ password: 'wrong-password-123' }));
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /rejected the credentials/);
    assert.ok(!err.message.includes('wrong-password-123'));
  });

  it('names a missing table, then missing columns', async () => {
    let err = await failure(config());
    assert.equal(err.kind, 'schema');
    assert.match(err.message, /table default\.otel_traces does not exist/);
    await server.query('CREATE TABLE default.otel_traces (Timestamp DateTime, TraceId String) ENGINE = Memory');
    err = await failure(config());
    // One line per missing column, each naming the kind it must have.
    const lines = err.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    assert.deepEqual(
      lines.map((l) => l.split(':')[0]),
      Object.keys(OTEL_COLUMNS).filter((c) => c !== 'Timestamp' && c !== 'TraceId'),
    );
    assert.ok(lines.includes('SpanAttributes: missing (expected map)'), lines.join('\n'));
    await server.query('DROP TABLE default.otel_traces');
    // Old servers have no Map type: with allowUnsupportedVersion the types are only warned about.
    await server.query(oldServerOtelTable('default.otel_traces'));
    const app = await createApp(config(), log);
    await app.store.close();
  });

  it('serves a readonly=1 user: no per-query setting is sent, and counts still arrive as numbers', async () => {
    const app = await createApp(config({ username: 'reader' }), log);
    try {
      assert.equal(await app.store.readonlyLevel(), 1);
      await server.query("INSERT INTO default.otel_traces (TraceId, Duration) VALUES ('t1', 5)");
      const [row] = await app.store.query<{ n: number; total: number; id: string }>("SELECT count() AS n, sum(Duration) AS total, '42' AS id FROM default.otel_traces");
      assert.deepEqual(row, { n: 1, total: 5, id: '42' });
    } finally {
      await app.store.close();
    }
  });

  describe('check-config --connect', () => {
    let linear: LinearFake;
    let slack: SlackFake;
    before(async () => {
      linear = await startLinearFake('lin_api_check');
      slack = await startSlackFake('xoxb-check');
    });
    after(async () => {
      await linear?.close();
      await slack?.close();
    });
    // Spawned without blocking: the loopback Linear and Slack answer from this process.
    const check = async (user: string, linearKey = 'lin_api_check') => {
      const file = join(dir, `check-${user}.yaml`);
      writeFileSync(
        file,
        [
          `clickhouse: {url: "${server.url}", username: ${user}, password: "\${CH_PW}"}`,
          'traces: {schema: otel, table: otel_traces}',
          `alerting: {stateDir: "${join(dir, 'state')}"}`,
          `notify:`,
          `  linear: {apiKey: "${linearKey}", teamId: ${FAKE_TEAM_ID}, apiUrl: "${linear.url}"}`,
          `  slack: {token: xoxb-check, channel: "#agent-drift", apiUrl: "${slack.url}"}`,
        ].join('\n'),
      );
      const cli = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['bin/driftwatch.js', 'check-config', file, '--connect'], { encoding: 'utf8', env: { ...process.env, CH_PW: server.password } }, (err, stdout, stderr) =>
          resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
      });
      assert.ok(!cli.stdout.includes(server.password) && !cli.stdout.includes(linearKey));
      return { status: cli.status, lines: cli.stdout.trim().split('\n'), stderr: cli.stderr };
    };
    const line = (lines: string[], re: RegExp) => {
      const found = lines.find((l) => re.test(l));
      assert.ok(found, `no line ${re} in:\n${lines.join('\n')}`);
      return found;
    };

    it('readonly=1 user: the version is refused, the grants pass, Linear and Slack answer; one line per check', async () => {
      const { status, lines, stderr } = await check('reader');
      assert.equal(status, 2, stderr);
      line(lines, /^FAIL  clickhouse: http:\/\/127\.0\.0\.1:\d+ is version 18\.16\.\d+; driftwatch needs 24\.3 or newer$/);
      line(lines, /^ok    clickhouse user reader: readonly=1; driftwatch sends no per-query setting/);
      line(lines, /^warn  clickhouse user reader: its profile sets no max_execution_time/);
      line(lines, new RegExp(`^ok    table default\\.otel_traces: readable by reader, ${Object.keys(OTEL_COLUMNS).length} columns as otel expects`));
      // 18.16 takes query parameters for settings, which readonly=1 refuses: a warning, not a failure.
      line(lines, /^warn  table default\.otel_traces: its engine could not be read from system\.tables \(.*code 164/);
      line(lines, /^skip  queries: not run on ClickHouse 18\.16/);
      line(lines, /^ok    linear: the key works; issues go to team SUP \(Support\)$/);
      line(lines, /^ok    slack: the token works: driftwatch in workspace Acme; posts to #agent-drift$/);
      assert.deepEqual(lines.filter((l) => l.startsWith('FAIL')).length, 1, lines.join('\n'));
      assert.ok(
        linear.requests.every((r) => r.valid),
        'every document valid against Linear’s schema',
      );
    });

    it('readonly=2 user: settings are sent', async () => {
      line((await check('reader2')).lines, /^ok    clickhouse user reader2: readonly=2; per-query timeout and log comment are sent$/);
    });

    it('names the missing grant and a rejected Linear key', async () => {
      const { lines } = await check('elsewhere', 'lin_api_wrong');
      line(lines, /^FAIL  table default\.otel_traces: user elsewhere may not read it \(.*Access denied to database default.*\); grant it: GRANT SELECT ON default\.otel_traces TO elsewhere/);
      line(lines, /^skip  queries: /);
      line(lines, /^FAIL  linear: Linear authentication/i);
    });
  });

  it('stays up through a server outage mid-cycle, reports source down, and recovers', async () => {
    const daemon = await startDaemon(join(dir, 'unused.yaml'), config(), log);
    const sourceUp = async () => (await daemon.app.metrics.sourceUp.get()).values[0]?.value;
    try {
      await daemon.tick();
      assert.equal(await sourceUp(), 1);
      const cycle = daemon.tick();
      await server.kill();
      await cycle;
      await daemon.tick();
      assert.equal(await sourceUp(), 0);
      const metrics = await (await fetch(`http://127.0.0.1:${(daemon.server.address() as { port: number }).port}/metrics`)).text();
      assert.match(metrics, /driftwatch_source_up 0/);
      assert.match(metrics, /driftwatch_errors_total\{component="source"\} [1-9]/);
      await server.start();
      await daemon.tick();
      assert.equal(await sourceUp(), 1);
    } finally {
      await daemon.stop();
    }
  });
});
