/**
 * The long-running daemon: a first cycle at start, then one per cron tick, never two at once;
 * /metrics, /healthz and /readyz; the outbox retried between cycles; SIGHUP reloads the config
 * (an invalid file keeps the last good one); SIGTERM finishes the running cycle and exits.
 */
import type { Server } from 'node:http';
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { createApp, createNotifiers, evaluate, flushOutbox, initSinkCounters, type App } from './app.ts';
import { loadConfigFile, redact } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { saveState } from './alerting/persistence.ts';
import { startHttpServer } from './http/server.ts';

export interface Daemon {
  app: App;
  server: Server;
  /** Runs one cycle now unless one is running; resolves when it ends. */
  tick(): Promise<void>;
  reload(): void;
  stop(): Promise<void>;
}

export async function startDaemon(configFile: string, config: Config, log: Logger): Promise<Daemon> {
  const app = await createApp(config, log);
  let ready = false;
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
        const outcome = await evaluate(app, new Date());
        ready = outcome.sourceUp;
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

  const server = await startHttpServer(app.metrics.registry, { ready: () => ready }, config.server.host, config.server.port);
  log.info({ host: config.server.host, port: (server.address() as { port: number }).port, store: app.store.target, config: redact(config) }, 'driftwatch started');

  let task: ScheduledTask = schedule(config.schedule, () => void tick(), { name: 'driftwatch-cycle' });
  const outboxTimer = setInterval(() => {
    if (!running && app.state.outbox.length > 0) void flushOutbox(app, new Date()).catch((err) => log.error({ err: String(err) }, 'outbox flush failed'));
  }, 30_000);
  outboxTimer.unref();

  const reload = () => {
    try {
      const next = loadConfigFile(configFile).config;
      const restartNeeded = ['clickhouse', 'traces', 'server', 'rollups'].filter((k) => JSON.stringify(next[k as keyof Config]) !== JSON.stringify(app.config[k as keyof Config]));
      if (restartNeeded.length > 0) log.warn({ sections: restartNeeded }, 'these config sections change only on restart; the rest is reloaded');
      const merged: Config = { ...next, clickhouse: app.config.clickhouse, traces: app.config.traces, server: app.config.server, rollups: app.config.rollups };
      if (merged.schedule !== app.config.schedule) {
        void task.stop();
        task = schedule(merged.schedule, () => void tick(), { name: 'driftwatch-cycle' });
      }
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
    await task.stop();
    clearInterval(outboxTimer);
    if (running) await running;
    saveState(app.config.alerting.stateDir, app.state);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await app.close();
    log.info('driftwatch stopped');
  };

  void tick();
  return { app, server, tick, reload, stop };
}
