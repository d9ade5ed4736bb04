/**
 * Production traffic against the eval set, in ClickHouse: intents per window, or (without
 * intents) for a deterministic sample of inputs per window the n-gram distance to the nearest
 * eval input, the eval inputs arriving as one array parameter.
 */
import type { TraceSource } from '../../sources/source.ts';

export interface IntentRow {
  cur: number;
  intent: string;
  n: number;
  examples: string[];
}

export const intentsSql = (source: TraceSource) => `
    SELECT ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur, intent, count() AS n, groupArraySorted(5)(trace_id) AS examples
    FROM (${source.traceRoots()})
    WHERE intent != ''
    GROUP BY cur, intent`;

/** An input `text`'s n-gram distance to its nearest eval input (the eval inputs as {evalInputs:Array(String)}). */
export const NEAREST_EVAL_DISTANCE = `arrayMin(arrayMap(e -> ngramDistanceUTF8(text, e), {evalInputs:Array(String)}))`;

export interface NoveltyRow {
  cur: number;
  n: number;
  novel: number;
  examples: string[];
}

export const noveltySql = (source: TraceSource) => `
    SELECT cur, count() AS n, countIf(distance > {noveltyDistance:Float64}) AS novel,
           arraySlice(arrayMap(x -> x.2, arraySort(x -> -x.1, groupArrayIf((distance, trace_id), cur AND distance > {noveltyDistance:Float64}))), 1, 10) AS examples
    FROM (
      SELECT cur, trace_id, ${NEAREST_EVAL_DISTANCE} AS distance
      FROM (
        SELECT ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur, trace_id, lowerUTF8(left(input, 1000)) AS text
        FROM (${source.traceRoots()})
        WHERE input != ''
        ORDER BY cityHash64(trace_id)
        LIMIT {maxInputs:UInt32} BY cur))
    GROUP BY cur`;
