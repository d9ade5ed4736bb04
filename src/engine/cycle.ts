/** One evaluation cycle: every enabled signal collects and evaluates alone; a failure stays its own. */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { tagged, type Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Signal, SignalResult } from '../signals/types.ts';
import { computeWindows, type Windows } from './windows.ts';
import { correctForMultipleTests } from './multiple-testing.ts';
import type { RefreshStats, RollupEngine } from '../rollups/engine.ts';

/** The public JSON report of one cycle (`once --json`). */
export interface Report {
  evaluatedAt: string;
  windows: { current: { from: string; to: string }; baseline: { from: string; to: string } };
  signals: SignalResult[];
  errors: { signal?: string; message: string }[];
}

/** How each signal module ran, for the self-monitoring metrics. */
export interface SignalRun {
  signal: string;
  seconds: number;
  outcome: 'ok' | 'no_data' | 'error';
}

export interface CycleOutcome {
  report: Report;
  runs: SignalRun[];
  sourceUp: boolean;
  windows: Windows;
  /** What bringing the rollups up to date cost, per source (empty without rollups). */
  refreshes: RefreshStats[];
}

/**
 * A trace source and the scope it covers. A Langfuse source is one per project, and its scope
 * (`{project}`) is prepended to every subject, so one project's verdicts never mix with another's.
 */
export interface ScopedSource {
  source: TraceSource;
  scope: Record<string, string>;
}

export interface CycleDeps {
  config: Config;
  store: Store;
  sources: readonly ScopedSource[];
  signals: readonly Signal<never>[];
  log: Logger;
  /** Rollups to refresh and merge; null scans raw spans every cycle (`rollups.enabled: false`). */
  rollups: RollupEngine | null;
  /**
   * Whether this cycle brings the rollups up to date first (default). A backtest refreshes its
   * whole range once and then only merges.
   */
  refresh?: boolean;
  /** Wall-clock time, which decides which buckets are still open to late spans. */
  now?: () => Date;
}

/** Runs every enabled signal as of `at` and assembles the report. */
export async function runCycle(deps: CycleDeps, at: Date): Promise<CycleOutcome> {
  const { config, store, log } = deps;
  const windows = computeWindows(at, config.windows, config.rollups.bucket);
  const errors: Report['errors'] = [];
  const runs: SignalRun[] = [];
  const refreshes: RefreshStats[] = [];
  let results: SignalResult[] = [];
  const sourceUp = await store.ping();
  if (!sourceUp) errors.push({ message: `trace source ${store.target} is not answering` });
  // Rollups first: a source whose rollups could not be brought up to date is read by no signal
  // (stale buckets would look like a quiet window).
  const rollupFailure = new Map<ScopedSource, string>();
  if (deps.rollups && sourceUp && deps.refresh !== false) {
    const families = deps.signals.filter((s) => s.enabled(config)).flatMap((s) => s.rollups.map((f) => f.name));
    for (const scoped of deps.sources) {
      try {
        refreshes.push(await deps.rollups.refresh(scoped.source, config, windows.current.to, windows.current.to, deps.now?.() ?? new Date(), families));
      } catch (err) {
        const message = `rollups could not be brought up to date: ${err instanceof Error ? err.message : String(err)}`;
        log.error({ scope: scoped.scope, err: message }, 'rollup refresh failed');
        rollupFailure.set(scoped, message);
      }
    }
  }

  // One reader per source: it hashes every family's definition, the same for every signal.
  const engine = deps.rollups;
  const readers = new Map(engine ? deps.sources.map((scoped) => [scoped, engine.reader(scoped.source, config)] as const) : []);
  for (const signal of deps.signals) {
    if (!signal.enabled(config)) continue;
    const started = performance.now();
    let failed = false;
    const produced: SignalResult[] = [];
    for (const scoped of deps.sources) {
      const { source, scope } = scoped;
      try {
        if (!sourceUp) throw new Error(`trace source ${store.target} is not answering`);
        const failure = rollupFailure.get(scoped);
        if (failure) throw new Error(failure);
        const comment = `driftwatch cycle ${windows.current.to.toISOString()} signal ${signal.name}`;
        const prefix = `driftwatch-${signal.name}`;
        const reader = readers.get(scoped);
        const rollups = reader ? { ...reader, store: tagged(reader.store, comment, prefix) } : undefined;
        const rows = await signal.collect({ store: tagged(store, comment, prefix), source, windows, config, rollups });
        produced.push(...signal.evaluate(rows, config, windows).map((r) => ({ ...r, subject: { ...scope, ...r.subject } })));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (sourceUp) log.error({ signal: signal.name, scope, err: message }, 'signal run failed');
        errors.push({ signal: signal.name, message: Object.keys(scope).length > 0 ? `${Object.values(scope).join('/')}: ${message}` : message });
        produced.push({ ...errorResult(signal, message), subject: { ...scope } });
        failed = true;
      }
    }
    results.push(...produced);
    const outcome = failed ? 'error' : produced.length === 0 || produced.every((r) => r.status === 'no_data') ? 'no_data' : 'ok';
    runs.push({ signal: signal.name, seconds: (performance.now() - started) / 1000, outcome });
  }
  results = correctForMultipleTests(results);
  return {
    report: {
      evaluatedAt: new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString(),
      windows: {
        current: { from: windows.current.from.toISOString(), to: windows.current.to.toISOString() },
        baseline: { from: windows.baseline.from.toISOString(), to: windows.baseline.to.toISOString() },
      },
      signals: results,
      errors,
    },
    runs,
    sourceUp,
    windows,
    refreshes,
  };
}

function errorResult(signal: Signal<never>, message: string): SignalResult {
  return {
    signal: signal.name,
    driftMode: signal.driftMode,
    layer: signal.layer,
    subject: {},
    status: 'error',
    value: null,
    baseline: null,
    samples: { current: 0, baseline: 0 },
    pValue: null,
    evidence: { traceIds: [] },
    message,
  };
}
