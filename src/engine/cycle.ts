/** One evaluation cycle: every enabled signal collects and evaluates alone; a failure stays its own. */
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import { tagged, type Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Signal } from '../signals/types.ts';
import type { SignalResult } from '../core/verdict.ts';
import { computeWindows, type Windows } from '../core/windows.ts';
import { correctForMultipleTests } from './multiple-testing.ts';
import { attributeModes } from './attribution.ts';
import type { RefreshStats, RollupEngine } from '../rollups/engine.ts';
import { checkFreshness, manifestSpanCounter, rawSpanCounter, type Freshness } from './freshness.ts';
import { judgeWithSeries, type SeriesReader } from './verdict-series.ts';
import { rawReader } from '../rollups/raw-reader.ts';
import { familiesOf } from '../signals/index.ts';
import { withPatterns } from '../patterns/find.ts';
import { PhaseTimer, type PhaseSeconds } from './phases.ts';
import type { CollectContext } from '../rollups/context.ts';

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
  /** Seconds per phase of the cycle (publish is filled by whoever publishes it). */
  phases: PhaseSeconds;
  /** Set when the cycle's results could not be kept (alert state not saved): it counts as failed. */
  failed?: boolean;
  /** Why this cycle, though not a dry run, left the alert state as it was (an earlier time than the state's). */
  stateUnchanged?: string;
  /**
   * Per source: whether it still receives spans, and how many of the current window's spans were
   * left out for a number that is not finite (null when that count failed). Empty when the source
   * did not answer.
   */
  freshness: { scope: Record<string, string>; source: string; freshness: Freshness; nonFinite: NonFinite | null }[];
}

/** Whether a cycle judged anything: false when every verdict is an error or a stalled source's no_data. */
export function judgedAnything(report: Report): boolean {
  return report.signals.some((s) => s.status !== 'error' && !(s.status === 'no_data' && s.evidence.reason === 'stalled'));
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
  /**
   * Whether every verdict carries its hourly series (default). A backtest leaves them out: it
   * reads series only for drifting verdicts, whose seasonal check and onset need them.
   */
  series?: boolean;
  /**
   * Whether drifting verdicts get their failure patterns (default, when `patterns.enabled`). A
   * backtest leaves them out: it reports when things drifted, and would read raw spans per verdict.
   */
  patterns?: boolean;
}

/** Runs every enabled signal as of `at` and assembles the report. */
export async function runCycle(deps: CycleDeps, at: Date): Promise<CycleOutcome> {
  const { config, store, log } = deps;
  const windows = computeWindows(at, config.windows, config.rollups.bucket);
  const errors: Report['errors'] = [];
  const runs: SignalRun[] = [];
  const refreshes: RefreshStats[] = [];
  let results: SignalResult[] = [];
  const timer = new PhaseTimer();
  const down = await store.check();
  const sourceUp = down === null;
  if (down) errors.push({ message: `trace source is not answering: ${down.message}` });
  // Rollups first: a source whose rollups could not be brought up to date is read by no signal
  // (stale buckets would look like a quiet window).
  const rollupFailure = new Map<ScopedSource, string>();
  if (deps.rollups && sourceUp && deps.refresh !== false) {
    const families = deps.signals.filter((s) => s.enabled(config)).flatMap((s) => s.rollups.map((f) => f.name));
    for (const scoped of deps.sources) {
      try {
        const rollups = deps.rollups;
        refreshes.push(await timer.time('refresh', () => rollups.refresh(scoped.source, config, windows.current.to, windows.current.to, deps.now?.() ?? new Date(), families)));
      } catch (err) {
        const message = `rollups could not be brought up to date: ${err instanceof Error ? err.message : String(err)}`;
        log.error({ scope: scoped.scope, err }, 'rollup refresh failed');
        rollupFailure.set(scoped, message);
      }
    }
  }

  // A source whose current window has no (or far too few) spans is judged by no signal.
  const freshness = sourceUp ? await timer.time('freshness', () => checkSources(deps, windows, at, rollupFailure)) : [];
  const stalled = new Map(freshness.flatMap((f) => (f.freshness.stalled ? [[f.scoped, f.freshness] as const] : [])));
  const thin = new Map(freshness.flatMap((f) => (f.freshness.thinBaseline ? [[f.scoped, f.freshness] as const] : [])));

  // One reader per source: it hashes every family's definition, the same for every signal.
  const engine = deps.rollups;
  const readers = new Map(engine ? deps.sources.map((scoped) => [scoped, engine.reader(scoped.source, config)] as const) : []);
  const families = familiesOf(deps.signals);
  for (const signal of deps.signals) {
    if (!signal.enabled(config)) continue;
    const started = performance.now();
    let failed = false;
    const produced: SignalResult[] = [];
    for (const scoped of deps.sources) {
      const { source, scope } = scoped;
      const stall = signal.ownWindows ? undefined : stalled.get(scoped);
      if (stall) {
        produced.push({ ...stalledResult(signal, stall), subject: { ...scope } });
        continue;
      }
      const thinBaseline = signal.ownWindows ? undefined : thin.get(scoped);
      try {
        if (down) throw new Error(`trace source is not answering: ${down.message}`);
        const failure = rollupFailure.get(scoped);
        if (failure) throw new Error(failure);
        const comment = `driftwatch cycle ${windows.current.to.toISOString()} signal ${signal.name}`;
        const prefix = `driftwatch-${signal.name}`;
        const reader = readers.get(scoped);
        const rollups = reader ? { ...reader, store: tagged(reader.store, comment, prefix) } : undefined;
        const ctx = { store: tagged(store, comment, prefix), source, windows, config, rollups };
        let verdicts = await timer.time('collect', async () => signal.evaluate(await signal.collect(ctx), config, windows));
        // A thin baseline still runs the signal, so a broken eval set or query is reported, but judges nothing.
        if (thinBaseline) verdicts = verdicts.map((r) => (r.status === 'no_data' ? r : notJudgedYet(r, thinBaseline)));
        // The seasonal check and the onset read the same series with rollups or without: without,
        // the families are built from raw spans over the series' grid, for drifting verdicts only.
        const readerFor: SeriesReader = rollups ? () => rollups : (grid) => rawReader(ctx.store, source, config, families, grid);
        const judged = verdicts;
        verdicts = await timer.time('series', () => judgeWithSeries(signal, readerFor, windows, config, judged, { describe: rollups ? deps.series !== false : false, log }));
        if (deps.patterns !== false) {
          const decided = verdicts;
          verdicts = await timer.time('patterns', async () => explained(signal, await withPatterns(signal, decided, ctx, log), ctx, log));
        }
        produced.push(...verdicts.map((r) => ({ ...r, subject: { ...scope, ...r.subject } })));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (sourceUp) log.error({ signal: signal.name, scope, err }, 'signal run failed');
        errors.push({ signal: signal.name, message: Object.keys(scope).length > 0 ? `${Object.values(scope).join('/')}: ${message}` : message });
        produced.push({ ...errorResult(signal, message), subject: { ...scope } });
        failed = true;
      }
    }
    results.push(...produced);
    const outcome = failed ? 'error' : produced.length === 0 || produced.every((r) => r.status === 'no_data') ? 'no_data' : 'ok';
    runs.push({ signal: signal.name, seconds: (performance.now() - started) / 1000, outcome });
  }
  const collected = results;
  const decisions = new Map(deps.signals.flatMap((s) => s.facets.map((f) => [f.name, f.decision] as const)));
  results = await timer.time('decide', () =>
    attributeModes(
      deps.signals,
      correctForMultipleTests(collected, (signal) => decisions.get(signal)),
    ),
  );
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
    phases: timer.seconds,
    freshness: freshness.map(({ scope, source, freshness: f, nonFinite }) => ({ scope, source, freshness: f, nonFinite })),
  };
}

/**
 * Each source's freshness. With rollups up to date the counts come from their manifest (no trace
 * is read to count); otherwise from the trace table's start times in the compared hours.
 */
async function checkSources(deps: CycleDeps, windows: Windows, at: Date, rollupFailure: ReadonlyMap<ScopedSource, string>) {
  const { config, log } = deps;
  const store = tagged(deps.store, `driftwatch cycle ${windows.current.to.toISOString()} freshness`, 'driftwatch-freshness');
  const out: { scoped: ScopedSource; scope: Record<string, string>; source: string; freshness: Freshness; nonFinite: NonFinite | null }[] = [];
  for (const scoped of deps.sources) {
    try {
      const raw = rawSpanCounter(store, scoped.source);
      let counter = raw;
      if (deps.rollups && !rollupFailure.has(scoped)) {
        // The baseline holds every compared clock window (comparisonRanges stays inside it).
        const perBucket = await deps.rollups.spanCounts(scoped.source, windows.baseline.from.getTime(), windows.current.to.getTime());
        // No bucket at all: no family covers these hours (none needed, or empty history), so count raw.
        if (perBucket.size > 0) counter = manifestSpanCounter(perBucket, config.rollups.bucket, raw);
      }
      const f = await checkFreshness(counter, windows, at, config.windows.stalledBelow, config.windows.minBaselineCoverage);
      const nonFinite = await countNonFinite(store, scoped.source, windows, log);
      out.push({ scoped, scope: scoped.scope, source: scoped.source.id, freshness: f, nonFinite });
      if (f.stalled) log.warn({ scope: scoped.scope, spans: f.current, usual: f.usual, newest: f.newest }, `trace source stalled: ${f.stalled}`);
      else if (f.thinBaseline) log.info({ scope: scoped.scope, baselineHours: f.baselineHours }, `not judging yet: ${f.thinBaseline}`);
    } catch (err) {
      // Not knowing is not stalled: the signals run and report their own failures.
      log.error({ scope: scoped.scope, err }, 'freshness check failed');
    }
  }
  return out;
}

/** Spans (judgements, for scores) of the current window whose duration or score is not a finite number. */
export interface NonFinite {
  duration: number;
  score: number;
}

/**
 * Counts what the source's relations left out of the current window for a non-finite number, and
 * says so: the signals judged the rest, but an operator should know a producer writes such values.
 */
async function countNonFinite(store: Store, source: TraceSource, windows: Windows, log: Logger): Promise<NonFinite | null> {
  try {
    const [row] = await store.query<{ duration: number | string; score: number | string }>(source.nonFinite(), {
      ...source.params,
      fromMs: windows.current.from.getTime(),
      toMs: windows.current.to.getTime(),
      humanServices: [],
    });
    const counts = { duration: Number(row?.duration ?? 0), score: Number(row?.score ?? 0) };
    if (counts.duration + counts.score > 0)
      log.warn(
        { source: source.id, ...counts },
        `left out of the current window: ${counts.duration} tool calls whose duration and ${counts.score} judgements whose score is not a finite number (+inf, -inf or NaN)`,
      );
    return counts;
  } catch (err) {
    log.error({ source: source.id, err }, 'counting non-finite durations and scores failed');
    return null;
  }
}

/** A verdict that judged nothing: the signal failed, or its source received no spans. */
function emptyResult(signal: Signal<never>, status: 'error' | 'no_data', message: string, evidence: Record<string, unknown> = {}): SignalResult {
  return {
    signal: signal.name,
    driftMode: signal.driftMode,
    layer: signal.layer,
    subject: {},
    status,
    value: null,
    baseline: null,
    samples: { current: 0, baseline: 0 },
    pValue: null,
    evidence: { traceIds: [], ...evidence },
    message,
  };
}

function stalledResult(signal: Signal<never>, f: Freshness): SignalResult {
  return emptyResult(signal, 'no_data', `${signal.name}: ${f.stalled}`, {
    reason: 'stalled',
    spansInCurrentWindow: f.current,
    usualSpans: f.usual,
    newestSpan: f.newest?.toISOString() ?? null,
  });
}

function notJudgedYet(r: SignalResult, f: Freshness): SignalResult {
  return {
    ...r,
    status: 'no_data',
    pValue: null,
    evidence: { traceIds: [], reason: 'thin_baseline', baselineHoursWithSpans: f.baselineHours.withSpans, baselineHours: f.baselineHours.total },
    message: `${r.message}; not judging yet: ${f.thinBaseline}`,
  };
}

function errorResult(signal: Signal<never>, message: string): SignalResult {
  return emptyResult(signal, 'error', message);
}

/** A signal's explanation of its drifting verdicts; a failure costs the explanation, never the verdict. */
async function explained(signal: Signal<never>, verdicts: SignalResult[], ctx: CollectContext, log: Logger): Promise<SignalResult[]> {
  if (!signal.explain || !verdicts.some((r) => r.status === 'drift')) return verdicts;
  try {
    return await signal.explain(verdicts, ctx);
  } catch (err) {
    log.warn({ signal: signal.name, err }, 'drifting verdicts could not be explained this cycle');
    const message = err instanceof Error ? err.message : String(err);
    return verdicts.map((r) => (r.status === 'drift' ? { ...r, evidence: { ...r.evidence, explainError: message } } : r));
  }
}
