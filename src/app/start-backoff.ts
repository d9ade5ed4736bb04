/**
 * How long the daemon waits before it tries the trace store again at start: doubling from one
 * second to a minute. An orchestrator that restarts a crashed pod backs off the same way, but a
 * process that waits keeps serving /healthz, /metrics and the status page, and says why it is not
 * ready, instead of crash-looping.
 */
export const START_RETRY_FIRST_MS = 1_000;
export const START_RETRY_MAX_MS = 60_000;

/** The wait after failed attempt `attempt` (1 for the first failure). */
export function startRetryDelayMs(attempt: number, firstMs = START_RETRY_FIRST_MS, maxMs = START_RETRY_MAX_MS): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  // 2^30 s is already past any cap; stop doubling before the number overflows.
  return Math.min(maxMs, firstMs * 2 ** Math.min(attempt - 1, 30));
}
