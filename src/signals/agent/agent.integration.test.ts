// Agent-step compounding on the embedded engine, with traces replayed from tau-bench and tau2-bench trajectories.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { Report } from '../../engine/cycle.ts';
import { agentSignal } from './index.ts';
import { freshStore, testConfig, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { readTau2, readTauBench, replay } from '../../../test/helpers/agent-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const w = computeWindows(AT, testConfig().windows);
let store: Store;
let config: Config;

before(async () => {
  ({ store, config } = await freshStore('unused'));
});
after(async () => store.close());

async function verdict(name: string, baseline: Record<string, unknown>[], current: Record<string, unknown>[]) {
  const rep: Report = (await cycleOn(store, config, await traceTable(store, name, [...baseline, ...current]), [agentSignal as never], AT)).report;
  const r = rep.signals.find((s) => s.signal === 'agent_end_to_end_success' && s.subject.agent === 'airline-agent');
  assert.ok(r, JSON.stringify(rep));
  return r;
}

describe('agent-step compounding on tau2-bench airline', () => {
  const grok4 = readTau2('airline_grok-4_20251013T114345.json');
  const grok3mini = readTau2('airline_grok-3-mini_20251013T113336.json');

  it('drifts when grok-4 (baseline) is replaced by grok-3-mini, showing the arithmetic', async () => {
    const r = await verdict('grok4_to_mini', replay(grok4, w.baseline.from, w.baseline.to, 8, 'b'), replay(grok3mini, w.current.from, w.current.to, 8, 'c'));
    assert.equal(r.status, 'drift', r.message);
    assert.equal(r.driftMode, 'agent-step-compounding');
    assert.equal(r.layer, 'agent');
    assert.equal(r.samples.current, 128);
    assert.ok(Math.abs(r.value! - 1 / 16) < 1e-9 && Math.abs(r.baseline! - 7 / 16) < 1e-9, `${r.baseline} → ${r.value}`);
    assert.match(r.message, /tool 100\.0%\^\d+\.\d × llm 100\.0%|llm 100\.0%\^\d+\.\d × tool 100\.0%/);
    assert.match(r.message, /= 100\.0% predicted from per-step success over [\d.]+ steps per trace, 6\.3% observed/);
    assert.match(r.message, /No single tool explains it/);
    assert.ok(r.evidence.traceIds.length > 0 && r.evidence.traceIds.every((t) => t.startsWith('c-')));
  });

  it('stays quiet with grok-4 against itself', async () => {
    const r = await verdict('grok4_self', replay(grok4, w.baseline.from, w.baseline.to, 8, 'b'), replay(grok4, w.current.from, w.current.to, 8, 'c'));
    assert.equal(r.status, 'ok', r.message);
  });
});

describe('agent-step compounding on tau-bench gpt-4o airline', () => {
  const all = readTauBench();

  it('stays quiet across the four trials of the same tasks (trial-to-trial noise)', async () => {
    const r = await verdict(
      'gpt4o_trials',
      replay(
        all.filter((t) => t.trial <= 1),
        w.baseline.from,
        w.baseline.to,
        2,
        'b',
      ),
      replay(
        all.filter((t) => t.trial >= 2),
        w.current.from,
        w.current.to,
        1,
        'c',
      ),
    );
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.samples.current, 100);
  });

  it('is not reported when one tool’s failures explain the drop: that is tool-API drift', async () => {
    const broken = all.map((t) =>
      t.steps.some((s) => s.tool === 'get_reservation_details') ? { ...t, reward: 0, steps: t.steps.map((s) => (s.tool === 'get_reservation_details' ? { ...s, error: true } : s)) } : t,
    );
    const r = await verdict(
      'one_tool',
      replay(all, w.baseline.from, w.baseline.to, 1, 'b'),
      replay(
        broken.filter((t) => t.trial === 0),
        w.current.from,
        w.current.to,
        2,
        'c',
      ),
    );
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.evidence.explainedBy, 'get_reservation_details');
    assert.match(r.message, /get_reservation_details's failures explain it/);
    assert.ok(r.value! < r.baseline! - 0.2, `${r.baseline} → ${r.value}`);
  });

  it('names loops and longer traces when they grew', async () => {
    const looping = all.map((t) => ({
      ...t,
      reward: t.reward === 1 && Number(t.task) % 2 === 0 ? 0 : t.reward,
      steps: Number(t.task) % 2 === 0 ? [...t.steps, ...Array.from({ length: 10 }, () => ({ kind: 'tool' as const, tool: 'search_direct_flight', error: false }))] : t.steps,
    }));
    const r = await verdict(
      'loops',
      replay(all, w.baseline.from, w.baseline.to, 1, 'b'),
      replay(
        looping.filter((t) => t.trial <= 1),
        w.current.from,
        w.current.to,
        1,
        'c',
      ),
    );
    assert.equal(r.status, 'drift', r.message);
    assert.match(r.message, /loops \(one tool called 3\+ times in a trace\) [\d.]+% → [\d.]+% of traces/);
    assert.match(r.message, /steps per trace [\d.]+ → [\d.]+/);
  });
});
