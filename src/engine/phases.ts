/**
 * Where a cycle's time goes: each phase's seconds, summed over signals and sources, so an
 * operator sees whether the rollups, the queries, the series, the patterns or the delivery cost
 * the most (`driftwatch_cycle_phase_seconds`, and the daemon's "cycle finished" line).
 */

/**
 * refresh: bringing the rollups up to date; freshness: whether each source still receives spans;
 * collect: each signal's queries and its evaluate; series: hourly series, seasonal check and onset;
 * patterns: failure patterns and explanations of drifting verdicts; decide: the cycle-wide
 * correction and drift-mode attribution; publish: metrics, alert state and the outbox.
 */
export const CYCLE_PHASES = ['refresh', 'freshness', 'collect', 'series', 'patterns', 'decide', 'publish'] as const;
export type CyclePhase = (typeof CYCLE_PHASES)[number];
export type PhaseSeconds = Record<CyclePhase, number>;

export class PhaseTimer {
  readonly seconds: PhaseSeconds = { refresh: 0, freshness: 0, collect: 0, series: 0, patterns: 0, decide: 0, publish: 0 };

  /** Runs `work`, adding its time to `phase` whether it succeeds or throws. */
  async time<T>(phase: CyclePhase, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.seconds[phase] += (performance.now() - started) / 1000;
    }
  }
}
