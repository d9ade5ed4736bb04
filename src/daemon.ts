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
import { createApp, createNotifiers, deliveryDeps, evaluate, initSinkCounters, persist, type App } from './app.ts';
import { loadConfigFile } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { Redactor } from './config/secrets.ts';
import { startHttpServer } from './http/server.ts';
import { createDispatcher } from './notify/dispatcher.ts';
import { renderStatusPage, type StatusView } from './http/status-page.ts';
import { formatDuration } from './config/duration.ts';
import { renderRunbooks } from './http/runbooks.ts';
import { SIGNALS } from './signals/index.ts';

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

/** What the daemon reads the time from: the system clock, or a test's. */
export interface DaemonOptions {
  clock?: () => Date;
}

export async function startDaemon(configFile: string, config: Config, log: Logger, redactor: Redactor = new Redactor(config), options: DaemonOptions = {}): Promise<Daemon> {
  const clock = options.clock ?? (() => new Date());
  const app = await createApp(config, log, redactor);
  const dispatcher = createDispatcher(() => ({ ...deliveryDeps(app), state: () => app.state, notifiers: () => app.notifiers }));
  // Ready: the last cycle completed, the source answered and at least one signal ran.
  let ready = false;
  let last: StatusView['last'] = null;
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
        ready = outcome.sourceUp && !outcome.failed && outcome.runs.some((run) => run.outcome !== 'error');
        last = {
          finishedAt: new Date(),
          report: outcome.report,
          sourceUp: outcome.sourceUp,
          stalled: outcome.freshness.flatMap((f) => (f.freshness.stalled ? [`${f.source}: ${f.freshness.stalled}`] : [])),
        };
        dispatcher.kick();
        const drifting = outcome.report.signals.filter((s) => s.status === 'drift').length;
        log.info({ evaluatedAt: outcome.report.evaluatedAt, signals: outcome.report.signals.length, drifting, errors: outcome.report.errors.length }, 'cycle finished');
      } catch (err) {
        ready = false;
        app.metrics.cyclesTotal.inc({ outcome: 'error' });
        app.metrics.errorsTotal.inc({ component: 'source' });
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'cycle failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  let task: ScheduledTask | undefined;
  const page = () =>
    app.redactor.text(
      renderStatusPage({
        now: new Date(),
        refreshSeconds: cadenceSeconds(task),
        last,
        alerts: Object.values(app.state.alerts),
        refs: app.state.refs,
        traceLinkTemplate: app.config.notify.traceLinkTemplate,
        dashboardUrl: app.config.notify.dashboardUrl,
      }),
    );
  const report = () => (last ? app.redactor.text(`${JSON.stringify(last.report, null, 2)}\n`) : null);
  const server = await startHttpServer(app.metrics.registry, { ready: () => ready, page, report, runbooks: renderRunbooks() }, config.server.host, config.server.port);
  log.info(
    {
      host: config.server.host,
      port: (server.address() as { port: number }).port,
      store: app.store.target,
      schedule: config.schedule,
      windows: { current: formatDuration(config.windows.current), baseline: formatDuration(config.windows.baseline), ingestLag: formatDuration(config.windows.ingestLag) },
      signals: SIGNALS.filter((s) => s.enabled(config)).map((s) => s.name),
      sinks: app.notifiers.map((n) => n.name),
    },
    'driftwatch started',
  );
  log.debug({ config: redactor.value(config) }, 'effective config');

  task = schedule(config.schedule, () => void tick(), { name: 'driftwatch-cycle' });
  app.metrics.scheduleInterval.set(longestGapSeconds(task));
  // Retries come due between cycles; the dispatcher ignores sinks with nothing due or still busy.
  const outboxTimer = setInterval(() => {
    if (app.state.outbox.length > 0) dispatcher.kick();
  }, RETRY_POLL_MS);
  outboxTimer.unref();
  dispatcher.kick(); // what the last process left in the outbox

  const reload = () => {
    try {
      const next = loadConfigFile(configFile).config;
      const restartNeeded = ['clickhouse', 'traces', 'server', 'rollups'].filter((k) => JSON.stringify(next[k as keyof Config]) !== JSON.stringify(app.config[k as keyof Config]));
      if (restartNeeded.length > 0) log.warn({ sections: restartNeeded }, 'these config sections change only on restart; the rest is reloaded');
      const merged: Config = { ...next, clickhouse: app.config.clickhouse, traces: app.config.traces, server: app.config.server, rollups: app.config.rollups };
      if (merged.schedule !== app.config.schedule) {
        void task?.stop();
        task = schedule(merged.schedule, () => void tick(), { name: 'driftwatch-cycle' });
        app.metrics.scheduleInterval.set(longestGapSeconds(task));
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
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'config reload rejected; keeping the last good config');
    }
  };

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    await task?.stop();
    clearInterval(outboxTimer);
    await dispatcher.stop();
    if (running) {
      const finished = await Promise.race([running.then(() => true), sleep(app.config.server.shutdownGrace).then(() => false)]);
      if (!finished) log.warn({ graceMs: app.config.server.shutdownGrace }, 'the running cycle did not finish within server.shutdownGrace; exiting without it');
    }
    persist(app);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    // A store stuck in a query must not hold the exit either.
    await Promise.race([app.close(), sleep(2_000)]);
    log.info({ ms: Date.now() - started, outboxPending: app.state.outbox.length }, 'driftwatch stopped');
  };

  void tick();
  return { app, server, tick, deliveries: () => dispatcher.idle(), reload, stop };
}

/** Seconds between two cycles of the schedule (the status page reloads at that pace). */
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
