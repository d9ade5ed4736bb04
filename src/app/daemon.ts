/**
 * The long-running daemon: a first cycle at start, then one per cron tick, never two at once;
 * /metrics, /healthz and /readyz; alerts delivered beside the cycles (a hung sink never delays
 * one); SIGHUP reloads the config (an invalid file keeps the last good one); SIGTERM gives a
 * running cycle `server.shutdownGrace`, abandons deliveries in flight (they stay in the outbox),
 * saves state and exits.
 */
import type { Server } from 'node:http';
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { createApp, createNotifiers, deliveryDeps, evaluate, initSinkCounters, loadAppState, lockState, persist, type App, type AppParts } from './app.ts';
import { loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/shape.ts';
import { Redactor } from '../config/secrets.ts';
import { startHttpServer } from '../http/server.ts';
import { createDispatcher } from '../notify/dispatcher.ts';
import { renderStatusPage, type StatusView } from '../http/status-page.ts';
import { formatDuration } from '../config/duration.ts';
import { renderRunbooks } from '../http/runbooks.ts';
import { SIGNALS } from '../signals/index.ts';
import { createMetrics, type Metrics } from '../metrics/registry.ts';
import { SourceError } from '../clickhouse/errors.ts';
import { startRetryDelayMs, START_RETRY_FIRST_MS, START_RETRY_MAX_MS } from './start-backoff.ts';
import { VERSION } from '../core/version.ts';
import { LOCK_REFRESH_MS } from '../alerting/state-lock.ts';
import { listenHost, publicUrl } from '../http/access.ts';

/** How often the daemon looks for outbox items whose retry time has come. */
const RETRY_POLL_MS = 5_000;

export interface Daemon {
  app: App;
  server: Server;
  /** Runs one cycle now unless one is running; resolves when it ends (its alerts may still be on their way). */
  tick(): Promise<void>;
  /** Resolves when no alert delivery is in flight. */
  deliveries(): Promise<void>;
  reload(): void;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** What the daemon reads the time from: the system clock, or a test's. */
  clock?: () => Date;
  /** Ends the wait for an unreachable trace store at start (SIGTERM before it ever answered). */
  signal?: AbortSignal;
  /** The first wait between start attempts and the longest (tests shorten them). */
  startRetry?: { firstMs: number; maxMs: number };
}

/** The daemon was asked to stop while it still waited for the trace store at start. */
export class StartAborted extends Error {
  constructor() {
    super('stopped while waiting for the trace store at start');
    this.name = 'StartAborted';
  }
}

/**
 * Starts serving at once, then opens the trace store. While the store is unreachable (or times
 * out) it keeps trying with backoff, not ready, /metrics saying source_up 0 and the status page
 * saying why; anything else (credentials, version, schema, state) fails the start, since waiting
 * cannot mend it.
 */
export async function startDaemon(configFile: string, config: Config, log: Logger, redactor: Redactor = new Redactor(config), options: DaemonOptions = {}): Promise<Daemon> {
  const clock = options.clock ?? (() => new Date());
  const metrics = createMetrics(VERSION);
  // Where rules and the dashboard link to; the server section changes only on restart.
  metrics.externalUrl.set({ url: publicUrl(config.server) }, 1);
  const lock = lockState(config, 'run', log);
  let state: ReturnType<typeof loadAppState>;
  try {
    state = loadAppState(config, log);
  } catch (err) {
    lock.release();
    throw err;
  }
  // What the HTTP surface shows, before the store answers and after. Ready: the last cycle
  // completed, the source answered and at least one signal ran.
  const live: Live = { app: null, last: null, ready: false, waiting: null, task: undefined };
  const page = () => {
    const current = live.app?.config ?? config;
    return redactor.text(
      renderStatusPage({
        now: new Date(),
        refreshSeconds: live.waiting ? 5 : cadenceSeconds(live.task),
        last: live.last,
        waiting: live.waiting,
        alerts: Object.values(state.alerts),
        refs: state.refs,
        traceLinkTemplate: current.notify.traceLinkTemplate,
        dashboardUrl: current.notify.dashboardUrl,
      }),
    );
  };
  const report = () => (live.last ? redactor.text(`${JSON.stringify(live.last.report, null, 2)}\n`) : null);
  // Other processes see this one hold the state while it waits for the store, too.
  const heartbeat = setInterval(() => lock.refresh(), LOCK_REFRESH_MS);
  heartbeat.unref();
  let server: Server | undefined;
  let app: App;
  try {
    server = await startHttpServer(metrics.registry, { ready: () => live.ready, page, report, runbooks: renderRunbooks() }, listenHost(config.server.host), config.server.port, {
      token: config.server.token,
      protectMetrics: config.server.protectMetrics,
    });
    app = await openWhenReachable(
      () => createApp(config, log, redactor, { metrics, state, configFile } satisfies AppParts),
      metrics,
      log,
      options,
      (w) => (live.waiting = w),
    );
  } catch (err) {
    clearInterval(heartbeat);
    lock.release();
    if (server) await closeServer(server);
    throw err;
  }
  live.app = app;
  live.waiting = null;
  const daemon = runDaemon(configFile, app, server, live, log, redactor, clock);
  const stop = daemon.stop;
  daemon.stop = async () => {
    await stop();
    clearInterval(heartbeat);
    lock.release();
  };
  return daemon;
}

/** What the HTTP surface reads while the daemon runs. */
interface Live {
  app: App | null;
  last: StatusView['last'];
  ready: boolean;
  waiting: StatusView['waiting'];
  task: ScheduledTask | undefined;
}

/** Tries `open` until it succeeds or fails in a way waiting cannot mend. */
async function openWhenReachable(open: () => Promise<App>, metrics: Metrics, log: Logger, options: DaemonOptions, onWait: (w: NonNullable<StatusView['waiting']>) => void): Promise<App> {
  const { firstMs, maxMs } = options.startRetry ?? { firstMs: START_RETRY_FIRST_MS, maxMs: START_RETRY_MAX_MS };
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new StartAborted();
    try {
      return await open();
    } catch (err) {
      if (!(err instanceof SourceError) || !err.retryable) throw err;
      const waitMs = startRetryDelayMs(attempt, firstMs, maxMs);
      metrics.sourceUp.set(0);
      metrics.errorsTotal.inc({ component: 'source' });
      onWait({ reason: err.message, attempts: attempt, nextAttemptAt: new Date(Date.now() + waitMs) });
      log.warn({ attempt, retryInMs: waitMs, err }, `the trace store does not answer at start; not ready, trying again in ${formatDuration(waitMs)}`);
      await sleep(waitMs, options.signal);
    }
  }
}

function runDaemon(configFile: string, app: App, server: Server, live: Live, log: Logger, redactor: Redactor, clock: () => Date): Daemon {
  const config = app.config;
  const dispatcher = createDispatcher(() => ({ ...deliveryDeps(app), state: () => app.state, notifiers: () => app.notifiers }));
  let running: Promise<void> | null = null;
  let stopping = false;

  const tick = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    if (running) {
      app.metrics.cyclesTotal.inc({ outcome: 'skipped' });
      log.warn('previous cycle still running; this tick is skipped');
      return running;
    }
    running = (async () => {
      try {
        const outcome = await evaluate(app, clock(), { deliver: false, now: clock });
        live.ready = outcome.sourceUp && !outcome.failed && outcome.runs.some((run) => run.outcome !== 'error');
        live.last = {
          finishedAt: new Date(),
          report: outcome.report,
          sourceUp: outcome.sourceUp,
          stalled: outcome.freshness.flatMap((f) => (f.freshness.stalled ? [`${f.source}: ${f.freshness.stalled}`] : [])),
        };
        dispatcher.kick();
        const drifting = outcome.report.signals.filter((s) => s.status === 'drift').length;
        // Where the cycle's time went, per phase (driftwatch_cycle_phase_seconds has the same).
        const phases = Object.fromEntries(Object.entries(outcome.phases).map(([phase, seconds]) => [`${phase}Ms`, Math.round(seconds * 1000)]));
        log.info({ evaluatedAt: outcome.report.evaluatedAt, signals: outcome.report.signals.length, drifting, errors: outcome.report.errors.length, phases }, 'cycle finished');
      } catch (err) {
        live.ready = false;
        app.metrics.cyclesTotal.inc({ outcome: 'error' });
        app.metrics.errorsTotal.inc({ component: 'source' });
        log.error({ err }, 'cycle failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  log.info(
    {
      host: (server.address() as { address: string }).address,
      port: (server.address() as { port: number }).port,
      token: config.server.token ? 'required' : 'none',
      store: app.store.target,
      schedule: config.schedule,
      windows: { current: formatDuration(config.windows.current), baseline: formatDuration(config.windows.baseline), ingestLag: formatDuration(config.windows.ingestLag) },
      signals: SIGNALS.filter((s) => s.enabled(config)).map((s) => s.name),
      sinks: app.notifiers.map((n) => n.name),
    },
    'driftwatch started',
  );
  log.debug({ config: redactor.value(config) }, 'effective config');

  live.task = schedule(config.schedule, () => void tick(), { name: 'driftwatch-cycle' });
  app.metrics.scheduleInterval.set(longestGapSeconds(live.task));
  // Retries come due between cycles; the dispatcher ignores sinks with nothing due or still busy.
  const outboxTimer = setInterval(() => {
    if (app.state.outbox.length > 0) dispatcher.kick();
  }, RETRY_POLL_MS);
  outboxTimer.unref();
  dispatcher.kick(); // what the last process left in the outbox

  const reload = () => {
    try {
      const { config: next, warnings } = loadConfigFile(configFile);
      for (const w of warnings) log.warn({ file: configFile }, `config: ${w}`);
      const restartNeeded = ['clickhouse', 'traces', 'server', 'rollups'].filter((k) => JSON.stringify(next[k as keyof Config]) !== JSON.stringify(app.config[k as keyof Config]));
      if (restartNeeded.length > 0) log.warn({ sections: restartNeeded }, 'these config sections change only on restart; the rest is reloaded');
      const merged: Config = { ...next, clickhouse: app.config.clickhouse, traces: app.config.traces, server: app.config.server, rollups: app.config.rollups };
      if (merged.schedule !== app.config.schedule) {
        void live.task?.stop();
        live.task = schedule(merged.schedule, () => void tick(), { name: 'driftwatch-cycle' });
        app.metrics.scheduleInterval.set(longestGapSeconds(live.task));
      }
      redactor.use(merged);
      app.config = merged;
      app.notifiers = createNotifiers(merged);
      initSinkCounters(app.metrics, app.notifiers);
      app.metrics.configReloadsTotal.inc({ outcome: 'ok' });
      log.info('config reloaded');
    } catch (err) {
      app.metrics.configReloadsTotal.inc({ outcome: 'invalid' });
      app.metrics.errorsTotal.inc({ component: 'config' });
      log.error({ err }, 'config reload rejected; keeping the last good config');
    }
  };

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    await live.task?.stop();
    clearInterval(outboxTimer);
    await dispatcher.stop();
    if (running) {
      const finished = await Promise.race([running.then(() => true), sleep(app.config.server.shutdownGrace).then(() => false)]);
      if (!finished) log.warn({ graceMs: app.config.server.shutdownGrace }, 'the running cycle did not finish within server.shutdownGrace; exiting without it');
    }
    persist(app);
    await closeServer(server);
    // A store stuck in a query must not hold the exit either.
    await Promise.race([app.close(), sleep(2_000)]);
    log.info({ ms: Date.now() - started, outboxPending: app.state.outbox.length }, 'driftwatch stopped');
  };

  void tick();
  return { app, server, tick, deliveries: () => dispatcher.idle(), reload, stop };
}

/** The longest gap between the schedule's next 50 cycles (a cron such as `0 9-17 * * *` has a long night). */
function longestGapSeconds(task: ScheduledTask): number {
  const runs = task.getNextRuns(50).map((d) => d.getTime());
  const gaps = runs.slice(1).map((t, k) => (t - runs[k]!) / 1000);
  return gaps.length > 0 ? Math.max(...gaps) : 300;
}

function cadenceSeconds(task: ScheduledTask | undefined): number {
  const [a, b] = task?.getNextRuns(2) ?? [];
  return a && b ? (b.getTime() - a.getTime()) / 1000 : 60;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
