// Hourly series and onset on generated traffic: one value per hour over baseline and current
// window, from the rollups; the onset of an injected change found within its hour.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshStore, insertRows, testConfig, testRollups } from './helpers/spans.ts';
import { rootRow } from './helpers/input-fixtures.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { createLogger } from '../src/app/app.ts';
import type { Report } from '../src/engine/cycle.ts';
import type { Store } from '../src/clickhouse/store.ts';

const AT = new Date('2026-11-20T12:00:30Z');
const DRIFT_FROM = new Date('2026-11-20T06:05:00Z');
const HOUR = 3_600_000;
let report: Report;
let store: Store;

before(async () => {
  ({ store } = await freshStore('unused'));
  await generateDemoTraces(store, 'drifting', { from: new Date(AT.getTime() - 8 * 24 * HOUR), to: AT, driftFrom: DRIFT_FROM, seed: 41 });
  // User inputs every 5 minutes, one in four in Cyrillic, for the input signal's series.
  const inputs = Array.from({ length: 8 * 24 * 12 }, (_, i) => {
    const at = new Date(AT.getTime() - 8 * 24 * HOUR + i * 300_000);
    return rootRow({ at, traceId: `in-${i}`, input: i % 4 === 0 ? 'Где мой возврат за заказ?' : `where is my refund for order ${i}?`, service: 'support' });
  });
  // LLM calls of one prompt, v2 taking a fifth of the traffic.
  const llm = Array.from({ length: 8 * 24 * 12 }, (_, i) => ({
    ...rootRow({ at: new Date(AT.getTime() - 8 * 24 * HOUR + i * 300_000 + 1_000), traceId: `in-${i}`, input: 'x' }),
    SpanId: `in-${i}-llm`,
    ParentSpanId: `in-${i}-root`,
    SpanAttributes: { 'openinference.span.kind': 'LLM', 'gen_ai.prompt.name': 'support', 'llm.prompt_template.version': i % 5 === 0 ? 'v2' : 'v1' },
  }));
  await insertRows(store, [...inputs, ...llm], 'drifting');
  const config = testConfig({ traces: { table: 'drifting' }, windows: { current: '6h' } });
  const outcome = await runCycle(
    { config, store, sources: [{ source: otelSource('default', 'drifting'), scope: {} }], signals: SIGNALS, log: createLogger('fatal'), rollups: await testRollups(store), now: () => AT },
    AT,
  );
  report = outcome.report;
});

it('gives each tool verdict one value per hour from the baseline’s first hour to the current window’s end', () => {
  const r = report.signals.find((s) => s.signal === 'tool_error_rate' && s.subject.tool === 'refund_payment')!;
  const hourly = r.evidence.hourly as { from: string; values: (number | null)[] };
  const hours = Math.ceil((Date.parse(report.windows.current.to) - Date.parse(hourly.from)) / HOUR);
  assert.equal(hourly.values.length, hours);
  // Whole hours counted back from the current window's end (not clock hours): the last is the current hour.
  assert.equal((Date.parse(report.windows.current.to) - Date.parse(hourly.from)) % HOUR, 0);
  assert.ok(Date.parse(hourly.from) <= Date.parse(report.windows.baseline.from));
  // The baseline's hours sit near its rate, the drifting hours far above it.
  const driftHour = Math.floor((DRIFT_FROM.getTime() - Date.parse(hourly.from)) / HOUR) + 1;
  const before = hourly.values.slice(0, driftHour - 1).filter((v): v is number => v !== null);
  const after = hourly.values.slice(driftHour).filter((v): v is number => v !== null);
  assert.ok(Math.max(...before) < 0.08 && Math.min(...after) > 0.1, `${Math.max(...before)} / ${Math.min(...after)}`);
});

it('dates the onset of the drift within an hour of when it began', () => {
  for (const signal of ['tool_error_rate', 'tool_retry_rate', 'tool_latency']) {
    const r = report.signals.find((s) => s.signal === signal && s.subject.tool === 'refund_payment')!;
    assert.equal(r.status, 'drift', `${signal}: ${r.message}`);
    const onset = r.evidence.onset as { at: string; earliest: string; latest: string };
    assert.ok(onset, `${signal} has no onset`);
    const errorMin = (Date.parse(onset.at) - DRIFT_FROM.getTime()) / 60_000;
    process.stdout.write(`# ${signal}: onset ${onset.at} (95% ${onset.earliest} – ${onset.latest}), true 06:05: error ${errorMin.toFixed(0)} min\n`);
    assert.ok(Math.abs(errorMin) <= 60, `${signal} onset ${onset.at}`);
    assert.ok(Date.parse(onset.earliest) <= Date.parse(onset.at) && Date.parse(onset.at) <= Date.parse(onset.latest));
  }
});

it('leaves stationary verdicts without an onset', () => {
  const quiet = report.signals.filter((s) => s.status === 'ok' && s.evidence.hourly);
  assert.ok(quiet.length > 0);
  assert.ok(quiet.every((s) => s.evidence.onset === undefined));
});

it('gives agent, input and prompt verdicts their series too, in their units', () => {
  const hours = (report.signals.find((s) => s.signal === 'tool_error_rate')!.evidence.hourly as { values: unknown[] }).values.length;
  for (const signal of ['agent_end_to_end_success', 'input_length', 'input_script_mix', 'prompt_version_share']) {
    const withSeries = report.signals.filter((s) => s.signal === signal && s.evidence.hourly && s.samples.baseline > 0);
    assert.ok(withSeries.length > 0, `${signal} has no series (${report.signals.filter((s) => s.signal === signal).length} verdicts)`);
    for (const r of withSeries) {
      const values = (r.evidence.hourly as { values: (number | null)[] }).values;
      assert.equal(values.length, hours);
      const present = values.filter((v): v is number => v !== null);
      assert.ok(present.length > hours / 2, `${signal}: ${present.length} hours with data`);
      if (signal !== 'input_length')
        assert.ok(
          present.every((v) => v >= 0 && v <= 1),
          signal,
        );
    }
  }
});
