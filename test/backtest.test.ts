// `driftwatch backtest` end to end on demo traces with a three-hour vendor incident.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import type { BacktestResult } from '../src/app/backtest.ts';

const END = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const incidentFrom = new Date(END.getTime() - 30 * HOUR);
const incidentTo = new Date(END.getTime() - 27 * HOUR);
let config: string;
let chdbDir: string;

before(async () => {
  const { store, dir } = await freshStore('otel_traces');
  chdbDir = join(dir, 'chdb');
  await generateDemoTraces(store, 'otel_traces', { from: new Date(END.getTime() - 9 * 24 * HOUR), to: END, driftFrom: incidentFrom, driftTo: incidentTo, seed: 5 });
  await store.close();
  config = join(dir, 'backtest.yaml');
  writeFileSync(config, 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: otel_traces}\n');
});

/** The CLI's backtest over the incident's range (14 hours around it, hourly). */
function backtestCli(...extra: string[]) {
  return spawnSync(
    process.execPath,
    ['bin/driftwatch.js', 'backtest', '--config', config, '--from', new Date(END.getTime() - 32 * HOUR).toISOString(), '--to', new Date(END.getTime() - 18 * HOUR).toISOString(), ...extra],
    { encoding: 'utf8' },
  );
}

function run(...extra: string[]): BacktestResult {
  const cli = backtestCli('--json', ...extra);
  assert.equal(cli.status, 0, cli.stderr);
  return JSON.parse(cli.stdout) as BacktestResult;
}

describe('driftwatch backtest', () => {
  it('shows the incident opening one alert and resolving after it ended, sending nothing, with progress on stderr', () => {
    const cli = backtestCli('--json');
    assert.equal(cli.status, 0, cli.stderr);
    // Progress on stderr: the rollups being built (the long part of a first run), then cycles.
    assert.match(
      cli.stderr,
      /^backtest: replaying .* every 1h\nbacktest: --step 1h replays one cycle every 1h, while the schedule \(\*\/5 \* \* \* \*\) runs one every 5m: openAfter 1 and resolveAfter 3 count cycles, so here an alert opens 1h after a drift starts \(5m in production\); use --step 5m to replay the daemon's timing\nbacktest: rollups are built and kept in database driftwatch_rollups in embedded engine at \S+ \(reused by later runs and the daemon\)\nbacktest: building rollups of \S+ over the replayed range…\nbacktest: rollups of \S+ built in \d+s\nbacktest: 1\/15 cycles\n/,
    );
    assert.match(cli.stderr, /backtest: 15\/15 cycles\n$/);
    const r = JSON.parse(cli.stdout) as BacktestResult;
    assert.equal(r.cycles, 15);
    assert.deepEqual(r.errors, []);
    assert.equal(r.alerts.length, 1, JSON.stringify(r.alerts));
    const alert = r.alerts[0]!;
    assert.equal(alert.driftMode, 'tool-api');
    assert.deepEqual(alert.subject, { tool: 'refund_payment' });
    assert.match(alert.title, /^Tool-API drift: refund_payment/);
    const opened = Date.parse(alert.openedAt);
    assert.ok(opened > incidentFrom.getTime() && opened <= incidentTo.getTime() + 2 * HOUR, alert.openedAt);
    assert.ok(alert.resolvedAt && Date.parse(alert.resolvedAt) > incidentTo.getTime(), String(alert.resolvedAt));
    assert.ok(
      r.drifting.every((d) => d.subject.tool === 'refund_payment'),
      JSON.stringify(r.drifting),
    );
  });

  it('changes its answer when a threshold is tried with --set', () => {
    const patient = run('--set', 'alerting.openAfter=6');
    assert.equal(patient.alerts.length, 0);
    assert.equal(patient.hygiene.openAfter, 6);
    const strict = run('--set', 'signals.toolApi.minRelativeIncrease=100', '--set', 'signals.toolApi.newErrorClass.minCount=100000');
    assert.deepEqual(
      strict.drifting.filter((d) => d.signal === 'tool_error_rate'),
      [],
    );
  });

  it('sweeps values in one replay: each value’s alerts are what a backtest with that value alone gives', () => {
    const cli = backtestCli('--json', '--sweep', 'alerting.openAfter=1,2,6', '--sweep', 'signals.toolApi.minRelativeIncrease=1.5,100');
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stderr, /^backtest: replaying .* every 1h for 6 configurations\n/);
    const sweep = JSON.parse(cli.stdout) as { sweep: { key: string; values: string[] }[]; runs: { values: Record<string, string>; result: BacktestResult }[] };
    assert.deepEqual(
      sweep.runs.map((r) => r.values),
      ['1', '2', '6'].flatMap((openAfter) => ['1.5', '100'].map((x) => ({ 'alerting.openAfter': openAfter, 'signals.toolApi.minRelativeIncrease': x }))),
    );
    // The memo shares reads, never answers: every combination matches its own replay.
    for (const { values, result } of sweep.runs.filter((r) => r.values['signals.toolApi.minRelativeIncrease'] === '1.5' || r.values['alerting.openAfter'] === '2')) {
      const alone = run(...Object.entries(values).flatMap(([k, v]) => ['--set', `${k}=${v}`]));
      const strip = (r: BacktestResult) => ({ alerts: r.alerts, drifting: r.drifting, errors: r.errors, cycles: r.cycles });
      assert.deepEqual(strip(result), strip(alone), JSON.stringify(values));
    }
    const of = (openAfter: string, x: string) => sweep.runs.find((r) => r.values['alerting.openAfter'] === openAfter && r.values['signals.toolApi.minRelativeIncrease'] === x)!.result;
    assert.equal(of('2', '1.5').alerts.length, 1);
    assert.equal(of('6', '1.5').alerts.length, 0, 'six drifting hours in a row never happen in a three-hour incident');
    assert.ok(Date.parse(of('1', '1.5').alerts[0]!.openedAt) < Date.parse(of('2', '1.5').alerts[0]!.openedAt), 'opening after one cycle opens earlier');

    const table = backtestCli('--sweep', 'alerting.openAfter=2,6');
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^driftwatch backtest .* 2 configurations × 15 cycles in [\d.]+s/);
    assert.match(lines[2]!, /^alerting\.openAfter +opened +first opened at +modes +subjects$/);
    assert.match(lines[3]!, /^2 +1 +2026-11-\d\dT\S+ +tool-api +refund_payment$/);
    assert.match(lines[4]!, /^6 +0 +- +- +-$/);
  });

  it('names a bad sweep value before replaying anything', () => {
    const cli = spawnSync(process.execPath, ['bin/driftwatch.js', 'backtest', '--config', config, '--from', END.toISOString(), '--to', END.toISOString(), '--sweep', 'alerting.openAfter=2,zero'], {
      encoding: 'utf8',
    });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /--sweep alerting\.openAfter=zero: /);
    assert.doesNotMatch(cli.stderr, /replaying/);
    const bare = spawnSync(process.execPath, ['bin/driftwatch.js', 'backtest', '--config', config, '--from', END.toISOString(), '--to', END.toISOString(), '--sweep', 'alerting.openAfter'], {
      encoding: 'utf8',
    });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /--sweep "alerting\.openAfter" is not KEY=V1,V2,…/);
  });

  it('shows muted drift instead of an alert inside a mute window', () => {
    const dir = config.replace(/backtest\.yaml$/, '');
    const muted = join(dir, 'muted.yaml');
    writeFileSync(
      muted,
      `clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: otel_traces}\nalerting:\n  mutes:\n    - {from: "${incidentFrom.toISOString()}", to: "${new Date(incidentTo.getTime() + 3 * HOUR).toISOString()}", reason: "refund vendor incident INC-7", driftModes: [tool-api]}\n`,
    );
    const cli = spawnSync(
      process.execPath,
      ['bin/driftwatch.js', 'backtest', '--config', muted, '--from', new Date(END.getTime() - 32 * HOUR).toISOString(), '--to', new Date(END.getTime() - 18 * HOUR).toISOString()],
      { encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /No alert would have opened\./);
    assert.match(cli.stdout, /Alert hygiene: open after 1 drifting cycles, resolve after 3 clean ones, cooldown 6h; 1 mute window\(s\)/);
    assert.match(cli.stdout, /Muted:\n.*tool_error_rate refund_payment: refund vendor incident INC-7/);
  });

  it('replays on rollups: every cycle gives the verdicts a raw scan of the trace table gives', async () => {
    const { openStore } = await import('../src/clickhouse/store.ts');
    const { testConfig, testRollups } = await import('./helpers/spans.ts');
    const { reportDifferences } = await import('./helpers/differential.ts');
    const { otelSource } = await import('../src/sources/otel/index.ts');
    const { runCycle } = await import('../src/engine/cycle.ts');
    const { SIGNALS } = await import('../src/signals/index.ts');
    const { createLogger } = await import('../src/app/app.ts');
    const cfg = testConfig({ clickhouse: { embedded: chdbDir } });
    const store = await openStore(cfg.clickhouse);
    try {
      const sources = [{ source: otelSource('default', 'otel_traces'), scope: {} }];
      const log = createLogger('fatal');
      const rollups = await testRollups(store);
      for (const hoursBack of [0, 28, 29, 60]) {
        const at = new Date(END.getTime() - hoursBack * HOUR);
        const a = await runCycle({ config: cfg, store, sources, signals: SIGNALS, log, rollups }, at);
        const b = await runCycle({ config: cfg, store, sources, signals: SIGNALS, log, rollups: null }, at);
        assert.deepEqual(reportDifferences(a.report, b.report), [], `cycle at ${at.toISOString()}`);
      }
    } finally {
      await store.close();
    }
  });

  it('reads the span counts of the whole replayed range once, each cycle its own part of them, and no raw span for non-finite counts', async () => {
    const { openStore } = await import('../src/clickhouse/store.ts');
    const { testConfig, testRollups } = await import('./helpers/spans.ts');
    const { otelSource } = await import('../src/sources/otel/index.ts');
    const { spanCountsOnce } = await import('../src/app/span-counts-once.ts');
    const { backtest } = await import('../src/app/backtest.ts');
    const { createLogger } = await import('../src/app/app.ts');
    const cfg = testConfig({ clickhouse: { embedded: chdbDir } });
    const opened = await openStore(cfg.clickhouse);
    const asked: string[] = [];
    const store = {
      ...opened,
      query: ((sql, params, options) => {
        asked.push(`${options?.comment ?? ''} ${sql}`);
        return opened.query(sql, params, options);
      }) as typeof opened.query,
    };
    try {
      const source = otelSource('default', 'otel_traces');
      const rollups = await testRollups(store);
      const r = await backtest(
        { config: cfg, store, sources: [{ source, scope: {} }], log: createLogger('fatal'), rollups },
        new Date(END.getTime() - 32 * HOUR),
        new Date(END.getTime() - 28 * HOUR),
        HOUR,
      );
      assert.equal(r.cycles, 5);
      const cycles = asked.filter((q) => q.includes('driftwatch cycle'));
      assert.ok(cycles.length > 20, `the cycles asked ${cycles.length} questions`);
      assert.equal(asked.filter((q) => q.startsWith('driftwatch rollups span counts')).length, 1, 'one manifest read for the five cycles');
      assert.equal(asked.filter((q) => q.includes('WHERE NOT finite')).length, 0, 'no non-finite count');
      // Every part of the range, and a range reaching outside it, gives what the manifest says directly.
      const from = END.getTime() - 40 * HOUR;
      const to = END.getTime() - 28 * HOUR;
      const once = spanCountsOnce(rollups, from, to);
      for (const [a, b] of [
        [from, to],
        [from + 5 * HOUR, from + 6 * HOUR + 1],
        [to - 2 * HOUR, to],
        [from - 3 * HOUR, from + HOUR],
      ] as const) {
        const want = await rollups.spanCounts(source, a, b);
        assert.ok(want.size > 0, 'the backtest built buckets there');
        assert.deepEqual(await once.spanCounts(source, a, b), want, `${new Date(a).toISOString()} → ${new Date(b).toISOString()}`);
      }
    } finally {
      await opened.close();
    }
  });

  it('rejects a bad --set with the path named', () => {
    const cli = spawnSync(process.execPath, ['bin/driftwatch.js', 'backtest', '--config', config, '--from', END.toISOString(), '--to', END.toISOString(), '--set', 'alerting.openAfter=zero'], {
      encoding: 'utf8',
    });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /alerting\.openAfter.*expected number/);
  });
});
