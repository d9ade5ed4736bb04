/**
 * Traffic as a stream of numbered draws: draw n happens at `from + n × every`, and everything
 * about it (which item, which branch) is a hash of n. A stream written up to T and continued
 * from T gives the same rows as one written in one go, so the running demo can append the
 * minute just past without writing anything twice or leaving a gap.
 */

export interface StreamSpan {
  /** The stream's first draw. */
  from: Date;
  /** Draws before this time (exclusive). */
  to: Date;
  /** Only draws from this time on (a continuation). */
  after?: Date;
  /** Milliseconds between draws. */
  everyMs: number;
}

export interface Draw {
  n: number;
  at: Date;
}

/** The draws of [after ?? from, to): n from ⌊(after − from) / every⌋ to ⌊(to − from) / every⌋, as the SQL streams count. */
export function draws(s: StreamSpan): Draw[] {
  const from = s.from.getTime();
  const first = s.after ? Math.max(0, Math.floor((s.after.getTime() - from) / s.everyMs)) : 0;
  const end = Math.floor((s.to.getTime() - from) / s.everyMs);
  const out: Draw[] = [];
  for (let n = first; n < end; n++) out.push({ n, at: new Date(from + n * s.everyMs) });
  return out;
}

/** A uniform number in [0, 1) for draw n and a salt: the same for the same pair, every run. */
export function unit(n: number, salt: number): number {
  // murmur3's finaliser over n mixed with the salt: cheap, and consecutive n come out unrelated.
  let h = Math.imul(n ^ Math.imul(salt + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** One item of `pool` for draw n. */
export function pick<T>(pool: readonly T[], n: number, salt: number): T {
  return pool[Math.floor(unit(n, salt) * pool.length)]!;
}

/** A row of `otel_traces` as the Collector's ClickHouse exporter writes it (the columns the demo sets). */
export interface SpanRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  SpanAttributes: Record<string, string>;
  Duration: number;
  StatusCode: 'Ok' | 'Error';
  StatusMessage: string;
}

export function spanRow(s: {
  at: Date;
  traceId: string;
  spanId: string;
  parent?: string;
  name: string;
  service: string;
  attributes: Record<string, string>;
  durationMs: number;
  error?: string;
}): SpanRow {
  return {
    Timestamp: s.at.toISOString(),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parent ?? '',
    SpanName: s.name,
    SpanKind: s.parent ? 'Internal' : 'Server',
    ServiceName: s.service,
    SpanAttributes: s.attributes,
    Duration: s.durationMs * 1_000_000,
    StatusCode: s.error === undefined ? 'Ok' : 'Error',
    StatusMessage: s.error ?? '',
  };
}
