/** `driftwatch demo`: a week of traces from six agents, each meeting one drift mode at a known time, and the daemon on it. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../app/app.ts';
import type { LogFormat } from '../logging/logger.ts';
import { loadConfigFile } from '../config/load.ts';
import { openStore } from '../clickhouse/store.ts';
import { startDaemon } from '../app/daemon.ts';
import { DEMO_EPISODES, DEMO_SIGNALS_YAML, writeDemoFiles, writeFleet } from './every-mode.ts';
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
${DEMO_SIGNALS_YAML}`;

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

const clock = (d: Date) => d.toISOString().slice(11, 16);

/** What the demo wrote, what drifted when, and where to look. */
export function demoBanner(o: { port: number; traces: number; start: Date; alerts: string; configFile: string }): string {
  const ago = (minutes: number) => (minutes >= 1440 ? `${Math.round(minutes / 1440)} days ago` : `${minutes} min ago (${clock(new Date(o.start.getTime() - minutes * 60_000))} UTC)`);
  const width = Math.max(...DEMO_EPISODES.map((e) => e.mode.length));
  return (
    `driftwatch demo: open http://localhost:${o.port}/ to see what drifted\n` +
    `  ${o.traces} traces written by six agents, one drift mode each (and the judge's scores with the first):\n` +
    DEMO_EPISODES.map((e) => `    ${e.mode.padEnd(width)}  ${ago(e.minutesAgo)}, ${e.service}: ${e.what}\n      look at: ${e.look}\n`).join('') +
    "  The 'resolution' scores are also held against the CI run in ci-results.jsonl; the bank's eval set is eval.jsonl.\n" +
    '  New traffic is written every minute while the demo runs, so it stays current.\n' +
    `  metrics:  http://localhost:${o.port}/metrics   (try: curl -s localhost:${o.port}/metrics | grep 'status="drift"} 1')\n` +
    `  alerts:   ${o.alerts}\n` +
    `  report:   curl -s localhost:${o.port}/report.json   (the last cycle, as once --json prints it)\n` +
    `  config:   ${o.configFile}   (after Ctrl-C: driftwatch once --config ${o.configFile}; while the demo runs it holds the embedded engine)\n` +
    `  promote:  after Ctrl-C, driftwatch promote --config ${o.configFile} --alert FINGERPRINT --all adds an alert's example inputs to eval.jsonl\n` +
    '  Ctrl-C stops it.\n'
  );
}

export async function runDemo(dirArg: string, port: number, logFormat: LogFormat = 'auto'): Promise<number> {
  const dir = resolve(dirArg);
  await refuseBusyDemo(dir, port);
  prepareDemoDir(dir);
  const configFile = join(dir, 'driftwatch.yaml');
  writeFileSync(configFile, DEMO_CONFIG(port));
  writeDemoFiles(dir);
  const { config } = loadConfigFile(configFile);
  const log = createLogger(config.log.level, undefined, logFormat);

  const start = new Date();
  const store = await openStore(config.clickhouse);
  process.stderr.write('driftwatch demo: writing a week of traces from six agents to the embedded engine…\n');
  const table = config.traces.schema === 'otel' ? config.traces.table : 'otel_traces';
  const traces = await writeFleet(store, table, { start, to: start });
  await store.close();
  process.stderr.write(demoBanner({ port, traces, start, alerts: config.notify.fileSink.path, configFile }));
  const daemon = await startDaemon(configFile, config, log);
  // The traffic goes on while the demo runs, so its current window never goes stale.
  const feed = keepWriting(
    (after, to) => writeFleet(daemon.app.store, table, { start, to, after }),
    start,
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
