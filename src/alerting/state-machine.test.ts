// The alert lifecycle as a table: previous state, verdicts and clock in; states and events out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyAlertRules, type AlertStates } from './state-machine.ts';
import { fingerprint } from './fingerprint.ts';
import type { SignalResult, Status } from '../core/verdict.ts';

const windows = { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } };
const rules = { openAfter: 2, resolveAfter: 2, cooldown: 60 * 60_000 };
const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function result(status: Status, tool = 'pay'): SignalResult {
  return {
    signal: 'tool_error_rate',
    driftMode: 'tool-api',
    layer: 'tool',
    subject: { tool },
    status,
    value: 0.2,
    baseline: 0.02,
    samples: { current: 100, baseline: 1000 },
    pValue: 1e-9,
    evidence: { traceIds: [] },
    message: '',
  };
}

/** Runs a sequence of statuses, one cycle every 5 minutes, and returns the event kinds per cycle. */
function run(statuses: Status[], r = rules): string[] {
  let states: AlertStates = {};
  return statuses.map((status, i) => {
    const out = applyAlertRules(states, [result(status)], windows, at(i * 5), r);
    states = out.states;
    return out.events.map((e) => e.kind).join(',') || '-';
  });
}

describe('applyAlertRules', () => {
  it('opens one alert per subject whichever facets drift, leading with the first', () => {
    const latency = { ...result('drift'), signal: 'tool_latency' };
    const quiet = { ...result('ok'), signal: 'tool_retry_rate' };
    const out = applyAlertRules({}, [quiet, latency, result('drift')], windows, at(0), { ...rules, openAfter: 1 });
    assert.equal(out.events.length, 1);
    assert.equal(out.events[0]!.result.signal, 'tool_latency');
    assert.deepEqual(
      out.events[0]!.facets.map((f) => f.signal),
      ['tool_latency', 'tool_error_rate'],
    );
  });

  it('keeps an alert open while any facet drifts', () => {
    const first = applyAlertRules({}, [result('drift')], windows, at(0), { ...rules, openAfter: 1, resolveAfter: 1 });
    const latency = { ...result('drift'), signal: 'tool_latency' };
    const second = applyAlertRules(first.states, [result('ok'), latency], windows, at(5), { ...rules, openAfter: 1, resolveAfter: 1 });
    assert.deepEqual(second.events, []);
    const third = applyAlertRules(second.states, [result('ok'), { ...latency, status: 'ok' as const }], windows, at(10), { ...rules, openAfter: 1, resolveAfter: 1 });
    assert.deepEqual(
      third.events.map((e) => e.kind),
      ['resolved'],
    );
  });

  const table: { name: string; statuses: Status[]; events: string[]; rules?: typeof rules }[] = [
    { name: 'one drifting cycle is not enough with openAfter 2', statuses: ['drift', 'ok'], events: ['-', '-'] },
    { name: 'opens after two drifting cycles', statuses: ['drift', 'drift', 'drift'], events: ['-', 'opened', '-'] },
    { name: 'resolves after two clean cycles', statuses: ['drift', 'drift', 'ok', 'ok'], events: ['-', 'opened', '-', 'resolved'] },
    { name: 'a clean cycle between drifts restarts the count', statuses: ['drift', 'drift', 'ok', 'drift', 'ok', 'ok'], events: ['-', 'opened', '-', '-', '-', 'resolved'] },
    { name: 'no_data and error hold an open alert', statuses: ['drift', 'drift', 'no_data', 'error', 'ok', 'no_data', 'ok'], events: ['-', 'opened', '-', '-', '-', '-', 'resolved'] },
    { name: 'no_data does not count towards opening', statuses: ['drift', 'no_data', 'drift'], events: ['-', '-', 'opened'] },
    {
      name: 're-notifies once per cooldown while drifting',
      statuses: Array<Status>(14).fill('drift'),
      events: ['-', 'opened', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'refired'],
    },
    { name: 'openAfter 1 opens at once', statuses: ['drift'], events: ['opened'], rules: { ...rules, openAfter: 1 } },
  ];
  for (const t of table) {
    it(t.name, () => assert.deepEqual(run(t.statuses, t.rules), t.events));
  }

  it('resolves an alert whose subject is no longer reported, but only in cycles where every signal ran', () => {
    const r = { ...rules, openAfter: 1, resolveAfter: 2 };
    let out = applyAlertRules({}, [result('drift')], windows, at(0), r);
    out = applyAlertRules(out.states, [], windows, at(5), r, { absentIsClean: false });
    out = applyAlertRules(out.states, [], windows, at(10), r, { absentIsClean: false });
    assert.deepEqual(out.events, [], 'an outage is not a recovery');
    out = applyAlertRules(out.states, [result('drift', 'another')], windows, at(15), r, { absentIsClean: true });
    assert.deepEqual(
      out.events.map((e) => e.kind),
      ['opened'],
    );
    out = applyAlertRules(out.states, [result('drift', 'another')], windows, at(20), r, { absentIsClean: true });
    assert.deepEqual(
      out.events.map((e) => [e.kind, e.result.subject.tool]),
      [['resolved', 'pay']],
    );
    assert.match(out.events[0]!.result.message, /pay is no longer reported/);
    assert.deepEqual(Object.keys(out.states).length, 1);
  });

  it('applies a layer’s own hygiene over the defaults', () => {
    const r = { ...rules, openAfter: 1, byLayer: { tool: { openAfter: 3, cooldown: undefined } } };
    let states: AlertStates = {};
    const kinds = [0, 5, 10].map((m) => {
      const out = applyAlertRules(states, [result('drift')], windows, at(m), r);
      states = out.states;
      return out.events.map((e) => e.kind).join(',') || '-';
    });
    assert.deepEqual(kinds, ['-', '-', 'opened']);
  });

  it('opens nothing inside a matching mute window, and says why', () => {
    const mute = { from: at(0).toISOString(), to: at(10).toISOString(), reason: 'vendor incident INC-42', driftModes: ['tool-api' as const], subjects: { tool: 'pay' } };
    const r = { ...rules, openAfter: 1, mutes: [mute] };
    const inside = applyAlertRules({}, [result('drift'), result('drift', 'other')], windows, at(5), r);
    assert.deepEqual(
      inside.events.map((e) => e.result.subject.tool),
      ['other'],
    );
    assert.deepEqual(
      inside.muted.map((m) => [m.result.subject.tool, m.reason]),
      [['pay', 'vendor incident INC-42']],
    );
    const afterwards = applyAlertRules(inside.states, [result('drift')], windows, at(10), r);
    assert.deepEqual(
      afterwards.events.map((e) => e.kind),
      ['opened'],
    );
  });

  it('keys alerts by fingerprint and gives events deterministic ids', () => {
    const r1 = applyAlertRules({}, [result('drift', 'a'), result('drift', 'b')], windows, at(0), { ...rules, openAfter: 1 });
    const r2 = applyAlertRules({}, [result('drift', 'a'), result('drift', 'b')], windows, at(0), { ...rules, openAfter: 1 });
    assert.equal(r1.events.length, 2);
    assert.deepEqual(
      r1.events.map((e) => e.id),
      r2.events.map((e) => e.id),
    );
    assert.notEqual(r1.events[0]!.fingerprint, r1.events[1]!.fingerprint);
    assert.equal(r1.events[0]!.fingerprint, fingerprint(result('drift', 'a')));
  });

  it('fingerprints differ by drift mode, layer and subject, not by facet or values', () => {
    const base = result('drift');
    assert.equal(fingerprint(base), fingerprint({ ...base, value: 0.9 } as SignalResult));
    assert.equal(fingerprint(base), fingerprint({ ...base, signal: 'tool_retry_rate' } as SignalResult));
    assert.notEqual(fingerprint(base), fingerprint({ ...base, subject: { tool: 'other' } }));
    assert.notEqual(fingerprint(base), fingerprint({ ...base, driftMode: 'prompt' }));
  });
});
