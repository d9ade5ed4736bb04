/**
 * A rollup family: one table of per-bucket sufficient statistics that a signal needs (calls and
 * errors per tool, a latency histogram, modal top-k lists, …). A signal declares its families;
 * the engine builds them from the source's relations bucket by bucket and the signal merges
 * them for any window.
 */
import type { Config } from '../config/shape.ts';
import type { QueryParams } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';

export interface RollupColumn {
  name: string;
  /** ClickHouse type of the stored column. */
  type: string;
}

/** The buckets one build covers: [fromMs, toMs), whole buckets of bucketMs. */
export interface BuildRange {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

export interface RollupFamily {
  /** Table name (a plain identifier); the rollup schema version is appended to it. */
  readonly name: string;
  /** Columns besides the ones every family has: source, generation, bucket. */
  readonly columns: readonly RollupColumn[];
  /** Sort key after (source, bucket). */
  readonly key: readonly string[];
  /**
   * A condition beyond "a signal that declares it is enabled" for the family to be built (the
   * dataset families need an eval set to compare with).
   */
  onlyWhen?(config: Config): boolean;
  /**
   * How far past a bucket's end its rows read spans: a trace that starts in the bucket may run
   * on. 0 for facts of single spans. A bucket stays open this much longer.
   */
  reach(config: Config, source: TraceSource): number;
  /**
   * The longest chunk one build may cover, when shorter than `rollups.backfillChunk`: a family
   * that groups whole traces holds every trace of its chunk in memory at once.
   */
  readonly maxChunkMs?: number;
  /**
   * A SELECT returning `bucket Int64` (the bucket's start, ms since the epoch) and the columns,
   * for the buckets of `range`, built on the source's relations; with every parameter it needs.
   */
  build(source: TraceSource, config: Config, range: BuildRange): { sql: string; params: QueryParams };
}

/**
 * A family as the engine plans it, from the signals that declare it (src/signals/catalogue.ts):
 * whether a cycle under this config reads it, and how far back from the current window's end.
 */
export interface PlannedFamily extends RollupFamily {
  needed(config: Config): boolean;
  horizon(config: Config): number;
}

/** The bucket a relation row's `ts` falls in (ms). */
export const BUCKET_OF_TS = `intDiv(toUnixTimestamp64Milli(toDateTime64(ts, 3)), {bucketMs:Int64}) * {bucketMs:Int64}`;

/** The relation's own time-range parameters for a build over exactly `range`. */
export const rangeParams = (range: BuildRange, beforeMs = 0, afterMs = 0) => ({
  fromMs: range.fromMs - beforeMs,
  toMs: range.toMs + afterMs,
  bucketFromMs: range.fromMs,
  bucketToMs: range.toMs,
  bucketMs: range.bucketMs,
});

/**
 * SQL conditions for examples that only one window's verdict shows: a current window's failing
 * traces, a baseline's passing ones. Collecting them over the other window (seven days of buckets
 * for a baseline) only to drop them was most of a merge's work.
 */
export const IN_CURRENT = 'bucket >= {currentFromMs:Int64}';
export const IN_BASELINE = 'bucket < {currentFromMs:Int64}';

/** SQL: merged example trace ids, the `n` smallest of every bucket's smallest (the same as over raw rows). */
export const mergedExamples = (column: string, n: number, condition?: string) =>
  condition
    ? `arraySlice(arraySort(arrayDistinct(arrayFlatten(groupArrayIf(${column}, ${condition})))), 1, ${n})`
    : `arraySlice(arraySort(arrayDistinct(arrayFlatten(groupArray(${column})))), 1, ${n})`;

/** Merged rows of the two windows (`cur` 1 or 0) paired per subject, in first-seen order. */
export function byWindow<R extends { cur: number }>(rows: readonly R[], subjectOf: (r: R) => string): { subject: string; c?: R; b?: R }[] {
  const out = new Map<string, { subject: string; c?: R; b?: R }>();
  for (const r of rows) {
    const subject = subjectOf(r);
    const pair = out.get(subject) ?? { subject };
    if (Number(r.cur) === 1) pair.c = r;
    else pair.b = r;
    out.set(subject, pair);
  }
  return [...out.values()];
}
