/**
 * The demo's synthetic week of agent traces, generated inside ClickHouse (INSERT … SELECT over
 * numbers(), deterministic hashes as randomness) so a week of spans takes seconds and no memory
 * in the daemon. One trace every 5 s: an AGENT root, an LLM step, one tool call and, after a
 * failure, often a retry. Conventions are mixed the way real fleets are: OpenInference for most
 * tools, GenAI semconv for `lookup_booking`, traceAI's `fi.span.kind` for `send_confirmation_email`.
 * From `driftFrom` on, the refund vendor's API changed: `refund_payment` fails one call in five
 * with a new `SchemaValidationError`, is retried, and gets slower.
 */
import type { Store } from '../clickhouse/store.ts';
import { otelTracesDdl } from './otel-ddl.ts';

export interface DemoWindow {
  /** First trace. */
  from: Date;
  /** Last trace (exclusive). */
  to: Date;
  /** Start of the injected tool-API drift; null for a stationary week. */
  driftFrom: Date | null;
  /** End of the injected drift (the vendor fixed it); it lasts to the end when unset. */
  driftTo?: Date;
  /** Seconds between traces. Default 5. */
  intervalSeconds?: number;
  /** Salt of the pseudo-random draws, so two stationary weeks differ. Default 0. */
  seed?: number;
}

const INSERT = (database: string, table: string) => `
INSERT INTO ${database}.${table}
  (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes, Duration, StatusCode, StatusMessage)
WITH
  {seed:UInt64} AS seed,
  (n, salt) -> (cityHash64(n, salt, seed) % 1000000) / 1000000.0 AS u,
  fromUnixTimestamp64Milli({fromMs:Int64} + n * {intervalMs:Int64}) AS t0,
  t0 >= fromUnixTimestamp64Milli({driftFromMs:Int64}) AND t0 < fromUnixTimestamp64Milli({driftToMs:Int64}) AS drifted,
  multiIf(u(n, 'tool') < 0.45, 'search_flights', u(n, 'tool') < 0.75, 'lookup_booking', u(n, 'tool') < 0.90, 'refund_payment', 'send_confirmation_email') AS tool,
  tool = 'refund_payment' AND drifted AS broken,
  u(n, 'fail') < if(broken, 0.22, 0.02) AS failed,
  failed AND u(n, 'retry') < if(broken, 0.9, 0.5) AS retried,
  lower(hex(cityHash64(n, 'trace', seed))) AS trace_id,
  (salt) -> lower(hex(cityHash64(n, salt, seed))) AS span_id,
  -- log-normal latency: Box-Muller over two hashed uniforms
  (salt, mu, sigma) -> exp(mu + sigma * sqrt(-2 * log(greatest(u(n, concat(salt, 'a')), 1e-9))) * cos(2 * pi() * u(n, concat(salt, 'b')))) AS lognormal,
  multiIf(tool = 'search_flights', 5.5, tool = 'lookup_booking', 4.5, tool = 'refund_payment', if(broken, 6.2, 5.6), 5.0) AS tool_mu
SELECT
  t0 + toIntervalMillisecond(multiIf(step = 0, 0, step = 1, 5, step = 2, 900, 2500)) AS Timestamp,
  trace_id AS TraceId,
  span_id(toString(step)) AS SpanId,
  if(step = 0, '', span_id('0')) AS ParentSpanId,
  multiIf(step = 0, 'agent.run', step = 1, 'chat gpt-4o', tool = 'lookup_booking', concat('execute_tool ', tool), tool) AS SpanName,
  if(step = 0, 'Server', 'Internal') AS SpanKind,
  'airline-agent' AS ServiceName,
  multiIf(
    step = 0, map('openinference.span.kind', 'AGENT', 'session.id', concat('s-', toString(intDiv(n, 3)))),
    step = 1, map('openinference.span.kind', 'LLM', 'llm.model_name', 'gpt-4o'),
    tool = 'lookup_booking', map('gen_ai.operation.name', 'execute_tool', 'gen_ai.tool.name', tool),
    tool = 'send_confirmation_email', map('fi.span.kind', 'TOOL', 'gen_ai.tool.name', tool),
    step = 2 AND failed AND broken, map('openinference.span.kind', 'TOOL', 'tool.name', tool, 'error.type', 'SchemaValidationError'),
    map('openinference.span.kind', 'TOOL', 'tool.name', tool)) AS SpanAttributes,
  toUInt64(1e6 * multiIf(step = 0, 3200, step = 1, 850, lognormal(toString(step), tool_mu, 0.35))) AS Duration,
  if(step = 2 AND failed, 'Error', 'Ok') AS StatusCode,
  if(step = 2 AND failed AND NOT broken,
     if(u(n, 'msg') < 0.5, concat('upstream timeout after ', toString(2900 + n % 300), ' ms (request ', span_id('r'), ')'), 'connection reset by peer'),
     '') AS StatusMessage
FROM (SELECT number AS n FROM numbers({traces:UInt64}))
ARRAY JOIN [0, 1, 2, 3] AS step
WHERE step < 3 OR retried`;

/** Creates the trace table if needed and fills it with the demo traffic between `from` and `to`. */
export async function generateDemoTraces(store: Store, table: string, w: DemoWindow): Promise<number> {
  await store.command(otelTracesDdl(store.database, table));
  const intervalMs = (w.intervalSeconds ?? 5) * 1000;
  const traces = Math.floor((w.to.getTime() - w.from.getTime()) / intervalMs);
  await store.command(INSERT(store.database, table), {
    fromMs: w.from.getTime(),
    intervalMs,
    driftFromMs: w.driftFrom ? w.driftFrom.getTime() : 8_640_000_000_000_000,
    driftToMs: w.driftTo ? w.driftTo.getTime() : 8_640_000_000_000_000,
    traces,
    seed: w.seed ?? 0,
  });
  return traces;
}
