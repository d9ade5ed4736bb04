/**
 * The demo's synthetic week of agent traces, generated inside ClickHouse (INSERT … SELECT over
 * numbers(), deterministic hashes as randomness) so a week of spans takes seconds and no memory
 * in the daemon. One trace every 5 s: an AGENT root, an LLM step, one tool call and, after a
 * failure, often a retry. Conventions are mixed the way real fleets are: OpenInference for most
 * tools, GenAI semconv for `lookup_booking`, traceAI's `fi.span.kind` for `send_confirmation_email`.
 * From `driftFrom` on, the refund vendor's API changed: `refund_payment` fails one call in five
 * with a new `SchemaValidationError`, is retried, and gets slower (and, with `scores`, the judge
 * scores its answers far lower).
 *
 * Options make harder weeks for the tests and the false-alarm report: a daily rhythm (busy hours
 * with twice the traffic, more non-Latin and longer user inputs, a slower and flakier
 * `lookup_booking`, and error rates that vary from hour to hour more than a coin would), a slow
 * ramp of `search_flights`' error rate, and a surge of traffic with the same mix.
 */
import type { Store } from '../clickhouse/store.ts';
import { otelTracesDdl } from './otel-ddl.ts';

export interface DemoWindow {
  /** First trace. */
  from: Date;
  /** Last trace (exclusive). */
  to: Date;
  /**
   * Write only the traffic from this time on: the same stream continued after an earlier call
   * with the same `from` wrote up to here (the demo keeps its week going while it runs). Every
   * draw keeps its own time, trace and session ids, so nothing is written twice or skipped.
   */
  after?: Date;
  /** Start of the injected tool-API drift; null for a stationary week. */
  driftFrom: Date | null;
  /** End of the injected drift (the vendor fixed it); it lasts to the end when unset. */
  driftTo?: Date;
  /** Seconds between traces. Default 5. */
  intervalSeconds?: number;
  /** Salt of the pseudo-random draws, so two stationary weeks differ. Default 0. */
  seed?: number;
  /** A daily rhythm: the UTC hours [from, to) are busy (see the module comment). */
  daily?: { peakFromHour: number; peakToHour: number };
  /**
   * User inputs on every root span (`input.value`): `peak` texts make up `peakShare` of the busy
   * hours' inputs and `offPeakShare` of the others; the rest are `usual` texts. From `shift.from`
   * on, `peak` texts make up `shift.share` at every hour (user-distribution drift).
   */
  inputs?: { usual: string[]; peak: string[]; peakShare: number; offPeakShare: number; shift?: { from: Date; share: number } };
  /** `search_flights`' error rate climbs linearly from 2% at `from` to `rate` at `to` (and stays). */
  ramp?: { from: Date; to: Date; rate: number };
  /** From `from` on, `factor` times the traffic with the same mix. */
  surge?: { from: Date; factor: number };
  /**
   * An LLM judge scores every LLM step on `rubric` (an OpenInference evaluation, 0–1, about 0.86);
   * while the refund vendor is broken its refund answers score about 0.35.
   */
  scores?: { rubric: string };
}

const INSERT = (database: string, table: string) => `
INSERT INTO ${database}.${table}
  (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes, Duration, StatusCode, StatusMessage)
WITH
  {seed:UInt64} AS seed,
  (n, salt) -> (cityHash64(n, salt, seed) % 1000000) / 1000000.0 AS u,
  fromUnixTimestamp64Milli({fromMs:Int64} + n * {intervalMs:Int64}) AS t0,
  t0 >= fromUnixTimestamp64Milli({driftFromMs:Int64}) AND t0 < fromUnixTimestamp64Milli({driftToMs:Int64}) AS drifted,
  toHour(t0) >= {peakFrom:UInt8} AND toHour(t0) < {peakTo:UInt8} AS peak,
  if(peak, 2, 1) * if(t0 >= fromUnixTimestamp64Milli({surgeFromMs:Int64}), {surgeFactor:Float64}, 1) AS volume,
  multiIf(u(n, 'tool') < 0.45, 'search_flights', u(n, 'tool') < 0.75, 'lookup_booking', u(n, 'tool') < 0.90, 'refund_payment', 'send_confirmation_email') AS tool,
  tool = 'refund_payment' AND drifted AS broken,
  -- Hour-to-hour variation of every error rate beyond the binomial (×0.6 … ×1.4), when bursty.
  if({bursty:UInt8} = 1, 0.6 + 0.8 * (cityHash64(intDiv(toUnixTimestamp(t0), 3600), tool, seed) % 1000) / 1000.0, 1) AS burst,
  least(greatest((toUnixTimestamp64Milli(t0) - {rampFromMs:Int64}) / greatest({rampToMs:Int64} - {rampFromMs:Int64}, 1), 0), 1) AS ramped,
  multiIf(broken, 0.22,
          tool = 'search_flights', 0.02 + ({rampRate:Float64} - 0.02) * ramped,
          tool = 'lookup_booking' AND peak, 0.06,
          0.02) AS fail_rate,
  u(n, 'fail') < if(broken, fail_rate, fail_rate * burst) AS failed,
  failed AND u(n, 'retry') < if(broken, 0.9, 0.5) AS retried,
  lower(hex(cityHash64(n, 'trace', seed))) AS trace_id,
  (salt) -> lower(hex(cityHash64(n, salt, seed))) AS span_id,
  -- log-normal latency: Box-Muller over two hashed uniforms
  (salt, mu, sigma) -> exp(mu + sigma * sqrt(-2 * log(greatest(u(n, concat(salt, 'a')), 1e-9))) * cos(2 * pi() * u(n, concat(salt, 'b')))) AS lognormal,
  multiIf(tool = 'search_flights', 5.5, tool = 'lookup_booking', if(peak, 4.97, 4.5), tool = 'refund_payment', if(broken, 6.2, 5.6), 5.0) AS tool_mu,
  if(u(n, 'script') < if(t0 >= fromUnixTimestamp64Milli({shiftFromMs:Int64}), {shiftShare:Float64}, if(peak, {peakShare:Float64}, {offPeakShare:Float64})),
     arrayElement({peakInputs:Array(String)}, 1 + cityHash64(n, 'input', seed) % length({peakInputs:Array(String)})),
     arrayElement({usualInputs:Array(String)}, 1 + cityHash64(n, 'input', seed) % length({usualInputs:Array(String)}))) AS input_text,
  map('openinference.span.kind', 'AGENT', 'session.id', concat('s-', toString(intDiv(n, 3)))) AS root_attributes,
  least(1, greatest(0, if(broken, 0.35, 0.86) + 0.24 * (u(n, 'score') - 0.5))) AS score,
  map('openinference.span.kind', 'LLM', 'llm.model_name', 'gpt-4o') AS llm_attributes
SELECT
  t0 + toIntervalMillisecond(multiIf(step = 0, 0, step = 1, 5, step = 2, 900, 2500)) AS Timestamp,
  trace_id AS TraceId,
  span_id(toString(step)) AS SpanId,
  if(step = 0, '', span_id('0')) AS ParentSpanId,
  multiIf(step = 0, 'agent.run', step = 1, 'chat gpt-4o', tool = 'lookup_booking', concat('execute_tool ', tool), tool) AS SpanName,
  if(step = 0, 'Server', 'Internal') AS SpanKind,
  'airline-agent' AS ServiceName,
  multiIf(
    step = 0, if({withInputs:UInt8} = 1, mapUpdate(root_attributes, map('input.value', input_text)), root_attributes),
    step = 1, if({withScores:UInt8} = 1,
                 mapUpdate(llm_attributes, map('evaluations.0.evaluation.name', {scoreRubric:String}, 'evaluations.0.evaluation.score', toString(round(score, 3)), 'evaluations.0.evaluation.annotator_kind', 'LLM')),
                 llm_attributes),
    tool = 'lookup_booking', map('gen_ai.operation.name', 'execute_tool', 'gen_ai.tool.name', tool),
    tool = 'send_confirmation_email', map('fi.span.kind', 'TOOL', 'gen_ai.tool.name', tool),
    step = 2 AND failed AND broken, map('openinference.span.kind', 'TOOL', 'tool.name', tool, 'error.type', 'SchemaValidationError'),
    map('openinference.span.kind', 'TOOL', 'tool.name', tool)) AS SpanAttributes,
  toUInt64(1e6 * multiIf(step = 0, 3200, step = 1, 850, lognormal(toString(step), tool_mu, 0.35))) AS Duration,
  if(step = 2 AND failed, 'Error', 'Ok') AS StatusCode,
  if(step = 2 AND failed AND NOT broken,
     if(u(n, 'msg') < 0.5, concat('upstream timeout after ', toString(2900 + n % 300), ' ms (request ', span_id('r'), ')'), 'connection reset by peer'),
     '') AS StatusMessage
FROM (SELECT number + {firstDraw:UInt64} AS n FROM numbers({traces:UInt64}))
ARRAY JOIN [0, 1, 2, 3] AS step
-- A session's three traces are kept or dropped together, so busier hours have more sessions, not longer ones.
WHERE (step < 3 OR retried) AND u(intDiv(n, 3), 'keep') < volume / {maxVolume:Float64}`;

/** Creates the trace table if needed and fills it with the demo traffic between `from` and `to`. */
export async function generateDemoTraces(store: Store, table: string, w: DemoWindow): Promise<number> {
  await store.command(otelTracesDdl(store.database, table));
  // Traffic varies by thinning a denser stream: the busiest moment keeps every draw.
  const maxVolume = (w.daily ? 2 : 1) * Math.max(1, w.surge?.factor ?? 1);
  const intervalMs = Math.round(((w.intervalSeconds ?? 5) * 1000) / maxVolume);
  // Draws before a time T are those with n < floor((T - from) / interval), for the end as for `after`.
  const firstDraw = w.after ? Math.max(0, Math.floor((w.after.getTime() - w.from.getTime()) / intervalMs)) : 0;
  const draws = Math.max(0, Math.floor((w.to.getTime() - w.from.getTime()) / intervalMs) - firstDraw);
  const never = 8_640_000_000_000_000;
  const inputs = w.inputs && w.inputs.usual.length > 0 && w.inputs.peak.length > 0 ? w.inputs : null;
  await store.command(INSERT(store.database, table), {
    fromMs: w.from.getTime(),
    intervalMs,
    driftFromMs: w.driftFrom ? w.driftFrom.getTime() : never,
    driftToMs: w.driftTo ? w.driftTo.getTime() : never,
    traces: draws,
    firstDraw,
    seed: w.seed ?? 0,
    peakFrom: w.daily?.peakFromHour ?? 0,
    peakTo: w.daily?.peakToHour ?? 0,
    bursty: w.daily ? 1 : 0,
    surgeFromMs: w.surge ? w.surge.from.getTime() : never,
    surgeFactor: w.surge?.factor ?? 1,
    maxVolume,
    rampFromMs: w.ramp ? w.ramp.from.getTime() : never,
    rampToMs: w.ramp ? w.ramp.to.getTime() : never,
    rampRate: w.ramp?.rate ?? 0.02,
    withInputs: inputs ? 1 : 0,
    withScores: w.scores ? 1 : 0,
    scoreRubric: w.scores?.rubric ?? '',
    usualInputs: inputs?.usual ?? [''],
    peakInputs: inputs?.peak ?? [''],
    peakShare: inputs?.peakShare ?? 0,
    offPeakShare: inputs?.offPeakShare ?? 0,
    shiftFromMs: inputs?.shift ? inputs.shift.from.getTime() : never,
    shiftShare: inputs?.shift?.share ?? 0,
  });
  if (maxVolume === 1) return draws;
  const [row] = await store.query<{ n: number }>(
    `SELECT count() AS n FROM ${store.database}.${table} WHERE ParentSpanId = '' AND Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})`,
    { fromMs: (w.after ?? w.from).getTime(), toMs: w.to.getTime() },
  );
  const traces = Number(row?.n ?? 0);
  return traces;
}
