/**
 * Delivery beside the cycle loop. The daemon's cycles only enqueue; this delivers, one loop per
 * sink, so a hung Linear neither delays a cycle nor holds back the file sink or Slack. Each sink
 * call has its timeout (in deliverDue); `stop` abandons every call in flight at once, leaving the
 * events in the outbox for the next process.
 */
import type { PersistentState } from '../alerting/persistence.ts';
import type { Notifier } from './types.ts';
import { deliverDue, dueChains, type DeliveryDeps } from './outbox.ts';

export interface Dispatcher {
  /** Starts a delivery pass for every sink that has something due and is not already busy. */
  kick(): void;
  /** Resolves when no sink is delivering. */
  idle(): Promise<void>;
  /** Abandons every call in flight and accepts no more work; resolves once the sinks have let go. */
  stop(): Promise<void>;
}

export interface DispatcherDeps extends Omit<DeliveryDeps, 'signal' | 'only'> {
  state(): PersistentState;
  notifiers(): readonly Notifier[];
  now?(): Date;
}

export function createDispatcher(deps: () => DispatcherDeps): Dispatcher {
  const shutdown = new AbortController();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const run = (sink: string) => {
    if (shutdown.signal.aborted) return;
    if (running.has(sink)) {
      again.add(sink); // new work arrived mid-pass: one more pass when this one ends
      return;
    }
    const pass = (async () => {
      do {
        again.delete(sink);
        const d = deps();
        const now = d.now?.() ?? new Date();
        if (dueChains(d.state().outbox, sink, now).length === 0) continue;
        await deliverDue(d.state(), d.notifiers(), now, { ...d, only: [sink], signal: shutdown.signal });
      } while (again.has(sink) && !shutdown.signal.aborted);
    })()
      .catch((err) => deps().log.error({ sink, err }, 'alert delivery pass failed'))
      .finally(() => running.delete(sink));
    running.set(sink, pass);
  };

  return {
    kick() {
      for (const n of deps().notifiers()) run(n.name);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async stop() {
      shutdown.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}
