// backtest --sweep: parsing, combinations, the schedule's period and the comparison table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { formatSweep, parseSweeps, schedulePeriodMs, stepWarning, sweepCombinations } from './sweep.ts';
import { UsageError } from './args.ts';
import type { BacktestResult } from '../app/backtest.ts';

it('parses KEY=V1,V2,… and refuses what is not one', () => {
  assert.deepEqual(parseSweeps(['alerting.openAfter=1, 2,3,2']), [{ key: 'alerting.openAfter', values: ['1', '2', '3'] }]);
  for (const [spec, why] of [
    ['alerting.openAfter', /is not KEY=V1,V2/],
    ['=1,2', /is not KEY=V1,V2/],
    ['alerting.openAfter=', /is not KEY=V1,V2/],
    ['alerting.openAfter=,', /is not KEY=V1,V2/],
  ] as const) {
    assert.throws(
      () => parseSweeps([spec]),
      (e: Error) => e instanceof UsageError && why.test(e.message),
      spec,
    );
  }
  assert.throws(() => parseSweeps(['a=1', 'a=2']), /--sweep a is given twice/);
});

it('combines axes, the first slowest, as --set overrides', () => {
  const combos = sweepCombinations([
    { key: 'a', values: ['1', '2'] },
    { key: 'b', values: ['x', 'y', 'z'] },
  ]);
  assert.equal(combos.length, 6);
  assert.deepEqual(combos[0], { values: { a: '1', b: 'x' }, overrides: ['a=1', 'b=x'] });
  assert.deepEqual(combos[5], { values: { a: '2', b: 'z' }, overrides: ['a=2', 'b=z'] });
  assert.deepEqual(sweepCombinations([]), [{ values: {}, overrides: [] }]);
});

it('reads the cycle period of the plain schedules; null for the others', () => {
  const cases: [string, number | null][] = [
    ['*/5 * * * *', 300_000],
    ['*/15 * * * *', 900_000],
    ['* * * * *', 60_000],
    ['7 * * * *', 3_600_000],
    ['0 */2 * * *', null],
    ['*/5 9-17 * * *', null],
    ['0 */5 * * * *', null],
  ];
  for (const [schedule, period] of cases) assert.equal(schedulePeriodMs(schedule), period, schedule);
});

it('warns when the replayed step is not the schedule’s period, and not otherwise', () => {
  assert.equal(stepWarning(300_000, '*/5 * * * *', 2, 3), null);
  assert.equal(stepWarning(3_600_000, '0 */2 * * *', 2, 3), null, 'an unknown period: no claim');
  assert.match(stepWarning(3_600_000, '*/5 * * * *', 2, 3)!, /an alert opens 2h after a drift starts \(10m in production\); use --step 5m/);
});

const result = (alerts: Partial<BacktestResult['alerts'][number]>[]): BacktestResult => ({
  from: '2026-11-19T06:00:00.000Z',
  to: '2026-11-19T20:00:00.000Z',
  stepSeconds: 3600,
  hygiene: { openAfter: 2, resolveAfter: 3, cooldown: 0, byLayer: {}, mutes: [] },
  cycles: 15,
  seconds: 12.5,
  drifting: [],
  alerts: alerts.map((a) => ({ fingerprint: 'f', driftMode: 'tool-api', layer: 'tool', subject: {}, title: 't', openedAt: '', notifications: [], resolvedAt: null, ...a })),
  muted: [],
  errors: [],
});

it('prints one aligned line per combination: alerts, the first, modes, subjects', () => {
  const text = formatSweep(
    [{ key: 'alerting.openAfter', values: ['1', '6'] }],
    [
      {
        values: { 'alerting.openAfter': '1' },
        result: result([
          { openedAt: '2026-11-19T09:00:00.000Z', driftMode: 'tool-api', subject: { tool: 'refund_payment' } },
          { openedAt: '2026-11-19T08:00:00.000Z', driftMode: 'dataset', subject: { evalSet: 'eval.jsonl' } },
        ]),
      },
      { values: { 'alerting.openAfter': '6' }, result: result([]) },
    ],
  );
  assert.deepEqual(text.split('\n'), [
    'driftwatch backtest 2026-11-19T06:00:00.000Z → 2026-11-19T20:00:00.000Z, step 3600s: 2 configurations × 15 cycles in 12.5s (each cycle’s data read once)',
    '',
    'alerting.openAfter  opened  first opened at           modes              subjects',
    '1                   2       2026-11-19T08:00:00.000Z  dataset, tool-api  eval.jsonl; refund_payment',
    '6                   0       -                         -                  -',
    '',
  ]);
});
