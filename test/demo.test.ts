// The demo's week as `npm start` writes it, one cycle over it: the refund vendor's break is
// tool-API drift, and the judge's scores of the same answers fall with it, against their own
// baseline and below the demo's CI run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEMO_CONFIG, demoCiResults, keepWriting } from '../src/demo/command.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { openStore } from '../src/clickhouse/store.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';

test('the demo week: a broken vendor, and the rubric that grades its answers falls below CI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-demo-'));
  const file = join(dir, 'driftwatch.yaml');
  writeFileSync(file, DEMO_CONFIG(0));
  writeFileSync(join(dir, 'ci-results.jsonl'), `${demoCiResults()}\n`);
  const { config, warnings } = loadConfigFile(file);
  assert.deepEqual(warnings, []);
  const store = await openStore(config.clickhouse);
  try {
    const now = new Date(Math.floor(Date.now() / 300_000) * 300_000);
    await generateDemoTraces(store, 'otel_traces', {
      from: new Date(now.getTime() - 7 * 86_400_000 - 3_600_000),
      to: now,
      driftFrom: new Date(now.getTime() - 50 * 60_000),
      scores: { rubric: 'resolution' },
    });
    const run = (at: Date) =>
      runCycle(
        { config, store, sources: [{ source: otelSource(store.database, 'otel_traces', config.traces.conventions), scope: {} }], signals: SIGNALS, log: pino({ level: 'silent' }), rollups: null },
        at,
      );
    const { report } = await run(now);
    const of = (signal: string) => report.signals.find((r) => r.signal === signal && (r.subject['rubric'] === 'resolution' || r.subject['tool'] === 'refund_payment'))!;
    assert.equal(of('tool_error_rate').status, 'drift');
    for (const signal of ['eval_score', 'eval_gap']) {
      const r = of(signal);
      assert.equal(r.status, 'drift', `${signal}: ${r.message}`);
      assert.equal(r.driftMode, 'tool-api', 'the broken tool of the same cycle says what the drop means');
      assert.match(r.message, /reads as tool-api, from the same cycle’s tool_\w+ drift \(refund_payment\)/);
    }
    assert.match(of('eval_gap').message, /in CI run ci \(demo\)/);
    // Before the vendor broke, production sat within the margin of CI.
    const before = (await run(new Date(now.getTime() - 3 * 3_600_000))).report;
    const gap = before.signals.find((r) => r.signal === 'eval_gap')!;
    assert.equal(gap.status, 'ok', gap.message);
    assert.ok(gap.baseline! - gap.value! > 0.02 && gap.baseline! - gap.value! < 0.05, `${gap.value} against ${gap.baseline}`);

    // While the demo runs it keeps writing: 20 more minutes continue the same stream, nothing twice.
    const later = new Date(now.getTime() + 20 * 60_000);
    const week = { from: new Date(now.getTime() - 7 * 86_400_000 - 3_600_000), driftFrom: new Date(now.getTime() - 50 * 60_000), scores: { rubric: 'resolution' } };
    let clock = now;
    const feed = keepWriting(
      (after, to) => generateDemoTraces(store, 'otel_traces', { ...week, after, to }),
      now,
      3_600_000,
      (err) => assert.fail(String(err)),
      () => clock,
    );
    clock = new Date(now.getTime() + 7 * 60_000);
    await feed.step();
    clock = later;
    await feed.step();
    feed.stop();
    const [roots] = await store.query<{ n: number; distinct: number; newest: number }>(
      `SELECT count() AS n, uniqExact(TraceId) AS distinct, toUnixTimestamp64Milli(max(Timestamp)) AS newest FROM otel_traces WHERE ParentSpanId = ''`,
    );
    assert.equal(Number(roots!.n), Number(roots!.distinct), 'every trace written once');
    assert.equal(Number(roots!.n), Math.floor((later.getTime() - week.from.getTime()) / 5_000), 'one trace every 5 s, the week and the minutes after it, no gap');
    assert.ok(Number(roots!.newest) > later.getTime() - 10_000, 'traffic up to the last write');
    const fresh = (await run(later)).report;
    assert.equal(fresh.signals.find((r) => r.signal === 'tool_error_rate' && r.subject['tool'] === 'refund_payment')!.status, 'drift', 'the vendor is still broken 20 minutes on');
    assert.ok(!fresh.signals.some((r) => r.evidence.reason === 'stalled'), 'not stalled');
  } finally {
    await store.close();
  }
});
