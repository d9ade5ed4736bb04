import { freshStore, insertRows, rng, testConfig, toolCalls, testRollups } from './test/helpers/spans.ts';
import { computeWindows } from './src/engine/windows.ts';
import { runCycle } from './src/engine/cycle.ts';
import { otelSource } from './src/sources/otel/index.ts';
import { toolApiSignal } from './src/signals/tool-api/index.ts';
import pino from 'pino';
const AT = new Date('2026-11-20T12:00:00Z');
const { store, config } = await freshStore('t1');
const w = computeWindows(AT, testConfig().windows);
const random = rng(1);
const rows = [
  ...toolCalls({ tool: 'refund_payment', from: w.baseline.from, to: w.baseline.to, count: 3000, errorRate: 0.02, random, errorType: 'TimeoutError' }),
  ...toolCalls({ tool: 'refund_payment', from: w.current.from, to: w.current.to, count: 300, errorRate: 0.15, random, errorType: 'SchemaValidationError' }),
];
await insertRows(store, rows, 't1');
const r = await runCycle({ config, store, sources: [{ source: otelSource('default', 't1'), scope: {} }], signals: [toolApiSignal as never], log: pino({level:'debug'}), rollups: await testRollups(store) }, AT);
console.log(JSON.stringify(r.report.errors), r.refreshes, r.report.signals.map(s=>s.message));
console.log(await store.query("SELECT family, count(), sum(fp_rows) FROM driftwatch_rollups.manifest_v1 GROUP BY family"));
console.log(await store.query("SELECT count(), sum(calls) FROM driftwatch_rollups.tool_calls_v1"));
const raw = await runCycle({ config, store, sources: [{ source: otelSource('default', 't1'), scope: {} }], signals: [toolApiSignal as never], log: pino({level:'debug'}), rollups: null }, AT);
console.log(raw.report.signals.map(s=>s.message));
