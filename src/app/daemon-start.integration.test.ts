// The daemon started before its trace store answers: it serves health, says it is not ready and
// why, keeps trying with backoff, and begins work once the store answers; a failure waiting
// cannot mend (credentials) still ends the start at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startDaemon, StartAborted, type Daemon } from './daemon.ts';
import { SourceError } from '../clickhouse/errors.ts';
import { testConfig } from '../../test/helpers/spans.ts';
import { clickhouseServer, oldServerOtelTable, type ClickHouseProcess } from '../../test/helpers/clickhouse-server.ts';
import { needs } from '../../test/helpers/requires.ts';
import type { Config } from '../config/shape.ts';

const FAST = { firstMs: 50, maxMs: 200 };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A logger whose lines the test reads. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

function configFor(dir: string, url: string, serverPort: number, clickhouse: Partial<Config['clickhouse']> = {}): Config {
  return testConfig({
    clickhouse: { url, password: 'pw', allowUnsupportedVersion: true, queryTimeout: '5s', ...clickhouse } as never,
    alerting: { stateDir: join(dir, 'state') },
    notify: { fileSink: { path: join(dir, 'alerts.jsonl') } },
    server: { host: '127.0.0.1', port: serverPort },
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const refused = async (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

describe('daemon start while the trace store does not answer', () => {
  it('serves health, is not ready, says why, keeps trying, and stops cleanly on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-start-'));
    const [storePort, httpPort] = [await freePort(), await freePort()];
    const { log, lines } = collectingLogger();
    const abort = new AbortController();
    const starting = startDaemon(join(dir, 'unused.yaml'), configFor(dir, `http://127.0.0.1:${storePort}`, httpPort), log, undefined, { signal: abort.signal, startRetry: FAST });
    const settled = starting.then(
      () => 'started',
      (err: unknown) => err,
    );
    const base = `http://127.0.0.1:${httpPort}`;
    const warnings = () => lines.filter((l) => l.level === 40 && String(l.msg).startsWith('the trace store does not answer at start'));
    await until('three start attempts', () => warnings().length >= 3);

    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^driftwatch_source_up 0$/m);
    const errors = Number(/^driftwatch_errors_total\{component="source"\} (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(errors >= 3, metrics);
    const page = await (await fetch(`${base}/`)).text();
    assert.match(page, /not ready/);
    assert.match(page, /no cycle yet/);
    assert.match(page, /Next attempt at/);
    assert.equal((await fetch(`${base}/report.json`)).status, 503, 'no report before the first cycle');

    // The attempts count up and the waits grow to the ceiling, never past it.
    const seen = warnings();
    assert.deepEqual(
      seen.slice(0, 3).map((l) => l.attempt),
      [1, 2, 3],
    );
    assert.deepEqual(
      seen.slice(0, 4).map((l) => l.retryInMs),
      [50, 100, 200, 200].slice(0, Math.min(4, seen.length)),
    );
    assert.match(String((seen[0]!.err as { message?: string }).message), new RegExp(`127\\.0\\.0\\.1:${storePort}`));

    abort.abort();
    const outcome = await settled;
    assert.ok(outcome instanceof StartAborted, String(outcome));
    assert.ok(await refused(`${base}/healthz`), 'the HTTP server is closed after an aborted start');
  });

  it('driftwatch run: SIGTERM while it waits stops it with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-start-'));
    const [storePort, httpPort] = [await freePort(), await freePort()];
    const file = join(dir, 'driftwatch.yaml');
    writeFileSync(
      file,
      [
        `clickhouse: {url: "http://127.0.0.1:${storePort}", password: "\${CH_PW}"}`,
        'traces: {schema: otel, table: otel_traces}',
        `server: {host: 127.0.0.1, port: ${httpPort}}`,
        `alerting: {stateDir: "${join(dir, 'state')}"}`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['bin/driftwatch.js', 'run', '--config', file], { env: { ...process.env, CH_PW: 'start-secret-789' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until('the first failed attempt', () => stderr.includes('the trace store does not answer at start'), 30_000);
    assert.equal((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status, 503);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /driftwatch stopped before the trace store answered/);
    assert.ok(!stderr.includes('start-secret-789'));
  });

  describe('against a real clickhouse-server', { skip: needs('clickhouse-server', "Debian's clickhouse-server") }, () => {
    let server: ClickHouseProcess;
    let forwarder: NetServer | undefined;
    let daemon: Daemon | undefined;
    before(async () => {
      server = await clickhouseServer('pw');
      await server.start();
      // Old servers have no Map type: with allowUnsupportedVersion the column types are only warned about.
      await server.query(oldServerOtelTable('default.otel_traces'));
    });
    after(async () => {
      await daemon?.stop();
      forwarder?.close();
      await server?.kill();
    });

    it('begins work once the store answers, without a restart', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'driftwatch-start-'));
      const [gatePort, httpPort] = [await freePort(), await freePort()];
      const { log, lines } = collectingLogger();
      // The daemon dials a port where nothing listens yet; opening it later is the store coming up.
      const starting = startDaemon(join(dir, 'unused.yaml'), configFor(dir, `http://127.0.0.1:${gatePort}`, httpPort), log, undefined, { startRetry: FAST });
      await until('a failed attempt', () => lines.some((l) => l.attempt === 2));
      assert.equal((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status, 503);

      const target = Number(new URL(server.url).port);
      forwarder = createServer((client) => {
        const upstream = connect(target, '127.0.0.1');
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => forwarder!.listen(gatePort, '127.0.0.1', resolve));
      daemon = await starting;
      await daemon.tick();

      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      assert.match(metrics, /^driftwatch_source_up 1$/m);
      assert.ok(
        lines.some((l) => l.msg === 'driftwatch started'),
        'the start is logged once the store answered',
      );
      const page = await (await fetch(`http://127.0.0.1:${httpPort}/`)).text();
      assert.doesNotMatch(page, /Next attempt at/);
    });

    it('fails the start at once on rejected credentials, closing its port', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'driftwatch-start-'));
      const httpPort = await freePort();
      const { log, lines } = collectingLogger();
      const outcome = await startDaemon(join(dir, 'unused.yaml'), configFor(dir, server.url, httpPort, { password: 'wrong-pw-456' }), log, undefined, { startRetry: FAST }).then(
        () => 'started',
        (err: unknown) => err,
      );
      assert.ok(outcome instanceof SourceError, String(outcome));
      assert.equal(outcome.kind, 'auth');
      assert.equal(lines.filter((l) => l.attempt !== undefined).length, 0, 'no retry for a failure waiting cannot mend');
      assert.ok(await refused(`http://127.0.0.1:${httpPort}/healthz`));
    });
  });
});
