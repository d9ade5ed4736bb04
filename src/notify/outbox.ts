/**
 * The durable outbox: every alert event is written to disk before any sink sees it, and stays
 * there, per sink, until that sink accepts it. Retry timing is decided here and only here.
 *
 * Sinks are independent: each keeps its own attempts and backoff, and a sink that hangs or
 * refuses never holds back another. Within one sink, the events of one episode go out in order
 * (a comment never lands before its issue); different episodes go out side by side.
 */
import type { Logger } from 'pino';
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { OutboxItem, PersistentState, SinkRetry } from '../alerting/persistence.ts';
import type { Metrics } from '../metrics/registry.ts';
import { buildAlertContent } from './content.ts';
import { NotifyError, type Notifier, type SinkRefs } from './types.ts';

const MAX_DELAY_MS = 60 * 60_000;
/** Episodes one sink delivers at the same time. */
const EPISODES_AT_ONCE = 4;

/** Adds events for every sink. */
export function enqueue(state: PersistentState, events: readonly AlertEvent[], sinks: readonly string[], now: Date): void {
  for (const event of events) {
    if (state.outbox.some((i) => i.event.id === event.id)) continue;
    state.outbox.push({ event, pending: [...sinks], attempts: 0, nextAttemptAt: now.toISOString() });
  }
}

/** How long to wait after the n-th failed attempt (1-based). Pure. */
export function retryDelayMs(attempts: number, err: NotifyError): number {
  if (!err.retryable) return MAX_DELAY_MS;
  const backoff = Math.min(MAX_DELAY_MS, 15_000 * 2 ** Math.max(0, attempts - 1));
  return Math.min(MAX_DELAY_MS, Math.max(backoff, err.retryAfterMs ?? 0));
}

/** One sink's retry state for an item (items written before per-sink retries share the item's). */
export function sinkRetry(item: OutboxItem, sink: string): SinkRetry {
  return item.retries?.[sink] ?? { attempts: item.attempts, nextAttemptAt: item.nextAttemptAt, ...(item.lastError ? { lastError: item.lastError } : {}) };
}

/**
 * What one sink should deliver now, as chains: per episode, its pending items in order, cut at the
 * first one that is not yet due (later events of that episode wait behind it). Pure.
 */
export function dueChains(outbox: readonly OutboxItem[], sink: string, now: Date): OutboxItem[][] {
  const chains = new Map<string, OutboxItem[]>();
  const blocked = new Set<string>();
  for (const item of outbox) {
    if (!item.pending.includes(sink)) continue;
    const episode = item.event.episode;
    if (blocked.has(episode)) continue;
    if (Date.parse(sinkRetry(item, sink).nextAttemptAt) > now.getTime()) {
      blocked.add(episode);
      continue;
    }
    chains.set(episode, [...(chains.get(episode) ?? []), item]);
  }
  return [...chains.values()];
}

export interface DeliveryDeps {
  log: Logger;
  metrics: Metrics;
  traceLinkTemplate?: string;
  /** The Grafana dashboard alerts link to (notify.dashboardUrl). */
  dashboardUrl?: string;
  /** The config file, named in the promote command alerts print. */
  configFile?: string;
  /** Where people reach the daemon (server.externalUrl): alerts link its runbooks and status page. */
  externalUrl?: string;
  /** Longest a sink may take for one event before it counts as failed (retried later). */
  timeoutMs: number;
  /** Aborts every call in flight (shutdown); what was not delivered stays in the outbox. */
  signal?: AbortSignal;
  /** Only these sinks (default: all). */
  only?: readonly string[];
  /** Removes secrets (a credential in traceLinkTemplate) from what a sink is given. */
  redact?: (text: string) => string;
  /** Called after every change to the outbox, so it can be persisted at once. */
  onChange?: () => void;
}

/** Tries every due item on each of its pending sinks; resolves when every sink has had its turn. */
export async function deliverDue(state: PersistentState, notifiers: readonly Notifier[], now: Date, deps: DeliveryDeps): Promise<void> {
  const refs: SinkRefs = {
    get: (episode) => state.refs[episode],
    set: (episode, value) => {
      state.refs[episode] = value;
    },
  };
  const sinks = notifiers.filter((n) => !deps.only || deps.only.includes(n.name));
  await Promise.all(sinks.map((notifier) => deliverToSink(state, notifier, refs, now, deps)));
  publishPending(state, deps.metrics);
}

async function deliverToSink(state: PersistentState, notifier: Notifier, refs: SinkRefs, now: Date, deps: DeliveryDeps): Promise<void> {
  const chains = dueChains(state.outbox, notifier.name, now);
  let next = 0;
  const worker = async () => {
    while (next < chains.length) {
      const chain = chains[next++]!;
      for (const item of chain) {
        if (deps.signal?.aborted) return;
        if (!(await deliverOne(state, notifier, item, refs, now, deps))) break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EPISODES_AT_ONCE, chains.length) }, worker));
}

/** Delivers one item to one sink; true when it was accepted. */
async function deliverOne(state: PersistentState, notifier: Notifier, item: OutboxItem, refs: SinkRefs, now: Date, deps: DeliveryDeps): Promise<boolean> {
  const sink = notifier.name;
  const { event } = item;
  const built = buildAlertContent(event, {
    ...(deps.traceLinkTemplate ? { traceLinkTemplate: deps.traceLinkTemplate } : {}),
    ...(deps.dashboardUrl ? { dashboardUrl: deps.dashboardUrl } : {}),
    ...(deps.configFile ? { configFile: deps.configFile } : {}),
    ...(deps.externalUrl ? { externalUrl: deps.externalUrl } : {}),
  });
  const redact = deps.redact ?? ((text: string) => text);
  const link = (l: { id: string; url?: string }) => (l.url ? { id: l.id, url: redact(l.url) } : l);
  const content = {
    title: redact(built.title),
    description: redact(built.description),
    comment: redact(built.comment),
    summary: redact(built.summary),
    chart: built.chart,
    patterns: built.patterns.map(redact),
    impact: built.impact,
    links: {
      ...(built.links.dashboard ? { dashboard: redact(built.links.dashboard) } : {}),
      ...(built.links.runbook ? { runbook: redact(built.links.runbook) } : {}),
      ...(built.links.statusPage ? { statusPage: redact(built.links.statusPage) } : {}),
      failing: built.links.failing.map(link),
      passing: built.links.passing.map(link),
    },
  };
  // biome-ignore lint/suspicious/noConfusingVoidType: a sink's deliver resolves to nothing, or to 'already'.
  let answer: void | 'already';
  try {
    answer = await withDeadline(sink, deps.timeoutMs, deps.signal, (signal) => notifier.deliver(event, content, refs, signal));
  } catch (err) {
    if (deps.signal?.aborted) return false; // shutdown: untouched, retried by the next process
    const failure = err instanceof NotifyError ? err : new NotifyError(sink, err instanceof Error ? err.message : String(err), true);
    const attempts = sinkRetry(item, sink).attempts + 1;
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts, failure)).toISOString();
    item.retries = { ...item.retries, [sink]: { attempts, nextAttemptAt, lastError: failure.message } };
    item.attempts = Math.max(item.attempts, attempts);
    item.lastError = `${sink}: ${failure.message}`;
    const outcome = failure.retryable ? 'failed' : 'rejected';
    deps.metrics.notificationsTotal.inc({ sink, outcome });
    deps.metrics.errorsTotal.inc({ component: 'notify' });
    deps.log.warn(
      { sink, alert: event.kind, fingerprint: event.fingerprint, err: failure.message, retryable: failure.retryable, attempts, nextAttemptAt },
      failure.retryable ? 'alert delivery failed; kept in the outbox' : 'alert refused by the sink; kept in the outbox, retried hourly',
    );
    deps.onChange?.();
    return false;
  }
  item.pending = item.pending.filter((s) => s !== sink);
  if (item.retries) delete item.retries[sink];
  if (item.pending.length === 0) state.outbox = state.outbox.filter((i) => i !== item);
  deps.metrics.notificationsTotal.inc({ sink, outcome: 'delivered' });
  if (answer === 'already')
    deps.log.info({ sink, alert: event.kind, fingerprint: event.fingerprint, event: event.id }, 'alert already delivered earlier (the sink holds this event); nothing sent again');
  else deps.log.info({ sink, alert: event.kind, fingerprint: event.fingerprint }, 'alert delivered');
  publishPending(state, deps.metrics);
  deps.onChange?.();
  return true;
}

/**
 * Runs a sink call with its own timeout, also abandoned at shutdown. The call gets the signal
 * (its HTTP request is cancelled); the race makes sure a sink that ignores it cannot hang us.
 */
export async function withDeadline<T>(sink: string, timeoutMs: number, shutdown: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  // A timer of our own (AbortSignal.timeout's does not keep the process alive while it waits).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onShutdown = () => controller.abort();
  shutdown?.addEventListener('abort', onShutdown, { once: true });
  if (shutdown?.aborted) controller.abort();
  const aborted = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(timedOut ? new NotifyError(sink, `${sink} did not answer within ${Math.round(timeoutMs / 1000)} s`, true) : new NotifyError(sink, `${sink} delivery abandoned at shutdown`, true));
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  try {
    return await Promise.race([call(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

/** `driftwatch_outbox_pending`: events some sink has not accepted yet. */
export function publishPending(state: PersistentState, metrics: Metrics): void {
  metrics.outboxPending.set(state.outbox.length);
}
