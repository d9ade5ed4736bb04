/** The one interface every alert sink implements, and the one error type they throw. */
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { AlertContent } from './content.ts';

/** Small per-episode facts a sink must remember between events (a Slack thread, a Linear issue id). */
export interface SinkRefs {
  get(episode: string): Record<string, string> | undefined;
  set(episode: string, value: Record<string, string>): void;
}

export interface Notifier {
  /** `linear`, `slack`, `file`: the sink label in metrics and the outbox. */
  readonly name: string;
  /**
   * Delivers one event; idempotent for the same event id. Throws NotifyError. `signal` aborts the
   * call (its timeout, or shutdown); a sink passes it to its HTTP client so nothing hangs on.
   * Resolves to `already` when the sink held this event from an earlier delivery and sent nothing.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most sinks resolve to nothing; one that held the event says 'already'.
  deliver(event: AlertEvent, content: AlertContent, refs: SinkRefs, signal: AbortSignal): Promise<void | 'already'>;
  /**
   * A harmless read that proves the sink would accept alerts (credentials, team, channel),
   * described in one line; throws NotifyError. For `check-config --connect`.
   */
  probe?(signal: AbortSignal): Promise<string>;
}

/** A failed delivery. Its message never carries a secret; `retryAfterMs` is the sink's own hint. */
export class NotifyError extends Error {
  constructor(
    readonly sink: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'NotifyError';
  }
}
