// The tool-API signal's SQL run on the embedded engine, on otel_traces created with the exporter's DDL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import { otelSource } from '../../sources/otel/index.ts';
import { toolApiSignal } from './index.ts';
import { freshStore, rng, rootSpanRow, testConfig, toolCalls, toolSpanRow, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { generateDemoTraces } from '../../demo/generate.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let store: Store;
let config: Config;
const tables: string[] = [];

before(async () => {
  ({ store, config } = await freshStore('unused'));
});
after(async () => {
  await store.close();
});

async function table(name: string, rows: Record<string, unknown>[]): Promise<string> {
  tables.push(await traceTable(store, name, rows));
  return name;
}

async function verdicts(tableName: string, at = AT, overrides: Partial<Config> = {}) {
  const cfg = { ...config, ...overrides };
  return (await cycleOn(store, cfg, tableName, [toolApiSignal as never], at)).report;
}

const find = (report: Awaited<ReturnType<typeof verdicts>>, signal: string, tool: string) => {
  const r = report.signals.find((s) => s.signal === signal && s.subject.tool === tool);
  assert.ok(r, `no ${signal} verdict for ${tool}`);
  return r;
};

const w = computeWindows(AT, testConfig().windows);

describe('tool-API drift on otel_traces', () => {
  it('fires on an error-rate jump with a new error class, and names tool-API drift', async () => {
    const random = rng(1);
    const rows = [
      ...toolCalls({ tool: 'refund_payment', from: w.baseline.from, to: w.baseline.to, count: 3000, errorRate: 0.02, random, errorType: 'TimeoutError' }),
      ...toolCalls({ tool: 'refund_payment', from: w.current.from, to: w.current.to, count: 300, errorRate: 0.15, random, errorType: 'SchemaValidationError' }),
      ...toolCalls({ tool: 'search_flights', from: w.baseline.from, to: w.baseline.to, count: 3000, errorRate: 0.02, random, errorType: 'TimeoutError' }),
      ...toolCalls({ tool: 'search_flights', from: w.current.from, to: w.current.to, count: 300, errorRate: 0.02, random, errorType: 'TimeoutError' }),
    ];
    const report = await verdicts(await table('drift_case', rows));
    const errorRate = find(report, 'tool_error_rate', 'refund_payment');
    assert.equal(errorRate.status, 'drift');
    assert.equal(errorRate.driftMode, 'tool-api');
    assert.equal(errorRate.layer, 'tool');
    assert.equal(errorRate.samples.current, 300);
    assert.equal(errorRate.samples.baseline, 3000);
    assert.ok(errorRate.pValue !== null && errorRate.pValue < 1e-6);
    assert.ok(errorRate.value! > 0.1 && errorRate.baseline! < 0.04);
    assert.ok(errorRate.evidence.traceIds.length > 0 && errorRate.evidence.traceIds.length <= 10);
    assert.ok(errorRate.evidence.traceIds.every((id) => id.startsWith('refund_payment-')));
    const novel = find(report, 'tool_new_error_class', 'refund_payment');
    assert.equal(novel.status, 'drift');
    assert.deepEqual(
      (novel.evidence.classes as { class: string }[]).map((c) => c.class),
      ['SchemaValidationError'],
    );
    // The steady neighbour stays quiet.
    assert.equal(find(report, 'tool_error_rate', 'search_flights').status, 'ok');
    assert.equal(find(report, 'tool_new_error_class', 'search_flights').status, 'ok');
  });

  it('reports no_data, not drift, for a tool with 3 calls in the current window', async () => {
    const random = rng(2);
    const rows = [
      ...toolCalls({ tool: 'rare_tool', from: w.baseline.from, to: w.baseline.to, count: 500, errorRate: 0.01, random }),
      ...toolCalls({ tool: 'rare_tool', from: w.current.from, to: w.current.to, count: 3, errorRate: 1, random, errorType: 'BrandNewError' }),
    ];
    const report = await verdicts(await table('sparse_case', rows));
    for (const signal of ['tool_error_rate', 'tool_retry_rate', 'tool_latency', 'tool_new_error_class']) {
      const r = find(report, signal, 'rare_tool');
      assert.equal(r.status, 'no_data', `${signal}: ${r.message}`);
      assert.match(r.message, /not enough data/);
      assert.equal(r.samples.current, 3);
    }
  });

  it('stays quiet over 48 hourly cycles of a stationary week (measured false-alarm count is zero)', async () => {
    const name = 'stationary_case';
    await generateDemoTraces(store, name, { from: new Date(AT.getTime() - 9 * DAY), to: AT, driftFrom: null, seed: 7 });
    tables.push(name);
    const drifting: string[] = [];
    let tested = 0;
    for (let h = 0; h < 48; h++) {
      const report = await verdicts(name, new Date(AT.getTime() - h * HOUR));
      tested += report.signals.filter((s) => s.pValue !== null).length;
      drifting.push(...report.signals.filter((s) => s.status === 'drift').map((s) => `cycle -${h}h: ${s.message}`));
      assert.deepEqual(report.errors, []);
    }
    assert.ok(tested >= 48 * 8, `only ${tested} tests ran`);
    assert.deepEqual(drifting, []);
  });

  it('fires on the demo generator’s injected drift and on nothing else', async () => {
    const name = 'demo_drift_case';
    await generateDemoTraces(store, name, { from: new Date(AT.getTime() - 8 * DAY), to: AT, driftFrom: new Date(AT.getTime() - 50 * 60_000), seed: 3 });
    tables.push(name);
    const report = await verdicts(name);
    const drifting = report.signals.filter((s) => s.status === 'drift');
    assert.ok(drifting.length >= 3, JSON.stringify(drifting.map((d) => d.message)));
    assert.ok(drifting.every((d) => d.subject.tool === 'refund_payment' && d.driftMode === 'tool-api'));
    assert.deepEqual(new Set(drifting.map((d) => d.signal)), new Set(['tool_error_rate', 'tool_retry_rate', 'tool_latency', 'tool_new_error_class']));
  });

  it('reads tools in OpenInference, GenAI and traceAI conventions and both status spellings', async () => {
    const at = new Date(w.current.from.getTime() + 60_000);
    const rows = [
      toolSpanRow({ at, traceId: 't1', tool: 'oi_tool', convention: 'openinference', error: true }),
      toolSpanRow({ at, traceId: 't2', tool: 'genai_tool', convention: 'genai', error: true, legacyStatus: true }),
      toolSpanRow({ at, traceId: 't3', tool: 'fi_tool', convention: 'traceai-fi', errorType: 'HTTP429' }),
      toolSpanRow({ at, traceId: 't4', tool: 'span_name_tool', convention: 'traceai-genai' }),
      // Not tools: an LLM span and a root span.
      { ...toolSpanRow({ at, traceId: 't5', tool: 'x' }), SpanAttributes: { 'openinference.span.kind': 'LLM' } },
      rootSpanRow('t6', at),
    ];
    const name = await table('conventions_case', rows);
    const source = otelSource('default', name);
    const collected = await toolApiSignal.collect({ store, source, windows: w, config });
    const byTool = Object.fromEntries(collected.calls.map((r) => [r.tool, r]));
    assert.deepEqual(Object.keys(byTool).sort(), ['fi_tool', 'genai_tool', 'oi_tool', 'span_name_tool']);
    assert.equal(byTool.oi_tool!.errors_c, 1);
    assert.equal(byTool.genai_tool!.errors_c, 1, 'STATUS_CODE_ERROR is an error');
    assert.equal(byTool.fi_tool!.errors_c, 1, 'error.type alone is an error');
    assert.equal(byTool.span_name_tool!.errors_c, 0);
  });

  it('counts retries per trace: later siblings of the same tool after a failure', async () => {
    const t0 = w.current.from.getTime() + 60_000;
    const at = (s: number) => new Date(t0 + s * 1000);
    const rows = [
      // Trace A: fails, then three retries under the same parent: one retried trace.
      toolSpanRow({ at: at(0), traceId: 'A', tool: 'pay', error: true }),
      toolSpanRow({ at: at(1), traceId: 'A', tool: 'pay', error: true }),
      toolSpanRow({ at: at(2), traceId: 'A', tool: 'pay', error: true }),
      toolSpanRow({ at: at(3), traceId: 'A', tool: 'pay' }),
      // Trace B: fails once, never called again: no retry.
      toolSpanRow({ at: at(0), traceId: 'B', tool: 'pay', error: true }),
      // Trace C: the later call is under another parent: no retry.
      toolSpanRow({ at: at(0), traceId: 'C', tool: 'pay', error: true, parentSpanId: 'p1' }),
      toolSpanRow({ at: at(1), traceId: 'C', tool: 'pay', parentSpanId: 'p2' }),
      // Trace D: success then failure: a failure with no later sibling is no retry.
      toolSpanRow({ at: at(0), traceId: 'D', tool: 'pay' }),
      toolSpanRow({ at: at(1), traceId: 'D', tool: 'pay', error: true }),
      // Trace E: another tool called after pay failed: not a retry of pay.
      toolSpanRow({ at: at(0), traceId: 'E', tool: 'pay', error: true }),
      toolSpanRow({ at: at(1), traceId: 'E', tool: 'refund' }),
    ];
    const name = await table('retry_case', rows);
    const collected = await toolApiSignal.collect({ store, source: otelSource('default', name), windows: w, config });
    const pay = collected.retries.find((r) => r.tool === 'pay');
    assert.ok(pay);
    assert.equal(pay.traces_c, 5);
    assert.equal(pay.retried_c, 1);
    assert.deepEqual(pay.retry_traces, ['A']);
  });

  it('masks numbers and ids so one failure is one error class; error.type wins over the message', async () => {
    const at = new Date(w.current.from.getTime() + 60_000);
    const rows = [
      toolSpanRow({ at, traceId: 'm1', tool: 'book', error: true, statusMessage: 'upstream timeout after 3012 ms (request 8f3a9c1e2b)' }),
      toolSpanRow({ at, traceId: 'm2', tool: 'book', error: true, statusMessage: 'upstream timeout after 2990 ms (request 11bc77aa09)' }),
      toolSpanRow({ at, traceId: 'm3', tool: 'book', error: true, statusMessage: 'order 3f2504e0-4f89-11d3-9a0c-0305e82c3301 not found' }),
      toolSpanRow({ at, traceId: 'm4', tool: 'book', error: true, errorType: 'RateLimitError', statusMessage: 'too many requests: 429' }),
    ];
    const name = await table('mask_case', rows);
    const collected = await toolApiSignal.collect({ store, source: otelSource('default', name), windows: w, config });
    const classes = Object.fromEntries(collected.newClasses.map((c) => [c.error_class, c.count]));
    assert.deepEqual(classes, {
      'upstream timeout after <n> ms (request <id>)': 2,
      'order <id> not found': 1,
      RateLimitError: 1,
    });
  });

  it('folds tools beyond maxSubjects into `other`, busiest first', async () => {
    const random = rng(5);
    const rows = ['a', 'b', 'c', 'd'].flatMap((tool, i) => toolCalls({ tool, from: w.current.from, to: w.current.to, count: 40 - i * 10, errorRate: 0, random }));
    const name = await table('fold_case', rows);
    const limited = { ...config, signals: { ...config.signals, toolApi: { ...config.signals.toolApi, maxSubjects: 2 } } };
    const collected = await toolApiSignal.collect({ store, source: otelSource('default', name), windows: w, config: limited });
    const calls = Object.fromEntries(collected.calls.map((r) => [r.tool, r.calls_c]));
    assert.deepEqual(calls, { a: 40, b: 30, other: 30 });
  });
});
