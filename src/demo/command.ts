/** `driftwatch demo`: a synthetic week of agent traces ending in tool-API drift, and the daemon on it. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../app/app.ts';
import type { LogFormat } from '../logging/logger.ts';
import { loadConfigFile } from '../config/load.ts';
import { openStore } from '../clickhouse/store.ts';
import { startDaemon } from '../app/daemon.ts';
import { generateDemoTraces } from './generate.ts';
import { createServer } from 'node:net';
import { listenHost } from '../http/access.ts';
import { acquireStateLock, LOCK_FILE, StateLockedError } from '../alerting/state-lock.ts';

export const DEMO_CONFIG = (port: number) => `# Written by \`driftwatch demo\`; see config/driftwatch.example.yaml for every option.
clickhouse:
  embedded: chdb
traces:
  schema: otel
  table: otel_traces
server:
  port: ${port}
alerting:
  stateDir: state
notify:
  fileSink:
    path: alerts.jsonl
# The judge's rubric (what a drop means is read from the same cycle's other verdicts).
rubrics:
  - name: resolution
signals:
  scores:
    offline:
      - path: ci-results.jsonl
        name: ci (demo)
`;

/**
 * The demo's CI run of the rubric: 200 eval items the judge scored about 0.9 (production scores
 * about 0.86 before the vendor broke, within the 5-point margin; well below after).
 */
export function demoCiResults(): string {
  return Array.from({ length: 200 }, (_, i) => {
    const noise = (((Math.sin(i + 1) * 10_000) % 1) + 1) % 1;
    return JSON.stringify({ rubric: 'resolution', score: Math.round(Math.min(1, Math.max(0, 0.9 + 0.24 * (noise - 0.5))) * 1000) / 1000, item: `eval-${i}` });
  }).join('\n');
}

/** Written into every demo directory: only a directory holding it is ever emptied by the demo. */
export const DEMO_MARKER = '.driftwatch-demo';

/** The demo's directory refuses to be anything but empty, missing, or an earlier demo's. */
export class DemoDirError extends Error {}

/** Empties an earlier demo's directory (old alert state would hide the new episode); refuses any other non-empty one. */
export function prepareDemoDir(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new DemoDirError(`--dir ${dir} is not empty and was not made by driftwatch demo; choose an empty or new directory (nothing was deleted)`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DEMO_MARKER), 'Made by `driftwatch demo`, which empties this directory each time it starts.\n');
}

/**
 * Refuses before anything is written or deleted when this demo could not run: its directory is
 * held by a demo still running (emptying it would pull the engine from under that process), or
 * its port is taken (a week of traces written, then a raw EADDRINUSE).
 */
export async function refuseBusyDemo(dir: string, port: number, host = listenHost(undefined)): Promise<void> {
  const state = join(dir, 'state');
  if (existsSync(join(state, LOCK_FILE))) {
    try {
      acquireStateLock(state, { command: 'demo' }).release();
    } catch (err) {
      if (!(err instanceof StateLockedError)) throw err;
      const h = err.holder;
      throw new DemoDirError(
        `a driftwatch process is still running on --dir ${dir} (its alert state is locked: \`driftwatch ${h.command}\` (pid ${h.pid} on ${h.host}, since ${h.since})); stop it, or start this demo with another --dir and --port. Nothing was written or deleted`,
      );
    }
  }
  if (port === 0) return;
  await new Promise<void>((resolveFree, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new DemoDirError(`port ${port} on ${host} is taken (another demo or daemon?); start this one with --port N, or stop that process. Nothing was written`) : err),
    );
    probe.listen(port, host, () => probe.close(() => resolveFree()));
  });
}

/** How often the running demo writes the traffic of the time just past. */
const FEED_EVERY_MS = 60_000;

/**
 * Calls `write(after, to)` every `everyMs` with the time since the last call that succeeded, one
 * call at a time; a failed call is reported and its stretch written by the next.
 */
export function keepWriting(write: (after: Date, to: Date) => Promise<unknown>, from: Date, everyMs: number, onError: (err: unknown) => void, clock: () => Date = () => new Date()) {
  let writtenTo = from;
  let running: Promise<void> | null = null;
  const step = (): Promise<void> => {
    if (running) return running;
    const to = clock();
    running = write(writtenTo, to)
      .then(() => {
        writtenTo = to;
      }, onError)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void step(), everyMs);
  timer.unref();
  return { step, stop: () => clearInterval(timer) };
}

export async function runDemo(dirArg: string, port: number, logFormat: LogFormat = 'auto'): Promise<number> {
  const dir = resolve(dirArg);
  await refuseBusyDemo(dir, port);
  prepareDemoDir(dir);
  const configFile = join(dir, 'driftwatch.yaml');
  writeFileSync(configFile, DEMO_CONFIG(port));
  writeFileSync(join(dir, 'ci-results.jsonl'), `${demoCiResults()}\n`);
  const { config } = loadConfigFile(configFile);
  const log = createLogger(config.log.level, undefined, logFormat);

  const now = new Date();
  const store = await openStore(config.clickhouse);
  process.stderr.write('driftwatch demo: writing a synthetic week of agent traces to the embedded engine…\n');
  const table = config.traces.schema === 'otel' ? config.traces.table : 'otel_traces';
  const week = { from: new Date(now.getTime() - 7 * 86_400_000 - 3_600_000), driftFrom: new Date(now.getTime() - 50 * 60_000), scores: { rubric: 'resolution' } };
  const traces = await generateDemoTraces(store, table, { ...week, to: now });
  await store.close();
  process.stderr.write(
    `driftwatch demo: open http://localhost:${port}/ to see what drifted\n` +
      `  ${traces} traces written; refund_payment's vendor API changed 50 minutes ago, and the judge's\n` +
      `  'resolution' scores fell with it, below the CI run in ci-results.jsonl. New traffic is written\n` +
      `  every minute while the demo runs, so it stays current.\n` +
      `  metrics:  http://localhost:${port}/metrics   (try: curl -s localhost:${port}/metrics | grep 'status="drift"} 1')\n` +
      `  alerts:   ${config.notify.fileSink.path}\n` +
      `  report:   curl -s localhost:${port}/report.json   (the last cycle, as once --json prints it)\n` +
      `  config:   ${configFile}   (after Ctrl-C: driftwatch once --config ${configFile}; while the demo runs it holds the embedded engine)\n` +
      '  Ctrl-C stops it.\n',
  );
  const daemon = await startDaemon(configFile, config, log);
  // The traffic goes on while the demo runs, so its current window never goes stale.
  const feed = keepWriting(
    (after, to) => generateDemoTraces(daemon.app.store, table, { ...week, after, to }),
    now,
    FEED_EVERY_MS,
    (err) => log.warn({ err }, 'demo: the next minute of traces could not be written'),
  );
  return await new Promise<number>((resolveExit) => {
    const stop = () => {
      feed.stop();
      void daemon.stop().then(() => resolveExit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
