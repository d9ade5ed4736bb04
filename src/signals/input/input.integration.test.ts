// User-distribution drift on the embedded engine, with real prompts: Arena-Hard 2024 vs 2025, and a
// stationary week of Banking77 queries with a daily traffic cycle.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { Report } from '../../engine/cycle.ts';
import { otelSource } from '../../sources/otel/index.ts';
import { otelTracesDdl } from '../../demo/otel-ddl.ts';
import { inputSignal } from './index.ts';
import { freshStore, insertRows, rng, testConfig, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { dailyCycleTimes, readArenaHard, readBanking77, rootRow } from '../../../test/helpers/input-fixtures.ts';
import { spread } from '../../../test/helpers/judge-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const w = computeWindows(AT, testConfig().windows);
let store: Store;
let config: Config;

before(async () => {
  ({ store, config } = await freshStore('unused'));
});
after(async () => store.close());

async function report(name: string, rows: Record<string, unknown>[]): Promise<Report> {
  return (await cycleOn(store, config, await traceTable(store, name, rows), [inputSignal as never], AT)).report;
}

const verdict = (rep: Report, signal: string) => {
  const r = rep.signals.find((s) => s.signal === signal && s.subject.service === 'assistant');
  assert.ok(r, JSON.stringify(rep.signals.map((s) => [s.signal, s.subject])));
  return r;
};

/** Sessions of 1..maxTurns requests each, from a pool of inputs, at the given times. */
function sessions(times: Date[], pool: string[], turns: () => number, tag: string, random: () => number) {
  const rows: Record<string, unknown>[] = [];
  let left = 0;
  let session = '';
  times.forEach((at, i) => {
    if (left === 0) {
      left = turns();
      session = `${tag}-s${i}`;
    }
    left--;
    rows.push(rootRow({ at, traceId: `${tag}-${i}`, input: pool[Math.floor(random() * pool.length)]!, session }));
  });
  return rows;
}

describe('reading the user input', () => {
  it('takes input.value, else the last user message of OpenInference or GenAI messages, else the entity input', async () => {
    const at = new Date(w.current.from.getTime() + 60_000);
    const root = (traceId: string, attributes: Record<string, string>) => ({ ...rootRow({ at, traceId, input: '' }), SpanAttributes: { 'openinference.span.kind': 'AGENT', ...attributes } });
    const rows = [
      root('a', { 'input.value': 'from input.value' }),
      root('b', {
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'be nice',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'first question',
        'llm.input_messages.2.message.role': 'assistant',
        'llm.input_messages.2.message.content': 'answer',
        'llm.input_messages.11.message.role': 'user',
        'llm.input_messages.11.message.content': 'follow-up question',
      }),
      root('c', {
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'old' }] },
          { role: 'assistant', parts: [{ type: 'text', content: 'x' }] },
          { role: 'user', parts: [{ type: 'text', content: 'latest' }] },
        ]),
      }),
      root('d', { 'traceloop.entity.input': 'entity input' }),
    ];
    await store.command(otelTracesDdl('default', 'inputs'));
    await insertRows(store, rows, 'inputs');
    const source = otelSource('default', 'inputs');
    const got = await store.query<{ trace_id: string; input: string }>(`SELECT trace_id, input FROM (${source.traceRoots()}) ORDER BY trace_id`, {
      ...source.params,
      fromMs: w.baseline.from.getTime(),
      toMs: w.current.to.getTime(),
      intentKey: 'intent',
    });
    assert.deepEqual(
      got.map((g) => g.input),
      ['from input.value', 'follow-up question', 'latest', 'entity input'],
    );
  });
});

describe('user-distribution drift', () => {
  it('fires on Arena-Hard’s 2025 prompts against its 2024 prompts, naming the features that moved', async () => {
    const v1 = readArenaHard('v0.1');
    const v2 = readArenaHard('v2.0');
    const rows = [
      ...spread(w.baseline.from, w.baseline.to, v1.length).map((at, i) => rootRow({ at, traceId: `b-${i}`, input: v1[i]! })),
      ...spread(w.current.from, w.current.to, v2.length).map((at, i) => rootRow({ at, traceId: `c-${i}`, input: v2[i]! })),
    ];
    const rep = await report('arena', rows);
    const length = verdict(rep, 'input_length');
    assert.equal(length.status, 'drift', length.message);
    assert.equal(length.driftMode, 'user-distribution');
    assert.equal(length.layer, 'input');
    assert.ok(length.value! > length.baseline!, `${length.baseline} → ${length.value}`);
    assert.match(length.message, /input length: mean \d+ → \d+ characters \(KS D=0\.\d\d, p=.*; PSI \d+\.\d\d\): the inputs users send changed length/);
    const script = verdict(rep, 'input_script_mix');
    assert.ok(script.value! > script.baseline!, `${script.baseline} → ${script.value}`);
    assert.equal(script.status, 'drift', script.message);
  });

  it('stays quiet over a stationary week of Banking77 queries with a daily traffic cycle', async () => {
    const random = rng(77);
    const pool = readBanking77('test').map((q) => q.text);
    const turns = () => 1 + Math.floor(random() * 3);
    const rows = [
      ...sessions(dailyCycleTimes(w.baseline.from, w.baseline.to, 6000, random), pool, turns, 'b', random),
      ...sessions(dailyCycleTimes(w.current.from, w.current.to, 400, random), pool, turns, 'c', random),
    ];
    const rep = await report('banking_stationary', rows);
    for (const signal of ['input_length', 'input_script_mix', 'input_turns_per_session']) {
      const r = verdict(rep, signal);
      assert.equal(r.status, 'ok', r.message);
    }
  });

  it('fires on longer conversations: turns per session', async () => {
    const random = rng(5);
    const pool = readBanking77('test').map((q) => q.text);
    const rows = [
      ...sessions(dailyCycleTimes(w.baseline.from, w.baseline.to, 4000, random), pool, () => 1 + Math.floor(random() * 2), 'b', random),
      ...sessions(spread(w.current.from, w.current.to, 1500), pool, () => 4 + Math.floor(random() * 5), 'c', random),
    ];
    const rep = await report('chained', rows);
    const r = verdict(rep, 'input_turns_per_session');
    assert.equal(r.status, 'drift', r.message);
    assert.match(r.message, /turns per session: mean 1\.\d → [5-8]\.\d/);
    assert.equal(verdict(rep, 'input_length').status, 'ok');
  });
});
