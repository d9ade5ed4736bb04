/**
 * The durable outbox: every alert event is written to disk before any sink sees it, and stays
 * there, per sink, until that sink accepts it. Retry timing is decided here and only here.
 */
import type { Logger } from 'pino';
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { OutboxItem, PersistentState } from '../alerting/persistence.ts';
import type { Metrics } from '../metrics/registry.ts';
import { buildAlertContent } from './content.ts';
import { NotifyError, type Notifier, type SinkRefs } from './types.ts';

const MAX_DELAY_MS = 60 * 60_000;

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

/**
 * Tries every due item on each of its pending sinks, in order. When a sink fails for one episode,
 * its later events of that episode wait too, so a comment never lands before its issue.
 */
export async function deliverDue(
  state: PersistentState,
  notifiers: readonly Notifier[],
  now: Date,
  deps: { log: Logger; metrics: Metrics; traceLinkTemplate?: string },
): Promise<void> {
  const refs: SinkRefs = {
    get: (episode) => state.refs[episode],
    set: (episode, value) => {
      state.refs[episode] = value;
    },
  };
  const blocked = new Set<string>();
  for (const item of state.outbox) {
    if (Date.parse(item.nextAttemptAt) > now.getTime()) {
      for (const sink of item.pending) blocked.add(`${sink}:${item.event.episode}`);
      continue;
    }
    const content = buildAlertContent(item.event, deps.traceLinkTemplate);
    let failure: NotifyError | undefined;
    for (const sink of [...item.pending]) {
      const notifier = notifiers.find((n) => n.name === sink);
      if (!notifier) continue; // the sink was removed from config: keep the item until it returns
      if (blocked.has(`${sink}:${item.event.episode}`)) continue;
      try {
        await notifier.deliver(item.event, content, refs);
        item.pending = item.pending.filter((s) => s !== sink);
        deps.metrics.notificationsTotal.inc({ sink, outcome: 'delivered' });
        deps.log.info({ sink, alert: item.event.kind, fingerprint: item.event.fingerprint, title: content.title }, 'alert delivered');
      } catch (err) {
        failure = err instanceof NotifyError ? err : new NotifyError(sink, err instanceof Error ? err.message : String(err), true);
        blocked.add(`${sink}:${item.event.episode}`);
        deps.metrics.notificationsTotal.inc({ sink, outcome: 'failed' });
        deps.metrics.errorsTotal.inc({ component: 'notify' });
        deps.log.warn({ sink, alert: item.event.kind, fingerprint: item.event.fingerprint, err: failure.message, retryable: failure.retryable }, 'alert delivery failed; kept in the outbox');
      }
    }
    if (failure) {
      item.attempts += 1;
      item.lastError = failure.message;
      item.nextAttemptAt = new Date(now.getTime() + retryDelayMs(item.attempts, failure)).toISOString();
    }
  }
  state.outbox = state.outbox.filter((i: OutboxItem) => i.pending.length > 0);
  deps.metrics.outboxPending.set(state.outbox.length);
}
