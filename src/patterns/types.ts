/** What a signal tells the pattern step: which traces its drifting verdict is about, and how to group them. */
import type { QueryParams, Store } from '../clickhouse/store.ts';
import type { Config } from '../config/shape.ts';
import type { Range, Windows } from '../core/windows.ts';
import type { CollectContext } from '../rollups/context.ts';
import type { SignalResult } from '../core/verdict.ts';
import type { RollupReader } from '../rollups/engine.ts';
import type { SignatureCount } from './group.ts';

/**
 * The affected traces of one verdict in one time range: a SELECT over the source's relations of
 * `trace_id String`, `signature String` and `text String`, for [{fromMs}, {toMs}), ordered by
 * `cityHash64(trace_id)` (the same sample for the same range) and at most {maxTraces:UInt32} rows.
 */
export interface AffectedQuery {
  sql: string;
  params: QueryParams;
  /** `signature`: exact signatures are the patterns; `text`: texts are clustered. */
  by: 'signature' | 'text';
  /** Where to run it, when not on the trace store (stored judgements on the rollup store). */
  store?: Store;
  /**
   * Parameters for the baseline's ranges in place of `params`, read only when the current window
   * has affected traces (the baseline's affected traces cost a read of their own to name).
   */
  baselineParams?: () => Promise<QueryParams>;
}

/** The time ranges sampled: the verdict's current window, and hours of the baseline like it. */
export interface SampledRanges {
  current: Range;
  baseline: Range[];
}

export interface PatternSpec {
  /** The query of a drifting verdict's affected traces; null when this verdict has none to group. */
  affected(verdict: SignalResult, ctx: CollectContext): AffectedQuery | null | Promise<AffectedQuery | null>;
  /**
   * With rollups, exact counts per signature over the whole current window and baseline, merged
   * from buckets (no span is read); null when this verdict has none, and the query is used.
   */
  counted?(verdict: SignalResult, ctx: CollectContext & { rollups: RollupReader }): Promise<SignatureCount[] | null> | null;
  /** Ranges other than the global windows' (a signal with windows of its own). */
  ranges?(windows: Windows, config: Config): SampledRanges;
}
