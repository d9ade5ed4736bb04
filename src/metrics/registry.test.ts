// Per-signal gauges follow the last cycle: vanished label sets are removed, not left stale.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics, createSignalPublisher } from './registry.ts';
import type { CycleOutcome } from '../engine/cycle.ts';
import type { SignalResult } from '../signals/types.ts';

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
  refreshes: [], freshness: [],
  windows: { current: { from: new Date(0), to: new Date(0) }, baseline: { from: new Date(0), to: new Date(0) } },
});

it('removes series of subjects that vanished and exposes latency in seconds', async () => {
  const m = createMetrics('test');
  const publish = createSignalPublisher(m);
  publish(outcome([verdict('a'), verdict('b'), verdict('a', 'ms')]), new Date(1_000_000));
  let text = await m.registry.metrics();
  assert.match(text, /subject="b"/);
  assert.match(text, /driftwatch_signal_value\{signal="tool_latency",drift_mode="tool-api",layer="tool",subject="a"\} 0\.25/);
  publish(outcome([verdict('a')]), new Date(2_000_000));
  text = await m.registry.metrics();
  assert.doesNotMatch(text, /subject="b"/);
  assert.doesNotMatch(text, /signal="tool_latency"/);
  assert.match(text, /driftwatch_last_successful_cycle_timestamp_seconds 2000/);
});
