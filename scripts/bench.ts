/**
 * `npm run bench`: what driftwatch costs on this machine, measured as a user runs it (whole `once`
 * and `backtest` processes of the CLI, start-up included), beside one raw scan of the same spans.
 *
 *  1. a week of ≥ 10 M spans (the demo generator, amplified), ending now with tool-API drift;
 *  2. one raw scan of every column the signals read, over the whole week (the yardstick);
 *  3. `once` cold (rollups backfilled from nothing), then warm after 5 more minutes of spans, and
 *     that warm cycle again with failure patterns off and on (what the pattern step adds);
 *  4. `once` with rollups disabled (every cycle scans its windows of raw spans);
 *  5. four more weeks of older history (5× the history), then a warm cycle again;
 *  6. a 30-day hourly backtest on the rollups;
 *  7. the false-alarm count over 48 hourly cycles of a stationary week, at default settings.
 * Peak resident memory of each process is read from /proc (VmHWM). Prints a markdown table.
 * Set BENCH_INTERVAL (seconds between traces, default 0.18) for a smaller or larger week, and
 * BENCH_QUICK=1 to stop after step 4 (the cycle's own costs, without the longer history, the
 * backtest and the false-alarm count: about a third of the time).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/clickhouse/store.ts';
import { configSchema } from '../src/config/schema.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { demoCiResults } from '../src/demo/every-mode.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { familiesOf, SIGNALS } from '../src/signals/index.ts';
import { createLogger } from '../src/app/app.ts';
import { openRollups } from '../src/rollups/open.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const interval = Number(process.env.BENCH_INTERVAL ?? 0.18);
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-'));
const chdb = join(dir, 'chdb');
const rows: string[][] = [];
// Each row is also printed as soon as it is measured, so a long run shows where it is.
const push = rows.push.bind(rows);
rows.push = (...items: string[][]) => {
  for (const [k, v] of items) process.stderr.write(`bench: ${k}: ${v}\n`);
  return push(...items);
};
const NOW = Math.floor(Date.now() / (5 * MINUTE)) * 5 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const secs = (s: number) => `${s.toFixed(2)} s`;

const configFile = (name: string, extra = '', level = 'warn', clickhouse = '') => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `clickhouse: {embedded: ${chdb}${clickhouse}}\ntraces: {schema: otel, table: otel_traces}\nalerting: {stateDir: ${join(dir, 'state')}}\nnotify: {fileSink: {path: ${join(dir, 'alerts.jsonl')}}}\nlog: {level: ${level}, format: json}\n${extra}`,
  );
  return file;
};
// The week's LLM steps carry the judge's scores of one rubric, and the CI run of it is a file.
const ciResults = join(dir, 'ci-results.jsonl');
writeFileSync(ciResults, `${demoCiResults()}\n`);
const SCORES = `rubrics: [{name: resolution}]\nsignals: {scores: {offline: [{path: ${ciResults}}]}}\n`;
const withRollups = configFile('rollups', SCORES);
const withoutScores = configFile('no-scores', 'signals: {scores: {enabled: false}}\n');
// Raw scans of a week with every LLM step judged take longer than the default 60 s per query.
const rawScans = configFile('raw', `rollups: {enabled: false}\n${SCORES}`, 'warn', ', queryTimeout: 10m');
const withoutPatterns = configFile('no-patterns', `patterns: {enabled: false}\n${SCORES}`);
// The same as withRollups, logging at debug: the pattern step logs how long it took, in-process.
const timedPatterns = configFile('timed-patterns', SCORES, 'debug');

/** Runs the CLI as a child process; wall time and peak resident memory (VmHWM, polled). */
function cli(args: string[], echo = true): Promise<{ seconds: number; peakMiB: number; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/driftwatch.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (echo) process.stderr.write(d);
    });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // the process has just exited
      }
    }, 50);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ seconds: (performance.now() - started) / 1000, peakMiB: peak, stdout, stderr, code });
    });
  });
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(configSchema.parse({ clickhouse: { embedded: chdb } }).clickhouse);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function rawScan(store: Store, fromMs: number, toMs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await store.query(
      `SELECT count(), sum(length(TraceId) + length(SpanId) + length(ParentSpanId) + length(SpanName) + length(ServiceName) + length(StatusCode) + length(StatusMessage)),
              sum(length(mapKeys(SpanAttributes)) + length(arrayStringConcat(mapValues(SpanAttributes)))), sum(Duration), sum(length(Events.Name)), sum(length(Links.SpanId))
       FROM otel_traces WHERE Timestamp >= fromUnixTimestamp64Milli({fromMs:Int64}) AND Timestamp < fromUnixTimestamp64Milli({toMs:Int64})`,
      { fromMs, toMs },
    );
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((a, b) => a - b)[1]!;
}

const once = async (label: string, file: string, atMs: number) => {
  const r = await cli(['once', '--config', file, '--at', iso(atMs), '--dry-run', '--json']);
  if (r.code !== 0) throw new Error(`${label}: once exited ${r.code}`);
  const report = JSON.parse(r.stdout) as { signals: { status: string; signal: string; subject: Record<string, string>; evidence: { patterns?: unknown[] } }[] };
  const drifting = report.signals.filter((s) => s.status === 'drift').map((s) => `${s.signal} ${Object.values(s.subject).join('/')}`);
  const patterns = report.signals.reduce((n, s) => n + (s.evidence.patterns?.length ?? 0), 0);
  return { ...r, drifting, patterns };
};

// 1. A week (+ 1 h) of spans ending now.
let t = performance.now();
const spans = await withStore(async (store) => {
  await generateDemoTraces(store, 'otel_traces', {
    from: new Date(NOW - WEEK - HOUR),
    to: new Date(NOW),
    driftFrom: new Date(NOW - 50 * MINUTE),
    intervalSeconds: interval,
    seed: 1,
    scores: { rubric: 'resolution' },
  });
  const [row] = await store.query<{ n: number }>('SELECT count() AS n FROM otel_traces');
  return row!.n;
});
rows.push([`generate a week of spans`, `${spans.toLocaleString('en')} spans in ${secs((performance.now() - t) / 1000)}`]);

// 2. The yardstick.
const scan = await withStore((store) => rawScan(store, NOW - WEEK - HOUR, NOW));
rows.push(['one raw scan of every column the signals read, whole window (median of 3)', secs(scan)]);
const ratio = (s: number) => `${secs(s)} (${(s / scan).toFixed(1)}× the scan)`;

// 3. Cold, then warm after 5 more minutes of spans.
const cold = await once('cold', withRollups, NOW);
rows.push(['`once`, cold: rollups backfilled from nothing', `${ratio(cold.seconds)}; peak RSS ${cold.peakMiB.toFixed(0)} MiB`]);
await withStore((store) =>
  generateDemoTraces(store, 'otel_traces', { from: new Date(NOW), to: new Date(NOW + 5 * MINUTE), driftFrom: new Date(NOW), intervalSeconds: interval, seed: 2, scores: { rubric: 'resolution' } }),
);
const warm = await once('warm', withRollups, NOW + 5 * MINUTE);
rows.push(['`once`, warm: 5 minutes of new spans', `${ratio(warm.seconds)}; peak RSS ${warm.peakMiB.toFixed(0)} MiB`]);
// What the eval-score signal costs a warm cycle: the same cycle without it (median of 3 each).
const withScoresRuns: number[] = [];
const withoutScoresRuns: number[] = [];
for (let k = 0; k < 3; k++) {
  withScoresRuns.push((await once('warm, scores on', withRollups, NOW + 5 * MINUTE)).seconds);
  withoutScoresRuns.push((await once('warm, scores off', withoutScores, NOW + 5 * MINUTE)).seconds);
}
{
  const on = [...withScoresRuns].sort((a, b) => a - b)[1]!;
  const off = [...withoutScoresRuns].sort((a, b) => a - b)[1]!;
  rows.push([
    'the eval-score signal in the warm cycle (median of 3, scores on against `signals.scores.enabled: false`)',
    `${secs(on)} against ${secs(off)}: ${(((on - off) / off) * 100).toFixed(1)}% more; ${warm.drifting.filter((d) => d.startsWith('eval_')).length} eval verdicts drifting`,
  ]);
}

// 3b. What the pattern step adds to a warm cycle: its own time, logged in-process at debug level
// (median of 3), against the whole warm cycle; and the same cycle with patterns off and on.
const stepMs: number[] = [];
const cycleSeconds: number[] = [];
let patternCount = 0;
for (let k = 0; k < 3; k++) {
  const r = await cli(['once', '--config', timedPatterns, '--at', iso(NOW + 5 * MINUTE), '--dry-run', '--json'], false);
  if (r.code !== 0) throw new Error(`patterns timing: once exited ${r.code}`);
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.includes('"failure patterns found"'))
    .map((l) => JSON.parse(l) as { ms: number });
  stepMs.push(lines.reduce((sum, l) => sum + l.ms, 0));
  cycleSeconds.push(r.seconds);
  patternCount = (JSON.parse(r.stdout) as { signals: { evidence: { patterns?: unknown[] } }[] }).signals.reduce((n, x) => n + (x.evidence.patterns?.length ?? 0), 0);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const offSeconds = [];
for (let k = 0; k < 3; k++) offSeconds.push((await once('warm, patterns off', withoutPatterns, NOW + 5 * MINUTE)).seconds);
rows.push([
  'failure patterns in the warm cycle: the pattern step’s own time (median of 3)',
  `${(median(stepMs) / 1000).toFixed(2)} s = ${((median(stepMs) / 1000 / median(cycleSeconds)) * 100).toFixed(1)}% of the cycle (${patternCount} patterns behind ${warm.drifting.length} drifting verdicts); whole cycles with patterns on ${secs(median(cycleSeconds))}, off ${secs(median(offSeconds))}`,
]);

// 4. Every cycle scanning raw spans, as before rollups.
const raw = await once('raw', rawScans, NOW + 5 * MINUTE);
rows.push(['`once` with `rollups.enabled: false` (raw scans)', `${ratio(raw.seconds)}; peak RSS ${raw.peakMiB.toFixed(0)} MiB`]);
const same = JSON.stringify(raw.drifting.sort()) === JSON.stringify(warm.drifting.sort());
rows.push([
  'drifting verdicts, rollups vs raw scans',
  `${warm.drifting.length} vs ${raw.drifting.length}${same ? ', identical' : `, DIFFERENT: ${warm.drifting.join(', ')} | ${raw.drifting.join(', ')}`}`,
]);

const printTable = () => {
  console.log('| measurement | result |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
};
if (process.env.BENCH_QUICK === '1') {
  rmSync(dir, { recursive: true, force: true });
  printTable();
  process.exit(0);
}

// 5. Five times the history: four more weeks before the first.
t = performance.now();
const spans5 = await withStore(async (store) => {
  await generateDemoTraces(store, 'otel_traces', { from: new Date(NOW - 5 * WEEK - HOUR), to: new Date(NOW - WEEK - HOUR), driftFrom: null, intervalSeconds: interval, seed: 3 });
  const [row] = await store.query<{ n: number }>('SELECT count() AS n FROM otel_traces');
  return row!.n;
});
rows.push([`add four older weeks (5× the history)`, `${spans5.toLocaleString('en')} spans in all, ${secs((performance.now() - t) / 1000)}`]);
const catchUp = await once('catch-up', withRollups, NOW + 5 * MINUTE);
rows.push(['`once` after the older weeks appeared (builds the judge and prompt windows’ 35 days)', `${ratio(catchUp.seconds)}; peak RSS ${catchUp.peakMiB.toFixed(0)} MiB`]);
await withStore((store) =>
  generateDemoTraces(store, 'otel_traces', { from: new Date(NOW + 5 * MINUTE), to: new Date(NOW + 10 * MINUTE), driftFrom: new Date(NOW), intervalSeconds: interval, seed: 4 }),
);
const warm5 = await once('warm at 5x', withRollups, NOW + 10 * MINUTE);
rows.push([
  '`once`, warm at 5× the history: 5 minutes of new spans',
  `${ratio(warm5.seconds)} = ${(warm5.seconds / warm.seconds).toFixed(2)}× the warm cycle at 1×; peak RSS ${warm5.peakMiB.toFixed(0)} MiB`,
]);

// 6. A 30-day hourly backtest (it builds the tool, agent and input buckets of the older weeks first).
const bt = await cli(['backtest', '--config', withRollups, '--from', iso(NOW - 30 * DAY), '--to', iso(NOW), '--step', '1h', '--json']);
const btResult = JSON.parse(bt.stdout) as { cycles: number; alerts: unknown[] };
rows.push([
  `backtest, 30 days at 1 h steps (${btResult.cycles} cycles), building 4 weeks of buckets first`,
  `${secs(bt.seconds)} (${(bt.seconds / cold.seconds).toFixed(2)}× the cold cycle); ${btResult.alerts.length} alert(s); peak RSS ${bt.peakMiB.toFixed(0)} MiB`,
]);

// 7. Noise floor: hourly cycles over two days of a stationary week, default thresholds.
await withStore(async (store) => {
  await generateDemoTraces(store, 'stationary', { from: new Date(NOW - 9 * DAY), to: new Date(NOW), driftFrom: null, seed: 99 });
  const config = configSchema.parse({ clickhouse: { embedded: chdb }, alerting: { stateDir: join(dir, 'state2') } });
  const log = createLogger('fatal');
  const rollups = await openRollups(config, store, familiesOf(SIGNALS), log);
  let tests = 0;
  let drifts = 0;
  const cycles = 48;
  for (let h = 0; h < cycles; h++) {
    const outcome = await runCycle({ config, store, sources: [{ source: otelSource('default', 'stationary'), scope: {} }], signals: SIGNALS, log, rollups }, new Date(NOW - h * HOUR));
    tests += outcome.report.signals.filter((s) => s.pValue !== null).length;
    drifts += outcome.report.signals.filter((s) => s.status === 'drift').length;
  }
  rows.push([`false drift verdicts, stationary week, ${cycles} hourly cycles`, `${drifts} of ${tests} tests`]);
});

rmSync(dir, { recursive: true, force: true });
printTable();
