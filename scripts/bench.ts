/**
 * `npm run bench`: what a cycle costs on this machine, measured, not assumed.
 *  - generating a synthetic week of traces in the embedded engine;
 *  - one tool-API cycle over a week (baseline) + hour (current) of spans, at two traffic levels;
 *  - the daemon's resident memory after the cycles (it must not grow with spans);
 *  - the false-alarm count over many hourly cycles of a stationary week (the noise floor at defaults).
 * Prints a markdown table for the README.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/clickhouse/store.ts';
import { configSchema } from '../src/config/schema.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { generateRetrievalTraces } from '../src/demo/generate-retrieval.ts';
import { retrievalSignal } from '../src/signals/retrieval/index.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { createLogger } from '../src/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-'));
const config = configSchema.parse({ clickhouse: { embedded: join(dir, 'chdb') } });
const store = await openStore(config.clickhouse);
const log = createLogger('fatal');
const AT = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const rows: string[][] = [];
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

for (const [name, intervalSeconds] of [
  ['week_5s', 5],
  ['week_500ms', 0.5],
] as const) {
  let t = performance.now();
  await generateDemoTraces(store, name, { from: new Date(AT.getTime() - 7 * DAY - 3_600_000), to: AT, driftFrom: new Date(AT.getTime() - 50 * 60_000), intervalSeconds });
  const genSeconds = (performance.now() - t) / 1000;
  const [row] = await store.query<{ spans: number }>(`SELECT count() AS spans FROM default.${name}`);
  const spans = row?.spans ?? 0;
  const source = otelSource('default', name);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await runCycle({ config, store, sources: [{ source, scope: {} }], signals: SIGNALS, log }, new Date(AT.getTime() - i * 5 * 60_000));
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  rows.push([`cycle, ${spans.toLocaleString('en')} spans (7 d + 1 h)`, `median ${times[2]!.toFixed(2)} s (min ${times[0]!.toFixed(2)}, max ${times[4]!.toFixed(2)})`]);
  rows.push([`generate ${spans.toLocaleString('en')} spans`, `${genSeconds.toFixed(1)} s`]);
}
// Retrieval: 1M retrieval spans over the week and the hour, 20,000 repeated questions, re-indexed 40 minutes ago.
{
  const name = 'retrieval_1m';
  let t = performance.now();
  await generateRetrievalTraces(store, name, { from: new Date(AT.getTime() - 7 * DAY - 3_600_000), to: AT, spans: 1_000_000, queries: 20_000, reindexFrom: new Date(AT.getTime() - 40 * 60_000) });
  const genSeconds = (performance.now() - t) / 1000;
  const times: number[] = [];
  let status = '';
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const outcome = await runCycle({ config, store, sources: [{ source: otelSource('default', name), scope: {} }], signals: [retrievalSignal as never], log }, AT);
    times.push((performance.now() - t) / 1000);
    status = outcome.report.signals.filter((s) => s.signal === 'retrieval_rbo').map((s) => `${s.status}, ${s.samples.current} matched queries`).join('');
  }
  times.sort((a, b) => a - b);
  rows.push([`retrieval cycle, 1,000,000 retrieval spans (7 d + 1 h), 2,000 sampled queries`, `median ${times[2]!.toFixed(2)} s (min ${times[0]!.toFixed(2)}, max ${times[4]!.toFixed(2)}); verdict: ${status}`]);
  rows.push(['generate 1,000,000 retrieval spans', `${genSeconds.toFixed(1)} s`]);
}
// Backtest: 30 days at 1-hour steps over the demo week (the drift at its end).
{
  const { backtest } = await import('../src/backtest.ts');
  const end = AT;
  const t = performance.now();
  const result = await backtest({ config, store, sources: [{ source: otelSource('default', 'week_5s'), scope: {} }], log }, new Date(end.getTime() - 30 * DAY), end, 3_600_000);
  rows.push([`backtest, 30 days at 1 h steps (${result.cycles} cycles) over the demo week`, `${((performance.now() - t) / 1000).toFixed(0)} s; ${result.alerts.length} alert(s) would have opened`]);
}
rows.push(['daemon resident memory after the cycles (engine included)', mib(process.memoryUsage().rss)]);
rows.push(['daemon JS heap after the cycles', mib(process.memoryUsage().heapUsed)]);

// Noise floor: hourly cycles over two days of a stationary week, default thresholds.
await generateDemoTraces(store, 'stationary', { from: new Date(AT.getTime() - 9 * DAY), to: AT, driftFrom: null, seed: 99 });
let tests = 0;
let drifts = 0;
const cycles = 48;
for (let h = 0; h < cycles; h++) {
  const outcome = await runCycle({ config, store, sources: [{ source: otelSource('default', 'stationary'), scope: {} }], signals: SIGNALS, log }, new Date(AT.getTime() - h * 3_600_000));
  tests += outcome.report.signals.filter((s) => s.pValue !== null).length;
  drifts += outcome.report.signals.filter((s) => s.status === 'drift').length;
}
rows.push([`false drift verdicts, stationary week, ${cycles} hourly cycles`, `${drifts} of ${tests} tests`]);

await store.close();
rmSync(dir, { recursive: true, force: true });
console.log('| measurement | result |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
