// A standing gap to CI, end to end through the daemon's cycle and the file sink: production's
// coherence scores (HANNA's GPT-2 stories, rated by the real LLM judge) are the same all week and
// sit far below the CI run of the rubric (the human-written stories' ratings). Nothing changed in
// production, so eval_score stays quiet; the gap is a finding, and stays one open alert over
// many cycles instead of one per cycle.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../src/clickhouse/store.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { createApp, createLogger, evaluate } from '../src/app/app.ts';
import { freshStore, insertRows } from './helpers/spans.ts';
import { judgedSpanRow, readHanna } from './helpers/judge-fixtures.ts';
import { otelTracesDdl } from '../src/demo/otel-ddl.ts';

const AT = Date.parse('2026-11-20T12:00:30Z');
const HOUR = 3_600_000;
let store: Store;
let dir: string;

before(async () => {
  ({ store, dir } = await freshStore('unused'));
  await store.command(otelTracesDdl('default', 'standing'));
  const stories = readHanna('CH', 'Mistral-7B CH 1');
  const weak = stories.filter((s) => s.system === 'GPT-2 (tag)');
  const human = stories.filter((s) => s.system === 'Human');
  // 40 judged answers an hour for 8 days and the 6 hours of cycles, the ratings taken in turn.
  const rows: Record<string, unknown>[] = [];
  let k = 0;
  for (let t = AT - 8 * 24 * HOUR; t < AT + 6 * HOUR; t += HOUR / 40, k++) {
    rows.push(judgedSpanRow({ at: new Date(t), traceId: `t-${k}`, spanId: `t-${k}-s`, verdicts: [{ rubric: 'coherence', annotator: 'LLM', identifier: 'judge', score: weak[k % weak.length]!.llm }] }));
  }
  await insertRows(store, rows, 'standing');
  writeFileSync(join(dir, 'ci.jsonl'), human.map((s, i) => JSON.stringify({ rubric: 'coherence', score: s.llm, item: `story-${i}` })).join('\n'));
  await store.close();
});

describe('a standing gap to CI', () => {
  it('opens one eval_gap alert and keeps it open over six hourly cycles; eval_score stays quiet', async () => {
    const file = join(dir, 'standing.yaml');
    writeFileSync(
      file,
      `clickhouse: {embedded: chdb}
traces: {table: standing}
alerting: {stateDir: state-standing}
notify: {fileSink: {path: alerts-standing.jsonl}}
rubrics: [{name: coherence}]
signals:
  scores:
    offline: [{path: ci.jsonl, name: ci-nightly}]
`,
    );
    const config = loadConfigFile(file).config;
    const app = await createApp(config, createLogger('fatal'));
    try {
      for (let h = 0; h < 6; h++) {
        const outcome = await evaluate(app, new Date(AT + h * HOUR), { now: () => new Date(AT + h * HOUR) });
        const gap = outcome.report.signals.find((s) => s.signal === 'eval_gap')!;
        assert.equal(gap.status, 'drift', gap.message);
        assert.ok(gap.baseline! - gap.value! > 0.8, `a gap of more than 0.8 on the 1–5 scale: ${gap.message}`);
        const score = outcome.report.signals.find((s) => s.signal === 'eval_score')!;
        assert.equal(score.status, 'ok', `production did not change: ${score.message}`);
      }
    } finally {
      await app.close();
    }
    const events = readFileSync(join(dir, 'alerts-standing.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; signal: string });
    assert.deepEqual(
      events.map((e) => [e.kind, e.signal]),
      [['opened', 'eval_gap']],
    );
  });
});
