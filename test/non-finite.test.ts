// Spans whose numbers are not numbers: a Float64 `Duration` of +inf, -inf or NaN (the start-up
// check accepts a Float64 column), judge scores written as "inf" or "nan". Each such span must cost
// itself only: the cycle judges the rest, with and without rollups, and counts what it skipped.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshStore, cycleOn } from './helpers/spans.ts';
import { judgedSpanRow, spread } from './helpers/judge-fixtures.ts';
import { insertRows } from './helpers/spans.ts';
import { createLangfuseTables, scoreRow } from './helpers/langfuse.ts';
import { langfuseSource } from '../src/sources/langfuse/index.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { otelTracesDdl } from '../src/demo/otel-ddl.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import type { Store } from '../src/clickhouse/store.ts';
import type { Config } from '../src/config/shape.ts';
import pino from 'pino';

const AT = new Date('2026-11-20T12:00:30Z');
const HOUR = 3_600_000;
const BAD = ['inf', '-inf', 'nan'] as const;

let store: Store;
let config: Config;

before(async () => {
  const fresh = await freshStore('unused');
  store = fresh.store;
  config = fresh.config;
  await generateDemoTraces(store, 'clean', { from: new Date(AT.getTime() - 8 * 24 * HOUR), to: AT, driftFrom: new Date(AT.getTime() - 50 * 60_000), seed: 5 });
  // The same spans in a table whose Duration is a Float64, as some pipelines create it.
  await store.command(otelTracesDdl('default', 'floaty').replace(/Duration UInt64 CODEC\([^)]*\)\)/, 'Duration Float64'));
  await store.command('INSERT INTO default.floaty SELECT * FROM default.clean');
  // Copies of a few current-window tool spans, each with a duration that is not a number.
  for (const [k, value] of BAD.entries()) {
    await store.command(
      `INSERT INTO default.floaty SELECT * REPLACE (${value} AS Duration, concat(SpanId, '-bad${k}') AS SpanId)
       FROM default.floaty WHERE SpanAttributes['openinference.span.kind'] = 'TOOL' AND Timestamp >= {from:DateTime64(3)} LIMIT 2`,
      { from: new Date(AT.getTime() - 30 * 60_000).toISOString().replace('T', ' ').replace('Z', '') },
    );
  }
  // Judged spans in both windows, a few of them scored "inf" or "nan".
  const rows = spread(new Date(AT.getTime() - 7 * 24 * HOUR), AT, 600).map((at, i) =>
    judgedSpanRow({ at, traceId: `j-${i}`, spanId: `j-${i}-s`, verdicts: [{ rubric: 'helpfulness', annotator: 'LLM', identifier: 'judge', score: (i % 7) / 7 }] }),
  );
  for (const [k, row] of rows.slice(-BAD.length).entries()) (row.SpanAttributes as Record<string, string>)['evaluations.0.evaluation.score'] = BAD[k]!;
  await insertRows(store, rows, 'floaty');
});

const plainCycle = (table: string, c: Config) =>
  runCycle({ config: c, store, sources: [{ source: otelSource('default', table), scope: {} }], signals: SIGNALS, log: pino({ level: 'silent' }), rollups: null }, AT);

describe('spans whose durations or scores are not finite', () => {
  for (const rollups of [true, false]) {
    it(`cost only themselves: every signal is judged and the same as without them (rollups ${rollups ? 'on' : 'off'})`, async () => {
      const c: Config = { ...config, rollups: { ...config.rollups, enabled: rollups } };
      const run = (table: string) => (rollups ? cycleOn(store, c, table, SIGNALS, AT) : plainCycle(table, c));
      const outcome = await run('floaty');
      const errors = outcome.report.signals.filter((s) => s.status === 'error');
      assert.deepEqual(
        errors.map((s) => `${s.signal}: ${String(s.evidence.error ?? s.message)}`),
        [],
      );
      const tool = outcome.report.signals.find((s) => s.signal === 'tool_error_rate' && s.subject.tool === 'refund_payment');
      assert.equal(tool?.status, 'drift', 'the demo refund vendor change is still found');
      assert.deepEqual(outcome.freshness[0]?.nonFinite, { duration: 2 * BAD.length, score: BAD.length }, 'what was left out is counted');
      // The tool verdicts are those of the same spans without the bad copies.
      const tools = (r: typeof outcome) => r.report.signals.filter((v) => v.driftMode === 'tool-api').map((v) => [v.signal, JSON.stringify(v.subject), v.status, v.value, v.samples]);
      assert.deepEqual(tools(outcome), tools(await run('clean')));
    });
  }
});

describe('Langfuse scores whose value is not finite', () => {
  it('are left out of the judgements and counted', async () => {
    await createLangfuseTables(store, 'lf');
    const at = new Date(AT.getTime() - 10 * 60_000);
    const rows = Array.from({ length: 6 }, (_, i) =>
      scoreRow({
        id: `s${i}`,
        project_id: 'p',
        timestamp: at,
        trace_id: `t${i}`,
        name: 'helpfulness',
        source: 'EVAL',
        data_type: i < 5 ? 'NUMERIC' : 'CATEGORICAL',
        value: 0.5,
        string_value: i < 5 ? undefined : 'good',
      }),
    );
    await insertRows(store, rows, 'lf.scores');
    for (const [k, value] of BAD.entries()) await store.command(`INSERT INTO lf.scores SELECT * REPLACE (${value} AS value, event_ts + 1 AS event_ts) FROM lf.scores WHERE id = 's${k}'`);
    const source = langfuseSource('lf', 'p', { retrievalQueryKey: 'query' });
    const params = { ...source.params, fromMs: AT.getTime() - HOUR, toMs: AT.getTime(), humanServices: [] };
    const kept = await store.query<{ trace_id: string; score: number | null }>(`SELECT trace_id, score FROM (${source.judgements()}) ORDER BY trace_id`, params);
    assert.deepEqual(
      kept.map((r) => r.trace_id),
      ['t3', 't4', 't5'],
      'the latest version of s0..s2 is not finite; the categorical score has no value to check',
    );
    assert.deepEqual(await store.query(source.nonFinite(), params), [{ duration: 0, score: BAD.length }]);
  });
});
