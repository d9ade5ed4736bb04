/** The interface every drift signal implements, and the report entries they produce. */
import type { Config } from '../config/schema.ts';
import type { Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Windows } from '../engine/windows.ts';
import type { RollupReader } from '../rollups/engine.ts';
import type { RollupFamily } from '../rollups/family.ts';
import type { SeriesGrid } from '../engine/series.ts';
import type { Direction } from '../stats/seasonal.ts';
import type { PatternSpec } from '../patterns/types.ts';
import type { Pattern, PatternSummary } from '../patterns/group.ts';

export type { Pattern };
/** `evidence.patternSample`: how a verdict's patterns were found. */
export type PatternSample = Omit<PatternSummary, 'patterns'> & {
  /** The range the current window's affected traces were sampled from. */
  window: { from: string; to: string };
  /** `same-hours`: the current window's clock hours on each baseline day; `whole`: the whole baseline (affected traces were rare there, or the signal's own windows). */
  baselineScope: 'same-hours' | 'whole';
};

import { DRIFT_MODES, LAYERS } from './modes.ts';

export { DRIFT_MODES, LAYERS };
export type DriftMode = (typeof DRIFT_MODES)[number];
export type Layer = (typeof LAYERS)[number];

export type Status = 'ok' | 'drift' | 'no_data' | 'error';

/** One verdict: a signal about one subject in one cycle. This is an entry of the public JSON report. */
export interface SignalResult {
  signal: string;
  driftMode: DriftMode;
  layer: Layer;
  subject: Record<string, string>;
  status: Status;
  value: number | null;
  baseline: number | null;
  samples: { current: number; baseline: number };
  pValue: number | null;
  evidence: Evidence;
  message: string;
}

/** What backs a verdict; `traceIds` are examples from the current window (at most 10). */
export interface Evidence {
  traceIds: string[];
  /** Baseline traces in which the same thing passed (a tool call that succeeded), to compare side by side. */
  passingTraceIds?: string[];
  test?: string;
  /** Significance level the p-value is held to, after Benjamini–Hochberg across the cycle. */
  alpha?: number;
  pValueAdjusted?: number;
  unit?: 'ratio' | 'score' | 'ms' | 'count';
  /** Human-readable lines that alerts list under "Evidence" (moved queries, new error classes). */
  details?: string[];
  /** The value hour by hour over baseline and current window (signals that have one). */
  hourly?: { from: string; values: (number | null)[] };
  /** For a drifting verdict: its affected traces grouped into patterns, largest first. */
  patterns?: Pattern[];
  /** How those patterns were found: method, traces sampled in each window, the ones left in no pattern. */
  patternSample?: PatternSample;
  /** For a drifting verdict with a series: when the change began (95% interval; hourly, refined to rollup buckets). */
  onset?: { at: string; earliest: string; latest: string; stepMinutes: number; method: string };
  [key: string]: unknown;
}

/** What a signal may use to collect its rows: the store, how traces are laid out, the windows. */
export interface CollectContext {
  store: Store;
  source: TraceSource;
  windows: Windows;
  config: Config;
  /**
   * The signal's rollups, up to date for `windows`: when present, `collect` merges their buckets;
   * when absent (rollups disabled, or a reference run in tests) it scans raw spans.
   */
  rollups?: RollupReader;
}

/** One hour's events out of trials, for a rate's hourly series. */
export interface HourCounts {
  events: number;
  trials: number;
}

/**
 * A verdict's value hour by hour, in the verdict's own unit, from the first hour of the baseline
 * to the end of the current window (`values[i]` is the hour starting `from` + i hours; null: no
 * data that hour). Rates also carry their counts, which the onset estimate weighs.
 */
export interface HourlySeries {
  from: string;
  values: (number | null)[];
  counts?: HourCounts[];
  /** For other values: observations behind each slot's value (calls, inputs). */
  samples?: number[];
  /** Which way the value moves when the verdict drifts (the seasonal check tests that way). */
  direction?: Direction;
}

/**
 * A drift signal: a query that returns a small aggregate (never raw spans) and a pure
 * `evaluate` that turns it into verdicts.
 */
export interface Signal<Rows = unknown> {
  /** Stable name of the signal module, used in logs and metrics (`tool-api`). */
  readonly name: string;
  readonly driftMode: DriftMode;
  readonly layer: Layer;
  enabled(config: Config): boolean;
  /**
   * The signal compares windows of its own (days, not the cycle's hour), so a current hour without
   * spans says nothing about it: it runs even when the source looks stalled.
   */
  readonly ownWindows?: boolean;
  /** The bucket statistics the signal merges per window (built and refreshed by the rollup engine). */
  readonly rollups: readonly RollupFamily[];
  /** The rows `evaluate` takes: merged from the rollups, or scanned from raw spans without them. */
  collect(ctx: CollectContext): Promise<Rows>;
  evaluate(rows: Rows, config: Config, windows: Windows): SignalResult[];
  /**
   * The series behind these verdicts on `grid` (hourly, or rollup buckets around an onset),
   * merged from the rollups and keyed by `seriesKey`. It backs the seasonal check of a drifting
   * verdict, its onset and the picture people see. Signals whose value has no hourly meaning (κ
   * over weeks of labels, RBO of queries repeated across windows) leave it out.
   */
  hourly?(reader: RollupReader, grid: SeriesGrid, config: Config, verdicts: readonly SignalResult[]): Promise<Map<string, HourlySeries>>;
  /** Which traces a drifting verdict is about, grouped into patterns (`evidence.patterns`). */
  readonly patterns?: PatternSpec;
}

/** Which verdict a series belongs to: its signal and subject. */
export const seriesKey = (r: Pick<SignalResult, 'signal' | 'subject'>): string => `${r.signal}|${JSON.stringify(r.subject)}`;
