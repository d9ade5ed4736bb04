// Per-signal gauges follow the last cycle: vanished label sets are removed, not left stale.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { countAlertEvents, createMetrics, createSignalPublisher } from './registry.ts';
import type { CycleOutcome } from '../engine/cycle.ts';
import type { SignalResult } from '../core/verdict.ts';

const verdict = (tool: string, unit: 'ratio' | 'ms' = 'ratio'): SignalResult => ({
  signal: unit === 'ms' ? 'tool_latency' : 'tool_error_rate',
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool },
  status: 'ok',
  value: unit === 'ms' ? 250 : 0.02,
  baseline: unit === 'ms' ? 200 : 0.02,
  samples: { current: 100, baseline: 1000 },
  pValue: 0.4,
  evidence: { traceIds: [], unit },
  message: '',
});
const outcome = (signals: SignalResult[]): CycleOutcome => ({
  report: { evaluatedAt: 'x', windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } }, signals, errors: [] },
  runs: [{ signal: 'tool-api', seconds: 0.5, outcome: 'ok' }],
  sourceUp: true,
  refreshes: [],
  phases: { refresh: 1, freshness: 0.1, collect: 2, series: 0.5, patterns: 0.2, decide: 0.01, publish: 0 },
  freshness: [],
  windows: { current: { from: new Date(0), to: new Date(0) }, baseline: { from: new Date(0), to: new Date(0) } },
});

it('removes series of subjects that vanished and exposes latency in seconds', async () => {
  const m = createMetrics('test');
  const publish = createSignalPublisher(m);
  publish(outcome([verdict('a'), verdict('b'), verdict('a', 'ms')]), new Date(1_000_000));
  let text = await m.registry.metrics();
  assert.match(text, /subject="b"/);
  assert.match(text, /driftwatch_signal_value\{signal="tool_latency",drift_mode="tool-api",layer="tool",project="",subject="a",unit="seconds"\} 0\.25/);
  publish(outcome([verdict('a')]), new Date(2_000_000));
  text = await m.registry.metrics();
  assert.doesNotMatch(text, /subject="b"/);
  assert.doesNotMatch(text, /signal="tool_latency"/);
  assert.match(text, /driftwatch_last_successful_cycle_timestamp_seconds 2000/);
});

it('names the unit of every value, the module of every run, a Langfuse project apart, and the adjusted p-value', async () => {
  const m = createMetrics('test');
  const publish = createSignalPublisher(m);
  const kappa: SignalResult = {
    ...verdict('x'),
    signal: 'judge_human_agreement',
    driftMode: 'user-distribution',
    layer: 'judge',
    subject: { project: 'shop', rubric: 'helpful' },
    value: 0.41,
    baseline: 0.72,
    evidence: { traceIds: [], unit: 'score', pValueAdjusted: 0.003 },
  };
  publish(outcome([verdict('a'), kappa]), new Date(1_000_000));
  const text = await m.registry.metrics();
  assert.match(text, /driftwatch_signal_value\{signal="tool_error_rate",drift_mode="tool-api",layer="tool",project="",subject="a",unit="ratio"\} 0\.02/);
  assert.match(text, /driftwatch_signal_value\{signal="judge_human_agreement",drift_mode="user-distribution",layer="judge",project="shop",subject="helpful",unit="kappa"\} 0\.41/);
  assert.match(text, /driftwatch_signal_p_value_adjusted\{signal="judge_human_agreement",drift_mode="user-distribution",layer="judge",project="shop",subject="helpful"\} 0\.003/);
  assert.doesNotMatch(text, /driftwatch_signal_p_value_adjusted\{signal="tool_error_rate"/, 'no adjusted p-value without a test in the cycle');
  assert.match(text, /driftwatch_signal_runs_total\{module="tool-api",outcome="ok"\} 1/);
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  publish(outcome([verdict('a')]), new Date(2_000_000));
  assert.doesNotMatch(await m.registry.metrics(), /judge_human_agreement/);
});

it('counts alert events by drift mode, layer and event', async () => {
  const m = createMetrics('test');
  countAlertEvents(m, [
    { kind: 'opened', result: { driftMode: 'tool-api', layer: 'tool' } },
    { kind: 'resolved', result: { driftMode: 'tool-api', layer: 'tool' } },
    { kind: 'opened', result: { driftMode: 'tool-api', layer: 'tool' } },
  ]);
  const text = await m.registry.metrics();
  assert.match(text, /driftwatch_alert_events_total\{drift_mode="tool-api",layer="tool",event="opened"\} 2/);
  assert.match(text, /driftwatch_alert_events_total\{drift_mode="tool-api",layer="tool",event="resolved"\} 1/);
});

it('counts the failure patterns behind each alert: the most of its drifting facets, gone when it stops drifting', async () => {
  const m = createMetrics('test');
  const publish = createSignalPublisher(m);
  const pattern = { name: 'SchemaError', size: 40, share: 0.8, baselineShare: 0, traceIds: ['t1'] };
  const drifting = (signal: string, patterns: unknown[]): SignalResult => ({
    ...verdict('refund'),
    signal,
    status: 'drift',
    evidence: { traceIds: ['t1'], unit: 'ratio', patterns: patterns as never },
  });
  publish(outcome([drifting('tool_error_rate', [pattern, pattern]), drifting('tool_new_error_class', [pattern]), { ...verdict('search'), status: 'drift' }]), new Date(1_000_000));
  let text = await m.registry.metrics();
  assert.match(text, /^driftwatch_alert_patterns\{drift_mode="tool-api",layer="tool",project="",subject="refund"\} 2$/m);
  assert.doesNotMatch(text, /driftwatch_alert_patterns\{[^}]*subject="search"/, 'a verdict without a pattern step has no count');
  publish(outcome([verdict('refund')]), new Date(2_000_000));
  text = await m.registry.metrics();
  assert.doesNotMatch(text, /^driftwatch_alert_patterns\{/m);
});

it('writes a subject with CR/LF, ESC, NUL or BEL as visible escapes, one sample per line', async () => {
  const m = createMetrics('test');
  createSignalPublisher(m)(outcome([verdict('refund\r\nforged_metric 1\u001b[2J\u0000\u0007')]), new Date(1_000_000));
  const text = await m.registry.metrics();
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text), 'no raw control byte');
  assert.doesNotMatch(text, /^forged_metric/m);
  assert.match(text, /subject="refund\\\\r\\\\nforged_metric 1\\\\x1b\[2J\\\\x00\\\\x07"/);
});

it('exports where the last cycle’s time went, per phase (publish is set by whoever publishes)', async () => {
  const m = createMetrics('test');
  createSignalPublisher(m)(outcome([verdict('a')]), new Date(1_000_000));
  const text = await m.registry.metrics();
  assert.match(text, /driftwatch_cycle_phase_seconds\{phase="collect"\} 2\n/);
  assert.match(text, /driftwatch_cycle_phase_seconds\{phase="refresh"\} 1\n/);
  assert.doesNotMatch(text, /phase="publish"/);
});
