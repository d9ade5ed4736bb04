/**
 * The unit of a verdict's value on /metrics (the `unit` label of driftwatch_signal_value and
 * driftwatch_signal_baseline_value). One family carries every signal, so a panel or rule selects
 * by `signal` (and with it one unit); the label says which, so nobody reads a κ as a ratio.
 * Latencies are exposed in seconds, Prometheus's base unit. Each facet declares its unit
 * (src/core/facet.ts); a name no signal declares is a ratio.
 */

/** The factor from a verdict's own unit to its metric unit (milliseconds to seconds). */
export function metricScale(evidenceUnit: unknown): number {
  return evidenceUnit === 'ms' ? 1 / 1000 : 1;
}
