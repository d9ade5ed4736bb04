/** Test fixtures: spans shaped exactly as the Collector's ClickHouse exporter writes them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/clickhouse/store.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { Config, ConfigInput } from '../../src/config/shape.ts';
import { otelTracesDdl } from '../../src/demo/otel-ddl.ts';
import { RollupEngine } from '../../src/rollups/engine.ts';
import { EMBEDDED_ROLLUP_DATABASE } from '../../src/rollups/open.ts';
import { familiesOf, SIGNALS } from '../../src/signals/index.ts';
import type { Signal } from '../../src/signals/types.ts';
import { runCycle, type CycleOutcome } from '../../src/engine/cycle.ts';
import { otelSource } from '../../src/sources/otel/index.ts';
import pino from 'pino';

export type Convention = 'openinference' | 'genai' | 'traceai-fi' | 'traceai-genai';

export interface ToolSpan {
  at: Date;
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  tool: string;
  convention?: Convention;
  error?: boolean;
  /** Old exporter builds wrote STATUS_CODE_ERROR. */
  legacyStatus?: boolean;
  errorType?: string;
  statusMessage?: string;
  durationMs?: number;
}

let counter = 0;
const nextId = () => (++counter).toString(16).padStart(16, '0');

/** One row of otel_traces for a tool call in the given convention. */
export function toolSpanRow(s: ToolSpan): Record<string, unknown> {
  const convention = s.convention ?? 'openinference';
  const attributes: Record<string, string> =
    convention === 'openinference'
      ? { 'openinference.span.kind': 'TOOL', 'tool.name': s.tool }
      : convention === 'genai'
        ? { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': s.tool }
        : convention === 'traceai-fi'
          ? { 'fi.span.kind': 'TOOL', 'gen_ai.tool.name': s.tool }
          : { 'gen_ai.span.kind': 'tool' };
  if (s.errorType) attributes['error.type'] = s.errorType;
  return {
    Timestamp: s.at.toISOString(),
    TraceId: s.traceId,
    SpanId: s.spanId ?? nextId(),
    ParentSpanId: s.parentSpanId ?? `root-${s.traceId}`,
    SpanName: convention === 'genai' ? `execute_tool ${s.tool}` : s.tool,
    SpanKind: 'Internal',
    ServiceName: 'agent',
    SpanAttributes: attributes,
    Duration: Math.round((s.durationMs ?? 100) * 1e6),
    StatusCode: s.error ? (s.legacyStatus ? 'STATUS_CODE_ERROR' : 'Error') : 'Ok',
    StatusMessage: s.statusMessage ?? '',
  };
}

/** A root (AGENT) span, so the tool spans have a real parent. */
export function rootSpanRow(traceId: string, at: Date): Record<string, unknown> {
  return {
    Timestamp: at.toISOString(),
    TraceId: traceId,
    SpanId: `root-${traceId}`,
    ParentSpanId: '',
    SpanName: 'agent.run',
    SpanKind: 'Server',
    ServiceName: 'agent',
    SpanAttributes: { 'openinference.span.kind': 'AGENT' },
    Duration: 1_000_000_000,
    StatusCode: 'Ok',
    StatusMessage: '',
  };
}

/** Deterministic uniform draws in [0, 1). */
export function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Calls of one tool spread evenly over [from, to), one per trace; `errorRate` draws failures. */
export function toolCalls(opts: {
  tool: string;
  from: Date;
  to: Date;
  count: number;
  errorRate: number;
  random: () => number;
  convention?: Convention;
  errorType?: string;
  statusMessage?: (i: number) => string;
  durationMs?: (r: () => number) => number;
  tracePrefix?: string;
}): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const span = opts.to.getTime() - opts.from.getTime();
  for (let i = 0; i < opts.count; i++) {
    const at = new Date(opts.from.getTime() + Math.floor(((i + 0.5) * span) / opts.count));
    const traceId = `${opts.tracePrefix ?? opts.tool}-${at.getTime()}-${i}`;
    const error = opts.random() < opts.errorRate;
    rows.push(
      toolSpanRow({
        at,
        traceId,
        tool: opts.tool,
        convention: opts.convention,
        error,
        errorType: error ? opts.errorType : undefined,
        statusMessage: error ? opts.statusMessage?.(i) : undefined,
        durationMs: opts.durationMs ? opts.durationMs(opts.random) : 80 + opts.random() * 40,
      }),
    );
  }
  return rows;
}

/** An embedded store with an empty otel_traces table, in a fresh temp directory. */
export async function freshStore(table = 'otel_traces'): Promise<{ store: Store; dir: string; config: Config }> {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-test-'));
  const config = testConfig({ clickhouse: { embedded: join(dir, 'chdb') }, alerting: { stateDir: join(dir, 'state') }, notify: { fileSink: { path: join(dir, 'alerts.jsonl') } } });
  const store = await openStore(config.clickhouse);
  await store.command(otelTracesDdl('default', table));
  return { store, dir, config };
}

/** A validated config with test overrides. */
export function testConfig(overrides: ConfigInput = {}): Config {
  return configSchema.parse(overrides);
}

/** A trace table `name`, made with the exporter's DDL, holding `rows`; returns its name. */
export async function traceTable(store: Store, name: string, rows: readonly Record<string, unknown>[]): Promise<string> {
  await store.command(otelTracesDdl('default', name));
  await insertRows(store, rows, name);
  return name;
}

/** One cycle at `at` of `signals` over the trace table `name`, merging the store's test rollups. */
export async function cycleOn(store: Store, config: Config, name: string, signals: readonly Signal<never>[], at: Date): Promise<CycleOutcome> {
  return runCycle(
    { config, store, sources: [{ source: otelSource('default', name, config.traces.conventions), scope: {} }], signals, log: pino({ level: 'silent' }), rollups: await testRollups(store) },
    at,
  );
}

/** Inserts rows in batches. */
export async function insertRows(store: Store, rows: readonly Record<string, unknown>[], table = 'otel_traces'): Promise<void> {
  for (let i = 0; i < rows.length; i += 20_000) await store.insert(table, rows.slice(i, i + 20_000));
}

const engines = new WeakMap<Store, Promise<RollupEngine>>();

/** The rollup engine of an embedded test store (every signal's families), its tables created once. */
export function testRollups(store: Store): Promise<RollupEngine> {
  let engine = engines.get(store);
  if (!engine) {
    const e = new RollupEngine(store, store, EMBEDDED_ROLLUP_DATABASE, familiesOf(SIGNALS), pino({ level: 'silent' }));
    engine = e.ensureSchema().then(() => e);
    engines.set(store, engine);
  }
  return engine;
}
