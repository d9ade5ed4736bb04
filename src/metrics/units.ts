/**
 * The unit of a verdict's value on /metrics (the `unit` label of driftwatch_signal_value and
 * driftwatch_signal_baseline_value). One family carries every signal, so a panel or rule selects
 * by `signal` (and with it one unit); the label says which, so nobody reads a κ as a ratio.
 * Latencies are exposed in seconds, Prometheus's base unit.
 */
export type MetricUnit = 'ratio' | 'seconds' | 'characters' | 'turns' | 'kappa' | 'rbo' | 'documents';

/** Verdict signals whose value is not a ratio in 0..1. */
const UNITS: Readonly<Record<string, MetricUnit>> = {
  tool_latency: 'seconds',
  input_length: 'characters',
  input_turns_per_session: 'turns',
  judge_human_agreement: 'kappa',
  retrieval_rbo: 'rbo',
  retrieval_distinct_documents: 'documents',
};

export function metricUnit(signal: string): MetricUnit {
  return UNITS[signal] ?? 'ratio';
}

/** The factor from a verdict's own unit to its metric unit (milliseconds to seconds). */
export function metricScale(evidenceUnit: unknown): number {
  return evidenceUnit === 'ms' ? 1 / 1000 : 1;
}
