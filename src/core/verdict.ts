/**
 * A verdict: what one signal says about one subject in one cycle, with the evidence behind it.
 * These are the entries of the public `once --json` report.
 */
import type { DRIFT_MODES, LAYERS } from './modes.ts';

export interface Pattern {
  /** Short name: the signature, or the terms that set the cluster apart. */
  name: string;
  size: number;
  /** Share of the current window's affected traces. */
  share: number;
  /** Share of the baseline's affected traces that fall in the same pattern (0: new). */
  baselineShare: number;
  /** Representative traces (the most typical first). */
  traceIds: string[];
}

export interface PatternSummary {
  method: 'signature' | 'hdbscan';
  /** Affected traces sampled in the current window, and in the baseline's sampled hours (not read, 0, when the current window has none). */
  affected: number;
  baselineAffected: number;
  /** Affected traces in no pattern: HDBSCAN's noise, or signatures shared by too few traces. */
  unclustered: number;
  patterns: Pattern[];
}

/** `evidence.patternSample`: how a verdict's patterns were found. */
export type PatternSample = Omit<PatternSummary, 'patterns'> & {
  /** The range the current window's affected traces were sampled from. */
  window: { from: string; to: string };
  /** `same-hours`: the current window's clock hours on each baseline day; `whole`: the whole baseline (affected traces were rare there, or the signal's own windows). */
  baselineScope: 'same-hours' | 'whole';
};

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

/** Which verdict a series belongs to: its signal and subject. */
export const seriesKey = (r: Pick<SignalResult, 'signal' | 'subject'>): string => `${r.signal}|${JSON.stringify(r.subject)}`;

/**
 * What a significance test found, before anything decides: a verdict that carries one is settled
 * by the decide stage alone (src/engine/decide.ts), after the seasonal check and the correction
 * across the cycle, so its status and message are written once.
 */
export interface Finding {
  /** The level its p-value is held to (the signal's `alpha`). */
  alpha: number;
  /** The practical test: `true` when the effect is large enough to matter, else why not, in a clause. */
  practical: true | string;
  /** What the change means, the clause a drifting verdict's message ends with. */
  meaning: string;
  /** Evidence only a drift carries (its example traces, what named its mode). */
  ifDrift?: Partial<Evidence>;
  /** The same-hours comparison, once the series stage made it: a second test the verdict must also pass. */
  seasonal?: { pValue: number; clause: string };
}

/** A verdict of a facet decided by a test, as `evaluate` returns it: measured and tested, not yet decided. */
export interface Tested extends Omit<SignalResult, 'status' | 'pValue'> {
  status: 'tested';
  pValue: number;
  /** The measurement alone; the decide stage adds the one clause that says why it drifts or not. */
  message: string;
  finding: Finding;
}

/** What `evaluate` returns: verdicts it settles itself (no data, novelty rules, reports) and tested ones. */
export type Judgement = SignalResult | Tested;

export const isTested = (j: Judgement): j is Tested => j.status === 'tested';

/**
 * Whether a tested verdict drifts on its own test and practical effect (and on the seasonal
 * check, once made): the verdicts whose series, seasonal check and onset are worth reading
 * before the cycle decides. The decide stage's correction across the cycle may still take it back.
 */
export const wouldDrift = (t: Pick<Tested, 'pValue' | 'finding'>): boolean =>
  t.finding.practical === true && t.pValue < t.finding.alpha && (t.finding.seasonal === undefined || t.finding.seasonal.pValue < t.finding.alpha);
