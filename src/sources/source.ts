/**
 * A trace source answers, in ClickHouse SQL, the questions signals ask ("which tool calls
 * happened between two times"), so a signal never learns a table layout of its own.
 */

import type { ColumnKind } from '../clickhouse/column-types.ts';
import type { TraceConventions } from '../config/shape.ts';
import type { QueryParams } from '../clickhouse/store.ts';

/** How query texts are normalized before hashing, so the same question matches across windows. */
export interface QueryNormalization {
  lowercase: boolean;
  foldWhitespace: boolean;
}

export interface TraceSource {
  readonly schema: string;
  /** How these traces are written (`traces.conventions`): bound into `params` for every query. */
  readonly conventions: TraceConventions;
  /** Names what this source reads (schema, tables, project): rollups are kept apart per source. */
  readonly id: string;
  /** The tables this source reads and the columns each must have, with their kind; checked at startup. */
  readonly requiredColumns: ReadonlyMap<string, Readonly<Record<string, ColumnKind>>>;
  /**
   * Tables worth naming at start-up when present, each with what driftwatch does with it (Langfuse's
   * newer events tables: not read; its dataset run items: their runs' scores are CI runs).
   */
  readonly optionalTables?: Readonly<Record<string, string>>;
  /**
   * A SELECT returning one row per tool call (`ts DateTime64`, `trace_id`, `parent_id`, `tool`,
   * `is_error UInt8`, `error_class String`, `duration_ms Float64`), for calls
   * starting in [{fromMs:Int64}, {toMs:Int64}) (milliseconds since the epoch).
   */
  toolCalls(): string;
  /**
   * One row per retrieval (retriever, reranker or vector-store span): `ts`, `trace_id`,
   * `retriever String`, `query_hash UInt64` (of the normalized query text; 0 when there is none)
   * and `doc_ids Array(String)` in rank order, and `id_source String` (which identity the ids are:
   * `id` keys, `metadata:<key>`, `output:<key>` JSON, `content` or `content:shared-keys` hashes;
   * '' without any), for spans in [{fromMs}, {toMs}). Takes {documentIdKeys:Array(String)}: the
   * metadata keys (or `+`-joined combinations) that may name a document, in order.
   */
  retrievals(normalization: QueryNormalization): string;
  /**
   * One row per judgement (a judge's or a human's verdict): `ts`, `trace_id`, `span_id` (of the
   * carrier), `target String` (the judged span id, or `trace:<id>` for a trace-level verdict),
   * `rubric String`, `annotator String` (HUMAN, LLM, CODE, …), `identifier String` (who judged),
   * `label String`, `score Nullable(Float64)` (never ±inf or NaN: such judgements are left out) and
   * `environment String` (where the judged trace ran: `ci` for an eval run; '' when not recorded),
   * for carriers in [{fromMs}, {toMs}). Takes the
   * parameter {humanServices:Array(String)} for conventions with no annotator kind.
   */
  judgements(): string;
  /**
   * Every span of the traces with a root in [{fromMs}, {toMs}) (spans up to {lateMs:Int64} ms
   * after it are included): `ts`, `trace_id`, `is_root UInt8`, `kind String` (lower-case span
   * kind, '' when unknown), `tool String` (tools only), `is_error UInt8`, `agent String` (roots).
   */
  traceSpans(): string;
  /**
   * One row per trace root in [{fromMs}, {toMs}): `ts`, `trace_id`, `agent String`,
   * `service String`, `session String`, `input String` (the user's input) and `intent String`
   * (the {intentKey:String} field of the root's `metadata` JSON, '' when absent).
   */
  traceRoots(): string;
  /**
   * One row per LLM call (or prompt-template span) with a known prompt: `ts`, `trace_id`, `prompt
   * String`, `version String`. Takes {promptVersionKeys:Array(String)} and
   * {promptNameKeys:Array(String)}: metadata keys that hold a version or name.
   */
  promptUses(): string;
  /**
   * Per bucket of {bucketMs:Int64} ms, of the rows stored in [{fromMs}, {toMs}): `bucket Int64`
   * (its start, ms), `rows UInt64` and `checksum UInt64` (a sum of row hashes that changes when
   * a row is added, updated or deleted). Cheap: it reads no attributes. Rollups compare it with
   * what they were built from, to rebuild buckets that changed after they closed.
   */
  fingerprint(): string;
  /**
   * One row per span (observation) with only its start `ts`, for spans in [{fromMs}, {toMs}):
   * how much traffic there is, read without attributes (the freshness check).
   */
  activity(): string;
  /**
   * One row, `duration UInt64` and `score UInt64`: how many tool calls in [{fromMs}, {toMs}) have
   * a duration that is not a finite number (+inf, -inf, NaN in a Float64 column) and how many
   * judgements a score that is not. The relations above leave such rows out, so one bad span costs
   * itself, never a cycle; this counts what was left out.
   */
  nonFinite(): string;
  /** Query parameters the source's SQL needs besides the time range (regexes, names, its conventions). */
  readonly params: QueryParams;
}
