// The outbox: retry timing decided in one place; per-sink, per-episode ordering; a hung or failing
// sink holds back neither another sink nor another episode; nothing leaves before it is accepted.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { deliverDue, dueChains, enqueue, retryDelayMs, sinkRetry, withDeadline } from './outbox.ts';
import { NotifyError, type Notifier } from './types.ts';
import { emptyState, type OutboxItem } from '../alerting/persistence.ts';
import { createMetrics } from '../metrics/registry.ts';
import type { AlertEvent } from '../alerting/state-machine.ts';

const retryable = (after?: number) => new NotifyError('linear', 'x', true, after);
const table: [string, number, NotifyError, number][] = [
  ['first retry', 1, retryable(), 15_000],
  ['third retry', 3, retryable(), 60_000],
  ['a long outage is capped', 20, retryable(), 3_600_000],
  ['retry-after longer than backoff wins', 1, retryable(120_000), 120_000],
  ['backoff longer than retry-after wins', 4, retryable(1_000), 120_000],
  ['a refusal waits an hour, but is kept', 1, new NotifyError('linear', 'x', false), 3_600_000],
];
for (const [name, attempts, err, expected] of table) it(name, () => assert.equal(retryDelayMs(attempts, err), expected));

const T0 = new Date('2026-11-20T12:00:00Z');
const event = (id: string, episode: string): AlertEvent => {
  const result = {
    signal: 's',
    driftMode: 'tool-api' as const,
    layer: 'tool' as const,
    subject: { tool: 'x' },
    status: 'drift' as const,
    value: 1,
    baseline: 0,
    samples: { current: 1, baseline: 1 },
    pValue: null,
    evidence: { traceIds: [] },
    message: 'm',
  };
  return {
    id,
    kind: 'opened',
    fingerprint: episode,
    episode,
    at: T0.toISOString(),
    openedAt: T0.toISOString(),
    result,
    facets: [result],
    windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
  };
};
const item = (id: string, episode: string, pending: string[], retries: OutboxItem['retries'] = {}): OutboxItem => ({
  event: event(id, episode),
  pending,
  attempts: 0,
  nextAttemptAt: T0.toISOString(),
  retries,
});
const later = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe('dueChains', () => {
  const cases: [string, OutboxItem[], string, string[][]][] = [
    ['one chain per episode, in order', [item('a1', 'A', ['file']), item('b1', 'B', ['file']), item('a2', 'A', ['file'])], 'file', [['a1', 'a2'], ['b1']]],
    [
      'an item not yet due holds back its episode only',
      [item('a1', 'A', ['file'], { file: { attempts: 1, nextAttemptAt: later(60_000) } }), item('a2', 'A', ['file']), item('b1', 'B', ['file'])],
      'file',
      [['b1']],
    ],
    ['another sink’s backoff does not delay this one', [item('a1', 'A', ['file', 'slack'], { slack: { attempts: 3, nextAttemptAt: later(600_000) } })], 'file', [['a1']]],
    ['items this sink already delivered are skipped', [item('a1', 'A', ['slack']), item('a2', 'A', ['file', 'slack'])], 'file', [['a2']]],
  ];
  for (const [name, outbox, sink, expected] of cases) {
    it(name, () =>
      assert.deepEqual(
        dueChains(outbox, sink, T0).map((c) => c.map((i) => i.event.id)),
        expected,
      ),
    );
  }
});

describe('deliverDue', () => {
  const deps = () => ({ log: pino({ level: 'silent' }), metrics: createMetrics('test'), timeoutMs: 300 });
  const recording = (name: string, seen: string[]): Notifier => ({
    name,
    async deliver(e) {
      seen.push(e.id);
    },
  });
  /** Accepts the call and never answers, like a server that holds the connection open. */
  const hanging = (name: string, aborted: string[]): Notifier => ({
    name,
    deliver: (e, _c, _r, signal) =>
      new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted.push(e.id);
          reject(new Error('aborted'));
        });
      }),
  });

  it('delivers to a working sink while another hangs, and keeps the hung one’s items with a timeout error', async () => {
    const state = emptyState();
    enqueue(state, [event('e1', 'A'), event('e2', 'B')], ['linear', 'file'], T0);
    const seen: string[] = [];
    const aborted: string[] = [];
    const d = deps();
    await deliverDue(state, [hanging('linear', aborted), recording('file', seen)], T0, d);
    assert.deepEqual(seen.sort(), ['e1', 'e2']);
    assert.deepEqual(aborted.sort(), ['e1', 'e2'], 'the hung requests were cancelled, not left running');
    assert.deepEqual(
      state.outbox.map((i) => i.pending),
      [['linear'], ['linear']],
    );
    for (const i of state.outbox) assert.match(sinkRetry(i, 'linear').lastError!, /linear did not answer within 0 s|did not answer/);
    assert.equal((await d.metrics.outboxPending.get()).values[0]!.value, 2);
  });

  it('delivers several episodes side by side, each in order', async () => {
    const state = emptyState();
    enqueue(state, [event('a1', 'A'), event('b1', 'B'), event('a2', 'A'), event('b2', 'B')], ['file'], T0);
    const order: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: Notifier = {
      name: 'file',
      async deliver(e) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        order.push(e.id);
        inFlight--;
      },
    };
    await deliverDue(state, [slow], T0, deps());
    assert.equal(maxInFlight, 2, 'two episodes at once');
    assert.ok(order.indexOf('a1') < order.indexOf('a2') && order.indexOf('b1') < order.indexOf('b2'), order.join());
    assert.deepEqual(state.outbox, []);
  });

  it('stops an episode at its first failure and counts a refusal as rejected, not delivered', async () => {
    const state = emptyState();
    enqueue(state, [event('a1', 'A'), event('a2', 'A')], ['linear'], T0);
    const seen: string[] = [];
    const refusing: Notifier = {
      name: 'linear',
      async deliver(e) {
        seen.push(e.id);
        throw new NotifyError('linear', 'Linear InvalidInput (HTTP 400): nope', false);
      },
    };
    const d = deps();
    await deliverDue(state, [refusing], T0, d);
    assert.deepEqual(seen, ['a1']);
    assert.equal(state.outbox.length, 2);
    assert.equal(sinkRetry(state.outbox[0]!, 'linear').nextAttemptAt, later(3_600_000));
    const counts = (await d.metrics.notificationsTotal.get()).values;
    assert.equal(counts.find((v) => v.labels.outcome === 'rejected')?.value, 1);
    assert.equal(
      counts.find((v) => v.labels.outcome === 'delivered'),
      undefined,
    );
  });

  it('abandons calls in flight at shutdown without counting an attempt', async () => {
    const state = emptyState();
    enqueue(state, [event('e1', 'A')], ['linear'], T0);
    const shutdown = new AbortController();
    const pass = deliverDue(state, [hanging('linear', [])], T0, { ...deps(), timeoutMs: 60_000, signal: shutdown.signal });
    setTimeout(() => shutdown.abort(), 20);
    await pass;
    assert.equal(state.outbox.length, 1);
    assert.equal(sinkRetry(state.outbox[0]!, 'linear').attempts, 0);
  });
});

describe('withDeadline', () => {
  it('gives up on a sink that ignores its abort signal', async () => {
    await assert.rejects(
      withDeadline('slack', 50, undefined, () => new Promise(() => undefined)),
      (err: unknown) => err instanceof NotifyError && err.retryable && /slack did not answer/.test(err.message),
    );
  });
});
