/** One evaluation cycle: every enabled signal collects and evaluates alone; a failure stays its own. */
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import { tagged, type Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Signal } from '../signals/types.ts';
import { isTested, wouldDrift, type Judgement, type SignalResult } from '../core/verdict.ts';
import { fastWindows, withFastPath } from './fast-path.ts';
import { failed, noData } from '../core/unjudged.ts';
import { computeWindows, type Windows } from '../core/windows.ts';
import { decide } from './decide.ts';
import { attributeModes } from './attribution.ts';
import type { RefreshStats, RollupEngine, RollupReader } from '../rollups/engine.ts';
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
  /**
   * Whether each source's non-finite durations and scores are counted (default): a warning and a
   * metric for the operator. A backtest leaves them out: it publishes no metric, and the count
   * reads the current window's raw spans every replayed cycle.
   */
  nonFinite?: boolean;
}

/**
 * Runs every enabled signal as of `at` and assembles the report, in named stages: bring the
 * rollups up to date, check each source still receives spans, judge (each signal collects,
 * evaluates and reads the series of what would drift), decide (src/engine/decide.ts, once for the
 * whole cycle), describe the drifts (failure patterns, explanations) and name their drift modes.
 */
export async function runCycle(deps: CycleDeps, at: Date): Promise<CycleOutcome> {
  const { config, store } = deps;
  const windows = computeWindows(at, config.windows, config.rollups.bucket);
  const errors: Report['errors'] = [];
  const timer = new PhaseTimer();
  const down = await store.check();
  const sourceUp = down === null;
  if (down) errors.push({ message: `trace source is not answering: ${down.message}` });
  const { refreshes, rollupFailure } = sourceUp && deps.refresh !== false ? await refreshRollups(deps, windows, timer) : { refreshes: [], rollupFailure: new Map<ScopedSource, string>() };
  // A source whose current window has no (or far too few) spans is judged by no signal.
  const freshness = sourceUp ? await timer.time('freshness', () => checkSources(deps, windows, at, rollupFailure)) : [];
  const stage: JudgeStage = {
    windows,
    stalled: new Map(freshness.flatMap((f) => (f.freshness.stalled ? [[f.scoped, f.freshness] as const] : []))),
    thin: new Map(freshness.flatMap((f) => (f.freshness.thinBaseline ? [[f.scoped, f.freshness] as const] : []))),
    rollupFailure,
    down,
    // One reader per source: it hashes every family's definition, the same for every signal.
    readers: new Map(deps.rollups ? deps.sources.map((scoped) => [scoped, deps.rollups!.reader(scoped.source, config)] as const) : []),
    families: familiesOf(deps.signals),
    timer,
    errors,
  };
  const enabled = deps.signals.filter((s) => s.enabled(config));
  const seconds = new Map<Signal<never>, number>();
  const spent = async <T>(signal: Signal<never>, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      seconds.set(signal, (seconds.get(signal) ?? 0) + (performance.now() - t) / 1000);
    }
  };

  const judged: Judged[] = [];
  for (const signal of enabled) for (const scoped of deps.sources) judged.push(await spent(signal, () => judge(deps, stage, signal, scoped)));
  const decided = await timer.time('decide', () => decide(judged.flatMap((j) => j.verdicts)));
  const described: SignalResult[] = [];
  let offset = 0;
  for (const j of judged) {
    const mine = decided.slice(offset, offset + j.verdicts.length);
    offset += j.verdicts.length;
    const verdicts = await spent(j.signal, () => describeDrifts(deps, j, mine, decided, timer));
    described.push(...verdicts.map((r) => ({ ...r, subject: { ...j.scoped.scope, ...r.subject } })));
  }
  const results = await timer.time('decide', () => attributeModes(deps.signals, described));
  const runs: SignalRun[] = enabled.map((signal) => {
    const mine = judged.filter((j) => j.signal === signal);
    const statuses = mine.flatMap((j) => j.verdicts.map((v) => v.status));
    const outcome = mine.some((j) => j.failed) ? 'error' : statuses.every((s) => s === 'no_data') ? 'no_data' : 'ok';
    return { signal: signal.name, seconds: seconds.get(signal) ?? 0, outcome };
  });
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
 * Rollups first: a source whose rollups could not be brought up to date is read by no signal
 * (stale buckets would look like a quiet window).
 */
async function refreshRollups(deps: CycleDeps, windows: Windows, timer: PhaseTimer) {
  const refreshes: RefreshStats[] = [];
  const rollupFailure = new Map<ScopedSource, string>();
  const engine = deps.rollups;
  if (!engine) return { refreshes, rollupFailure };
  const families = deps.signals.filter((s) => s.enabled(deps.config)).flatMap((s) => s.rollups.map((f) => f.name));
  for (const scoped of deps.sources) {
    try {
      refreshes.push(await timer.time('refresh', () => engine.refresh(scoped.source, deps.config, windows.current.to, windows.current.to, deps.now?.() ?? new Date(), families)));
    } catch (err) {
      const message = `rollups could not be brought up to date: ${err instanceof Error ? err.message : String(err)}`;
      deps.log.error({ scope: scoped.scope, err }, 'rollup refresh failed');
      rollupFailure.set(scoped, message);
    }
  }
  return { refreshes, rollupFailure };
}

/** A signal's decided verdicts on one source, its drifts given their failure patterns and explanations. */
async function describeDrifts(deps: CycleDeps, j: Judged, verdicts: SignalResult[], cycle: readonly SignalResult[], timer: PhaseTimer): Promise<SignalResult[]> {
  const ctx = j.ctx;
  if (!ctx || deps.patterns === false || !verdicts.some((r) => r.status === 'drift')) return verdicts;
  return timer.time('patterns', async () => explained(j.signal, await withPatterns(j.signal, verdicts, ctx, deps.log), ctx, cycle, deps.log));
}

/** What one signal said about one source before the cycle decides, and what reads its drifts' details. */
interface Judged {
  signal: Signal<never>;
  scoped: ScopedSource;
  verdicts: Judgement[];
  /** How the signal read this source (absent when it could not run). */
  ctx?: CollectContext;
  failed: boolean;
}

/** What the judge stage shares across signals: the windows, each source's state and the readers. */
interface JudgeStage {
  windows: Windows;
  stalled: ReadonlyMap<ScopedSource, Freshness>;
  thin: ReadonlyMap<ScopedSource, Freshness>;
  rollupFailure: ReadonlyMap<ScopedSource, string>;
  down: Error | null;
  readers: ReadonlyMap<ScopedSource, RollupReader>;
  families: ReturnType<typeof familiesOf>;
  timer: PhaseTimer;
  errors: Report['errors'];
}

/**
 * One signal on one source: it collects and evaluates, and reads the series of what would drift
 * (seasonal comparison, onset). A failure is the signal's own: an error verdict, the rest runs on.
 */
async function judge(deps: CycleDeps, stage: JudgeStage, signal: Signal<never>, scoped: ScopedSource): Promise<Judged> {
  const { config, store, log } = deps;
  const { windows, timer, down } = stage;
  const { source, scope } = scoped;
  const stall = signal.ownWindows ? undefined : stage.stalled.get(scoped);
  if (stall) return { signal, scoped, verdicts: [stalledResult(signal, stall)], failed: false };
  const thinBaseline = signal.ownWindows ? undefined : stage.thin.get(scoped);
  try {
    if (down) throw new Error(`trace source is not answering: ${down.message}`);
    const failure = stage.rollupFailure.get(scoped);
    if (failure) throw new Error(failure);
    const comment = `driftwatch cycle ${windows.current.to.toISOString()} signal ${signal.name}`;
    const prefix = `driftwatch-${signal.name}`;
    const reader = stage.readers.get(scoped);
    const rollups = reader ? { ...reader, store: tagged(reader.store, comment, prefix) } : undefined;
    const ctx: CollectContext = { store: tagged(store, comment, prefix), source, windows, config, rollups };
    let verdicts = await timer.time('collect', async () => signal.evaluate(await signal.collect(ctx), config, windows));
    // The short window beside the hour, for signals with a bucketed series, from the rollups (a
    // raw-scan run would read its spans again); signals with windows of their own keep theirs.
    const fast = config.windows.fast;
    if (fast.enabled && rollups && signal.hourly && !signal.ownWindows && verdicts.some((v) => isTested(v) && !wouldDrift(v))) {
      const short = fastWindows(windows, fast.current);
      const quick = await timer.time('collect', async () => signal.evaluate(await signal.collect({ ...ctx, windows: short }), config, short));
      const fixedReference = new Set(signal.facets.filter((f) => f.fixedReference).map((f) => f.name));
      verdicts = withFastPath(verdicts, quick, short, fast.alphaShare, fixedReference);
    }
    // A thin baseline still runs the signal, so a broken eval set or query is reported, but judges nothing.
    if (thinBaseline) verdicts = verdicts.map((r) => (r.status === 'no_data' ? r : notJudgedYet(r, thinBaseline)));
    // The seasonal check and the onset read the same series with rollups or without: without,
    // the families are built from raw spans over the series' grid, for verdicts that would drift only.
    const readerFor: SeriesReader = rollups ? () => rollups : (grid) => rawReader(ctx.store, source, config, stage.families, grid);
    const tested = verdicts;
    verdicts = await timer.time('series', () => judgeWithSeries(signal, readerFor, windows, config, tested, { describe: rollups ? deps.series !== false : false, log }));
    return { signal, scoped, verdicts, ctx, failed: false };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!down) log.error({ signal: signal.name, scope, err }, 'signal run failed');
    stage.errors.push({ signal: signal.name, message: Object.keys(scope).length > 0 ? `${Object.values(scope).join('/')}: ${message}` : message });
    return { signal, scoped, verdicts: [failed(about(signal), message)], failed: true };
  }
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
      const nonFinite = deps.nonFinite === false ? null : await countNonFinite(store, scoped.source, windows, log);
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

/** What names a signal's verdict when it judged nothing at all (it failed, or its source received no spans). */
const about = (signal: Signal<never>) => ({ signal: signal.name, driftMode: signal.driftMode, layer: signal.layer, subject: {} });

function stalledResult(signal: Signal<never>, f: Freshness): SignalResult {
  return noData(about(signal), `${signal.name}: ${f.stalled}`, {
    reason: 'stalled',
    spansInCurrentWindow: f.current,
    usualSpans: f.usual,
    newestSpan: f.newest?.toISOString() ?? null,
  });
}

/** A signal's verdict on a baseline too thin to compare with: what it measured, not judged. */
function notJudgedYet(r: Judgement, f: Freshness): SignalResult {
  return noData(r, `${r.message}; not judging yet: ${f.thinBaseline}`, {
    reason: 'thin_baseline',
    baselineHoursWithSpans: f.baselineHours.withSpans,
    baselineHours: f.baselineHours.total,
  });
}

/** A signal's explanation of its drifting verdicts; a failure costs the explanation, never the verdict. */
async function explained(signal: Signal<never>, verdicts: SignalResult[], ctx: CollectContext, cycle: readonly SignalResult[], log: Logger): Promise<SignalResult[]> {
  if (!signal.explain || !verdicts.some((r) => r.status === 'drift')) return verdicts;
  try {
    return await signal.explain(verdicts, ctx, cycle);
  } catch (err) {
    log.warn({ signal: signal.name, err }, 'drifting verdicts could not be explained this cycle');
    const message = err instanceof Error ? err.message : String(err);
    return verdicts.map((r) => (r.status === 'drift' ? { ...r, evidence: { ...r.evidence, explainError: message } } : r));
  }
}
