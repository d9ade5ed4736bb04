/**
 * The composition root: config, logger, store, trace source, signals, notifiers and metrics are
 * built here and passed down. Nothing else constructs a dependency or reads a singleton.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import { openStore, type Store } from '../clickhouse/store.ts';
import { preflight } from '../sources/preflight.ts';
import { otelSource } from '../sources/otel/index.ts';
import { DATASET_RUN_ITEMS, langfuseSource } from '../sources/langfuse/index.ts';
import { familiesOf, SIGNALS } from '../signals/index.ts';
import { runCycle, type CycleOutcome, type ScopedSource } from '../engine/cycle.ts';
import { countAlertEvents, createMetrics, createSignalPublisher, publishAlerts, type Metrics } from '../metrics/registry.ts';
import { applyAlertRules } from '../alerting/state-machine.ts';
import { acquireStateLock, type StateLock } from '../alerting/state-lock.ts';
import { checkStateDir, loadStateReporting, REJECTED_FILE, saveState, type PersistentState } from '../alerting/persistence.ts';
import { deliverDue, enqueue, publishPending, type DeliveryDeps } from '../notify/outbox.ts';
import { Redactor } from '../config/secrets.ts';
import type { Notifier } from '../notify/types.ts';
import { fileNotifier } from '../notify/file/index.ts';
import { linearNotifier } from '../notify/linear/index.ts';
import { webhookNotifier } from '../notify/webhook/index.ts';
import { slackNotifier } from '../notify/slack/index.ts';
import { VERSION } from '../core/version.ts';
import { openRollups } from '../rollups/open.ts';
import type { RollupEngine } from '../rollups/engine.ts';

export { createLogger } from '../logging/logger.ts';

/** The sinks the config asks for: Linear, else the file sink; Slack and a webhook beside either. */
export function createNotifiers(config: Config): Notifier[] {
  const sinks: Notifier[] = [config.notify.linear ? linearNotifier(config.notify.linear) : fileNotifier(config.notify.fileSink.path)];
  if (config.notify.slack) sinks.push(slackNotifier(config.notify.slack, config.notify.timeout));
  if (config.notify.webhook) sinks.push(webhookNotifier(config.notify.webhook));
  return sinks;
}

/**
 * The trace sources the config names: the otel table, or one Langfuse source per project.
 * `tables`: the optional tables the store has (start-up finds them), which a source may read.
 */
export function createSources(config: Config, store: Store, tables: readonly string[] = []): ScopedSource[] {
  const traces = config.traces;
  if (traces.schema === 'langfuse') {
    const datasetRuns = tables.includes(DATASET_RUN_ITEMS);
    return traces.projects.map((project) => ({
      source: langfuseSource(store.database, project, { retrievalQueryKey: traces.retrievalQueryKey, conventions: traces.conventions, datasetRuns }),
      scope: { project },
    }));
  }
  return [{ source: otelSource(store.database, traces.table, traces.conventions), scope: {} }];
}

export interface App {
  config: Config;
  log: Logger;
  store: Store;
  sources: ScopedSource[];
  metrics: Metrics;
  notifiers: Notifier[];
  state: PersistentState;
  publish: ReturnType<typeof createSignalPublisher>;
  /** The config file the app was loaded from, for the commands alerts print (promote --config). */
  configFile?: string;
  /** Incremental rollups (null: every cycle scans raw spans). */
  rollups: RollupEngine | null;
  /** Removes the config's secrets from any text that leaves the process (alerts included). */
  redactor: Redactor;
  /** Closes the rollup store and the trace store. */
  close(): Promise<void>;
}

/** Every sink's counters exist from the start, so rate() and alerts on them see a zero, not nothing. */
export function initSinkCounters(metrics: Metrics, notifiers: readonly Notifier[]): void {
  for (const n of notifiers) for (const outcome of ['delivered', 'failed', 'rejected']) metrics.notificationsTotal.inc({ sink: n.name, outcome }, 0);
}

/** Checks the state directory and loads the alert state, logging outbox items it had to set aside. */
export function loadAppState(config: Config, log: Logger): PersistentState {
  checkStateDir(config.alerting.stateDir);
  const { state, rejected } = loadStateReporting(config.alerting.stateDir);
  for (const r of rejected)
    log.warn({ item: r.index, problem: r.problem, file: REJECTED_FILE }, `outbox item ${r.index} of the alert state is malformed and cannot be delivered as written; set aside in ${REJECTED_FILE}`);
  return state;
}

/**
 * Takes the state directory's lock for `command` (one writer per alert state), logging when it
 * took over from a holder that was gone; throws StateError naming a live holder.
 */
export function lockState(config: Config, command: string, log: Logger): StateLock {
  checkStateDir(config.alerting.stateDir);
  const lock = acquireStateLock(config.alerting.stateDir, { command });
  const old = lock.tookOverFrom;
  if (old) log.warn({ pid: old.pid, host: old.host, command: old.command, since: old.since }, `took over the alert state lock of \`driftwatch ${old.command}\`: ${old.reason}`);
  return lock;
}

/** What a caller may have built before the store answered (the daemon serves its metrics and state while it waits). */
export interface AppParts {
  metrics?: Metrics;
  state?: PersistentState;
  configFile?: string;
}

/** Opens the store and checks it; throws SourceError (one clear line) when it cannot be used. */
export async function createApp(config: Config, log: Logger, redactor: Redactor = new Redactor(config), parts: AppParts = {}): Promise<App> {
  const state = parts.state ?? loadAppState(config, log);
  const store = await openStore(config.clickhouse, log);
  try {
    const { optionalTables } = await preflight(store, createSources(config, store)[0]!.source, { allowUnsupportedVersion: config.clickhouse.allowUnsupportedVersion }, log);
    const sources = createSources(config, store, optionalTables);
    const metrics = parts.metrics ?? createMetrics(VERSION);
    const notifiers = createNotifiers(config);
    initSinkCounters(metrics, notifiers);
    const rollups = await openRollups(config, store, familiesOf(SIGNALS), log, { onChangedRebuild: (n) => metrics.rollupRebuilds.inc(n) });
    const close = async () => {
      await rollups?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
    };
    publishPending(state, metrics);
    return { config, log, store, sources, metrics, notifiers, state, publish: createSignalPublisher(metrics), rollups, redactor, close, ...(parts.configFile ? { configFile: parts.configFile } : {}) };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}

/**
 * One cycle as of `at`: verdicts, metrics and (unless dry-run) alert lifecycle. Events are
 * delivered before it returns unless `deliver: false` (the daemon delivers beside its cycles).
 */
export async function evaluate(app: App, at: Date, options: { dryRun?: boolean; deliver?: boolean; now?: () => Date } = {}): Promise<CycleOutcome> {
  const now = options.now ?? (() => new Date());
  const stopTimer = app.metrics.cycleDuration.startTimer();
  const outcome = await runCycle({ config: app.config, store: app.store, sources: app.sources, signals: SIGNALS, log: app.log, rollups: app.rollups, now }, at);
  stopTimer();
  const started = performance.now();
  try {
    return await settle(app, outcome, options, now);
  } finally {
    outcome.phases.publish = (performance.now() - started) / 1000;
    app.metrics.cyclePhaseSeconds.set({ phase: 'publish' }, outcome.phases.publish);
  }
}

/** Publishes a cycle's verdicts and (unless dry-run) moves the alert state and fills the outbox. */
async function settle(app: App, outcome: CycleOutcome, options: { dryRun?: boolean; deliver?: boolean }, now: () => Date): Promise<CycleOutcome> {
  for (const r of outcome.refreshes) app.metrics.rollupBucketsBuilt.inc(r.bucketsBuilt);
  for (const r of outcome.report.signals.filter((s) => s.status === 'drift')) {
    app.log.warn({ signal: r.signal, driftMode: r.driftMode, subject: r.subject, pValue: r.pValue }, r.message);
  }
  if (options.dryRun) {
    app.publish(outcome, now());
    return outcome;
  }

  const evaluatedAt = new Date(outcome.report.evaluatedAt);
  // A cycle earlier than one that already moved the alert state (`once --at` a past time, a clock
  // stepped back) must not move it: its clean verdicts would resolve alerts that opened later.
  const last = app.state.evaluatedAt ? Date.parse(app.state.evaluatedAt) : Number.NEGATIVE_INFINITY;
  if (evaluatedAt.getTime() < last) {
    outcome.stateUnchanged = `the alert state was last moved by a cycle at ${app.state.evaluatedAt}, later than this one (${outcome.report.evaluatedAt}); an earlier cycle is judged as a dry run`;
    app.log.warn({ evaluatedAt: outcome.report.evaluatedAt, stateEvaluatedAt: app.state.evaluatedAt }, `alert state left unchanged: ${outcome.stateUnchanged}`);
    app.publish(outcome, now());
    return outcome;
  }
  const { states, events, muted } = applyAlertRules(app.state.alerts, outcome.report.signals, outcome.report.windows, evaluatedAt, app.config.alerting, {
    // Absence is clean only when every signal ran on a source that still receives spans.
    absentIsClean: outcome.sourceUp && outcome.report.errors.length === 0 && outcome.freshness.every((f) => !f.freshness.stalled),
  });
  const previous = { alerts: app.state.alerts, outbox: app.state.outbox, evaluatedAt: app.state.evaluatedAt };
  app.state.alerts = states;
  app.state.evaluatedAt = outcome.report.evaluatedAt;
  for (const m of muted) app.log.info({ fingerprint: m.fingerprint, signal: m.result.signal, subject: m.result.subject, reason: m.reason }, 'drift muted');
  const exampleLimit = app.config.alerting.exampleTraces;
  enqueue(
    app.state,
    events.map((e) => ({ ...e, result: { ...e.result, evidence: { ...e.result.evidence, traceIds: e.result.evidence.traceIds.slice(0, exampleLimit) } } })),
    app.notifiers.map((n) => n.name),
    now(),
  );
  try {
    saveState(app.config.alerting.stateDir, app.state);
    countAlertEvents(app.metrics, events);
  } catch (err) {
    // Nothing is sent that is not on disk: this cycle's transitions are undone, and it failed.
    app.state.alerts = previous.alerts;
    app.state.outbox = previous.outbox.filter((i) => app.state.outbox.includes(i));
    app.state.evaluatedAt = previous.evaluatedAt;
    app.metrics.errorsTotal.inc({ component: 'state' });
    const message = err instanceof Error ? err.message : String(err);
    app.log.error({ err }, 'alert state not saved; this cycle opened and resolved nothing');
    outcome.report.errors.push({ message });
    outcome.failed = true;
  }
  app.publish(outcome, now());
  publishAlerts(
    app.metrics,
    Object.values(app.state.alerts)
      .filter((a) => a.phase === 'firing')
      .map((a) => a.key),
  );
  publishPending(app.state, app.metrics);
  if (options.deliver !== false && !outcome.failed) await flushOutbox(app, now());
  return outcome;
}

/** How deliveries see the app: its sinks' timeout, redaction, and the outbox saved after every change. */
export function deliveryDeps(app: App): Omit<DeliveryDeps, 'signal' | 'only'> {
  return {
    log: app.log,
    metrics: app.metrics,
    traceLinkTemplate: app.config.notify.traceLinkTemplate,
    dashboardUrl: app.config.notify.dashboardUrl,
    ...(app.configFile ? { configFile: app.configFile } : {}),
    ...(app.config.server.externalUrl ? { externalUrl: app.config.server.externalUrl } : {}),
    timeoutMs: app.config.notify.timeout,
    redact: (text) => app.redactor.text(text),
    onChange: () => persist(app),
  };
}

/** Saves the state; a failure is logged, not thrown (the outbox is retried from memory and saved again later). */
export function persist(app: App): boolean {
  try {
    saveState(app.config.alerting.stateDir, app.state);
    return true;
  } catch (err) {
    app.metrics.errorsTotal.inc({ component: 'state' });
    app.log.error({ err }, 'alert state not saved');
    return false;
  }
}

/** Delivers what is due in the outbox and persists what is left. */
export async function flushOutbox(app: App, now: Date): Promise<void> {
  if (app.state.outbox.length === 0) return;
  await deliverDue(app.state, app.notifiers, now, deliveryDeps(app));
  persist(app);
}
