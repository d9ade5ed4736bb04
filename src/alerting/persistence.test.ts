// The state file: a wrong shape is one error naming the file and the field; a malformed outbox
// item is set aside (kept, never retried forever); the rest loads as written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState, loadStateReporting, REJECTED_FILE, StateError } from './persistence.ts';

const stateDir = (content: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-state-'));
  writeFileSync(join(dir, 'state.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
};
const verdict = { signal: 'tool_error_rate', driftMode: 'tool-api', layer: 'tool', subject: { tool: 'refund_payment' }, status: 'drift', evidence: { traceIds: [] } };
const event = (id: string) => ({
  id,
  kind: 'opened',
  fingerprint: 'f1',
  episode: 'e1',
  at: '2026-11-20T12:00:00.000Z',
  openedAt: '2026-11-20T12:00:00.000Z',
  result: verdict,
  facets: [verdict],
  windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
});
const item = (id: string) => ({ event: event(id), pending: ['file'], attempts: 0, nextAttemptAt: '2026-11-20T12:00:00.000Z' });

describe('loadState', () => {
  const wrong: [string, unknown, RegExp][] = [
    ['alerts as a list', { version: 1, alerts: [], refs: {}, outbox: [] }, /state\.json is not a driftwatch state file: alerts: /],
    [
      'an alert with an unknown phase',
      { version: 1, alerts: { f1: { fingerprint: 'f1', key: verdict, phase: 'burning', driftStreak: 1, cleanStreak: 0 } }, refs: {}, outbox: [] },
      /alerts\.f1\.phase: /,
    ],
    ['an outbox that is not a list', { version: 1, alerts: {}, refs: {}, outbox: {} }, /outbox: /],
    ['refs of numbers', { version: 1, alerts: {}, refs: { f1: { linear: 7 } }, outbox: [] }, /refs\.f1\.linear: /],
    ['a list instead of an object', [], /is not a driftwatch state file/],
    ['an unknown version', { version: 2 }, /has unknown version 2/],
    ['not JSON', '{"version": 1,', /is not valid JSON/],
  ];
  for (const [name, content, expected] of wrong) {
    it(`names the file and the field for ${name}`, () => {
      const dir = stateDir(content);
      assert.throws(
        () => loadState(dir),
        (err: unknown) => err instanceof StateError && expected.test(err.message) && err.message.includes(join(dir, 'state.json')),
      );
    });
  }

  it('sets a malformed outbox item aside in a file of its own, once, and keeps the rest', () => {
    const broken = { event: { id: 'x', kind: 'opened' }, pending: 'file' };
    const dir = stateDir({ version: 1, alerts: {}, refs: {}, outbox: [item('a'), broken, item('b')] });
    const { state, rejected } = loadStateReporting(dir);
    assert.deepEqual(
      state.outbox.map((i) => i.event.id),
      ['a', 'b'],
    );
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.index, 1);
    const kept = readFileSync(join(dir, REJECTED_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      kept.map((k) => k.item),
      [broken],
      'nothing is lost',
    );
    assert.match(kept[0].problem, /^event\./);
    // The state file no longer holds it, so the next start sets nothing aside again.
    assert.deepEqual(loadStateReporting(dir).rejected, []);
    assert.equal(readFileSync(join(dir, REJECTED_FILE), 'utf8').trim().split('\n').length, 1);
  });

  it('loads a well-formed state as written, extra fields included', () => {
    const written = {
      version: 1,
      alerts: { f1: { fingerprint: 'f1', key: verdict, phase: 'firing', driftStreak: 2, cleanStreak: 0, episode: 'e1', lastResult: verdict } },
      refs: { f1: { linear: 'issue-1' } },
      outbox: [item('a')],
      evaluatedAt: '2026-11-20T12:00:00.000Z',
    };
    assert.deepEqual(loadState(stateDir(written)), written);
  });
});
