// Daily patterns are not drift: hourly backtests over the last 48 hours of weeks with a daily
// rhythm (busy hours 08–12 UTC: twice the traffic, more non-Latin and longer inputs from
// Arena-Hard, a slower and flakier lookup tool, bursty error rates; about 700 traces an hour),
// with and without real drift.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { rhythmInputs } from './helpers/input-fixtures.ts';
import { generateDemoTraces, type DemoWindow } from '../src/demo/generate.ts';
import type { BacktestResult } from '../src/app/backtest.ts';

const HOUR = 3_600_000;
const END = new Date('2026-11-20T16:00:00Z');
const FROM = new Date(END.getTime() - 9 * 24 * HOUR);
const PEAK_ONSET = new Date('2026-11-20T10:10:00Z');
const QUIET_ONSET = new Date('2026-11-20T13:10:00Z');

const weeks: Record<string, Partial<DemoWindow>> = {
  seasonal: {},
  peak_break: { driftFrom: PEAK_ONSET },
  quiet_break: { driftFrom: QUIET_ONSET },
  ramp: { ramp: { from: new Date(END.getTime() - 72 * HOUR), to: END, rate: 0.25 } },
  surge: { surge: { from: new Date(END.getTime() - 6 * HOUR), factor: 3 } },
};

let dir: string;

before(async () => {
  const fresh = await freshStore('unused');
  dir = fresh.dir;
  const inputs = rhythmInputs();
  for (const [table, extra] of Object.entries(weeks)) {
    await generateDemoTraces(fresh.store, table, { from: FROM, to: END, driftFrom: null, intervalSeconds: 6, seed: 21, daily: { peakFromHour: 8, peakToHour: 12 }, inputs, ...extra });
  }
  await fresh.store.close();
});

function backtest(table: string, ...set: string[]): BacktestResult {
  const config = join(dir, `${table}.yaml`);
  writeFileSync(config, `clickhouse: {embedded: ${join(dir, 'chdb')}}\ntraces: {schema: otel, table: ${table}}\nalerting: {stateDir: ${join(dir, 'state')}}\n`);
  const args = ['bin/driftwatch.js', 'backtest', '--config', config, '--from', new Date(END.getTime() - 48 * HOUR).toISOString(), '--to', END.toISOString(), '--step', '1h', '--json'];
  const cli = spawnSync(process.execPath, [...args, ...set.flatMap((s) => ['--set', s])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(cli.status, 0, cli.stderr);
  return JSON.parse(cli.stdout) as BacktestResult;
}

const minutesBetween = (a: string, b: Date) => Math.round((Date.parse(a) - b.getTime()) / 60_000);
const summary = (r: BacktestResult) => JSON.stringify(r.alerts.map((a) => ({ title: a.title, openedAt: a.openedAt })));

describe('a week with a daily rhythm', () => {
  it('compared with the whole baseline alone, the busy hours raise false alarms (the problem)', (t) => {
    const r = backtest('seasonal', 'windows.seasonality=none');
    t.diagnostic(`seasonality none: ${r.alerts.length} alerts in 48 hourly cycles: ${summary(r)}`);
    assert.ok(r.alerts.length >= 1, 'the synthetic week must carry a pattern that fools the whole-baseline test');
    assert.deepEqual(r.errors, []);
  });

  it('with the default seasonality, 48 hourly cycles open no alert', (t) => {
    const r = backtest('seasonal');
    t.diagnostic(`seasonality auto: ${r.alerts.length} alerts; drifting verdicts: ${JSON.stringify(r.drifting)}`);
    assert.equal(r.cycles, 49);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.alerts, [], summary(r));
  });

  for (const [table, onset, when] of [
    ['peak_break', PEAK_ONSET, 'a busy hour'],
    ['quiet_break', QUIET_ONSET, 'a quiet hour'],
  ] as const) {
    it(`a tool schema change at ${when} fires for that tool only, in the first cycle after onset, with its onset`, (t) => {
      const r = backtest(table);
      // A cycle's window ends 5 minutes before it (ingest lag, bucket boundary): the first hourly
      // cycle whose window holds spans after the onset.
      const firstCycleAfter = new Date(Math.ceil((onset.getTime() + 5 * 60_000 + 1) / HOUR) * HOUR).toISOString();
      assert.deepEqual(r.errors, []);
      assert.ok(r.drifting.length > 0);
      for (const d of r.drifting) assert.deepEqual(d.subject, { tool: 'refund_payment' }, JSON.stringify(r.drifting));
      assert.equal(r.alerts.length, 1, summary(r));
      const alert = r.alerts[0]!;
      assert.equal(alert.driftMode, 'tool-api');
      assert.equal(alert.openedAt, firstCycleAfter);
      assert.ok(alert.onset, 'the opening verdict carries its onset');
      const error = minutesBetween(alert.onset.at, onset);
      t.diagnostic(`${table}: opened ${alert.openedAt}, onset estimated ${alert.onset.at} (true ${onset.toISOString()}, error ${error} min, interval ${alert.onset.earliest} – ${alert.onset.latest})`);
      assert.ok(Math.abs(error) <= 15, `onset error ${error} min`);
    });
  }

  it('a three-day ramp of one tool’s error rate fires for that tool', (t) => {
    const r = backtest('ramp');
    t.diagnostic(`ramp: ${summary(r)}; drifting: ${JSON.stringify(r.drifting)}`);
    assert.deepEqual(r.errors, []);
    assert.ok(r.alerts.length >= 1, 'the ramp must not be absorbed by the baseline');
    for (const a of r.alerts) assert.deepEqual(a.subject, { tool: 'search_flights' }, summary(r));
  });

  it('a backtest from the first day of data judges nothing until half a baseline exists', () => {
    // The data begin at FROM: the first cycles' baselines hold a few hours of a week.
    const config = join(dir, 'cold.yaml');
    writeFileSync(config, `clickhouse: {embedded: ${join(dir, 'chdb')}}\ntraces: {schema: otel, table: peak_break}\nalerting: {stateDir: ${join(dir, 'state')}}\n`);
    const cli = spawnSync(process.execPath, ['bin/driftwatch.js', 'once', '--config', config, '--at', new Date(FROM.getTime() + 3 * HOUR).toISOString(), '--json', '--dry-run'], { encoding: 'utf8' });
    const report = JSON.parse(cli.stdout) as { signals: { status: string; evidence: { reason?: string; baselineHoursWithSpans?: number }; message: string }[] };
    const judged = report.signals.filter((v) => v.status !== 'no_data');
    assert.deepEqual(
      judged.map((v) => v.message),
      [],
    );
    const thin = report.signals.filter((v) => v.evidence.reason === 'thin_baseline');
    assert.ok(thin.length > 0, cli.stdout);
    assert.match(thin[0]!.message, /not judging yet: the baseline holds spans in only 2 of its 168 hours/);
    const r = spawnSync(
      process.execPath,
      [
        'bin/driftwatch.js',
        'backtest',
        '--config',
        config,
        '--from',
        new Date(FROM.getTime() + HOUR).toISOString(),
        '--to',
        new Date(FROM.getTime() + 24 * HOUR).toISOString(),
        '--step',
        '1h',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as BacktestResult).alerts, []);
  });

  it('three times the traffic with the same mix does not fire', (t) => {
    const r = backtest('surge');
    t.diagnostic(`surge: ${summary(r)}`);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.alerts, [], summary(r));
  });
});
