/** The contract every drift signal implements: what it watches, how it reads, how it judges. */
import type { Config, SignalSection } from '../config/shape.ts';
import type { Windows } from '../core/windows.ts';
import type { SeriesGrid, HourlySeries } from '../core/series.ts';
import type { DriftMode, Judgement, Layer, SignalResult } from '../core/verdict.ts';
import type { RollupReader } from '../rollups/engine.ts';
import type { RollupFamily } from '../rollups/family.ts';
import type { CollectContext } from '../rollups/context.ts';
import type { PatternSpec } from '../patterns/types.ts';
import type { DashboardRow, Facet } from '../core/facet.ts';

/**
 * A drift signal: a query that returns a small aggregate (never raw spans) and a pure
 * `evaluate` that turns it into verdicts: settled ones (no data, novelty rules, reports) and, for
 * facets decided by a test, what the test found, which the cycle's decide stage settles.
 */
export interface Signal<Rows = unknown> {
  /** Stable name of the signal module, used in logs and metrics (`tool-api`). */
  readonly name: string;
  readonly driftMode: DriftMode;
  readonly layer: Layer;
  /** Its section of the config file (`signals.<key>`), validated with the rest of the file. */
  readonly config: SignalSection;
  enabled(config: Config): boolean;
  /**
   * The signal compares windows of its own (days, not the cycle's hour), so a current hour without
   * spans says nothing about it: it runs even when the source looks stalled.
   */
  readonly ownWindows?: boolean;
  /**
   * How far back from the current window's end its windows reach (current + baseline of the
   * global windows, or of its own): the rollup families it declares are kept that far.
   */
  horizon(config: Config): number;
  /** The bucket statistics the signal merges per window (built and refreshed by the rollup engine). */
  readonly rollups: readonly RollupFamily[];
  /** The rows `evaluate` takes: merged from the rollups, or scanned from raw spans without them. */
  collect(ctx: CollectContext): Promise<Rows>;
  evaluate(rows: Rows, config: Config, windows: Windows): Judgement[];
  /**
   * The series behind these verdicts on `grid` (hourly, or rollup buckets around an onset),
   * merged from the rollups and keyed by `seriesKey`. It backs the seasonal check of a drifting
   * verdict, its onset and the picture people see. Signals whose value has no hourly meaning (κ
   * over weeks of labels, RBO of queries repeated across windows) leave it out.
   */
  hourly?(reader: RollupReader, grid: SeriesGrid, config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>>;
  /** Which traces a drifting verdict is about, grouped into patterns (`evidence.patterns`). */
  readonly patterns?: PatternSpec;
  /**
   * Reads what its drifting verdicts' alerts need beyond the decision (a falling rubric's scores
   * per intent), after the patterns; it never changes a status. A failure is logged and noted.
   * `cycle` is every verdict of the cycle as decided (every signal's, subjects not yet scoped), so
   * it reads only what the rest of the cycle can use.
   */
  explain?(verdicts: SignalResult[], ctx: CollectContext, cycle: readonly SignalResult[]): Promise<SignalResult[]>;
  /**
   * Names its drifting verdicts' drift mode from the rest of the cycle (an eval score falling
   * while retrieval moved is retrieval-corpus drift): its own verdicts and everyone else's, after
   * every verdict of the cycle is decided.
   */
  attribute?(mine: readonly SignalResult[], others: readonly SignalResult[]): SignalResult[];
  /** The kinds of verdict it produces: each one's label, unit and how it is decided. */
  readonly facets: readonly Facet[];
  /** Its row of the Grafana dashboard. */
  readonly dashboard: DashboardRow;
}

/** How far back the global windows reach (current + baseline): the horizon of most signals. */
export const globalWindowsHorizon = (c: Config): number => c.windows.current + c.windows.baseline;
