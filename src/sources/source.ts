/**
 * A trace source answers, in ClickHouse SQL, the questions signals ask ("which tool calls
 * happened between two times"), so a signal never learns a table layout of its own.
 */

/** Columns of the relation returned by `toolCalls()`. */
export interface ToolCallColumns {
  ts: 'DateTime64';
  trace_id: 'String';
  parent_id: 'String';
  tool: 'String';
  is_error: 'UInt8';
  error_class: 'String';
  duration_ms: 'Float64';
}

export interface TraceSource {
  readonly schema: string;
  /** The tables this source reads and the columns each must have; checked at startup. */
  readonly requiredColumns: ReadonlyMap<string, readonly string[]>;
  /**
   * A SELECT returning one row per tool call with the columns of ToolCallColumns, for calls
   * starting in [{fromMs:Int64}, {toMs:Int64}) (milliseconds since the epoch).
   */
  toolCalls(): string;
  /** Query parameters the source's SQL needs besides the time range (regexes, names). */
  readonly params: Record<string, string>;
}
