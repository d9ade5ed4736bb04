// Seeded traces in the embedded engine → a cycle → Linear, against a loopback Linear that
// validates every document against Linear's published schema.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from 'graphql';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, createLogger, evaluate, flushOutbox, type App } from '../../app/app.ts';
import type { Config } from '../../config/shape.ts';
import { generateDemoTraces } from '../../demo/generate.ts';
import { freshStore, testConfig } from '../../../test/helpers/spans.ts';
import { FAKE_TEAM_ID, linearSchema, startLinearFake, type LinearFake } from '../../../test/helpers/linear-server.ts';
import { ALL_DOCUMENTS } from './documents.ts';
import { retryDelayMs, sinkRetry } from '../outbox.ts';
import type { Store } from '../../clickhouse/store.ts';

const API_KEY = 'lin_api_test_key_0123456789';
const AT = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const log = createLogger('fatal');

let fake: LinearFake;
let dir: string;
let seedStore: Store;
const apps: App[] = [];

before(async () => {
  const fresh = await freshStore('unused');
  dir = fresh.dir;
  seedStore = fresh.store;
  await generateDemoTraces(seedStore, 'drifting', { from: new Date(AT.getTime() - 8 * DAY), to: new Date(AT.getTime() + 2 * 3_600_000), driftFrom: new Date(AT.getTime() - 50 * 60_000), seed: 11 });
  await generateDemoTraces(seedStore, 'stationary', { from: new Date(AT.getTime() - 8 * DAY), to: new Date(AT.getTime() + 3_600_000), driftFrom: null, seed: 12 });
  fake = await startLinearFake(API_KEY);
});

after(async () => {
  for (const app of apps) await app.store.close();
  await seedStore.close();
  await fake.close();
});

function config(table: string, stateDir: string, alerting: Partial<Config['alerting']> = {}): Config {
  return testConfig({
    clickhouse: { embedded: join(dir, 'chdb') },
    traces: { table },
    alerting: { stateDir: join(dir, stateDir), openAfter: 1, resolveAfter: 1, cooldown: '1m', ...alerting } as never,
    notify: { linear: { apiKey: API_KEY, teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d', apiUrl: fake.url, resolvedStateId: '4e1c6c34-6d2e-4c1f-9f38-7f2a0b3f5a11' } },
  });
}

async function app(cfg: Config): Promise<App> {
  const a = await createApp(cfg, log);
  apps.push(a);
  return a;
}

describe('Linear sink', () => {
  it('sends only documents that validate against Linear’s schema', () => {
    for (const doc of ALL_DOCUMENTS)
      assert.deepEqual(
        validate(linearSchema(), parse(doc)).map((e) => e.message),
        [],
      );
  });

  it('opens exactly one issue naming tool-API drift for a drifting tool, with its evidence', async () => {
    const a = await app(config('drifting', 'state-a'));
    const outcome = await evaluate(a, AT);
    assert.ok(outcome.report.signals.some((s) => s.status === 'drift'));
    assert.equal(fake.issues.length, 1);
    const issue = fake.issues[0]!;
    assert.match(issue.title, /^Tool-API drift: refund_payment (error rate|retry rate|latency)/);
    assert.equal(issue.teamId, '9cfb482a-81e3-4154-b5b9-2c805e70a02d');
    assert.match(issue.description, /driftMode: tool-api/);
    assert.match(issue.description, /p-value/);
    assert.match(issue.description, /### What to check first/);
    const traceIds = outcome.report.signals.find((s) => s.status === 'drift')!.evidence.traceIds;
    assert.ok(traceIds.length > 0 && traceIds.every((t) => issue.description.includes(t)));
    assert.equal(fake.attachments.length, 1);
    assert.match(fake.attachments[0]!.url, /^https:\/\/driftwatch\.invalid\/alerts\/[0-9a-f]{16}$/);
    assert.ok(fake.requests.every((r) => r.valid && r.authorization === API_KEY));
    assert.deepEqual(a.state.outbox, []);
  });

  it('comments on refire after the cooldown instead of opening another issue', async () => {
    const a = apps[0]!;
    await evaluate(a, new Date(AT.getTime() + 5 * 60_000));
    assert.equal(fake.issues[0]!.comments.length, 5 * 60_000 >= a.config.alerting.cooldown ? 1 : 0);
    assert.match(fake.issues[0]!.comments[0]!.body, /^\*\*Still drifting\*\*/);
    assert.equal(fake.issues.length, 1);
  });

  it('never opens a duplicate after a restart or from a second replica with no state of its own', async () => {
    const restarted = await app(config('drifting', 'state-a'));
    await evaluate(restarted, new Date(AT.getTime() + 10 * 60_000));
    const replica = await app(config('drifting', 'state-replica'));
    await evaluate(replica, new Date(AT.getTime() + 10 * 60_000));
    assert.equal(fake.issues.length, 1);
    assert.equal(fake.attachments.length, 1);
    assert.ok(fake.issues[0]!.comments.some((c) => c.body.startsWith('**Drifting again**')));
  });

  it('keeps an alert through a rate limit and a 5xx, and delivers it later honouring retry-after', async () => {
    rmSync(join(dir, 'state-rl'), { recursive: true, force: true });
    const a = await app(config('drifting', 'state-rl'));
    // A new episode: drop what the earlier tests opened so this one has to create.
    fake.issues.forEach((i) => (i.stateType = 'completed'));
    const before = fake.issues.length;
    fake.rateLimitNext(1, 120);
    const at = new Date(AT.getTime() + 15 * 60_000);
    await evaluate(a, at, { now: () => at });
    assert.equal(fake.issues.length, before);
    assert.equal(a.state.outbox.length, 1);
    const item = a.state.outbox[0]!;
    assert.match(item.lastError!, /rate limit/i);
    assert.ok(Date.parse(sinkRetry(item, 'linear').nextAttemptAt) - at.getTime() >= 120_000, sinkRetry(item, 'linear').nextAttemptAt);
    assert.equal((await a.metrics.outboxPending.get()).values[0]!.value, 1);

    await flushOutbox(a, new Date(at.getTime() + 60_000)); // not yet due
    assert.equal(a.state.outbox.length, 1);
    fake.failNext(1);
    await flushOutbox(a, new Date(at.getTime() + 121_000)); // due, but Linear answers 503
    assert.equal(a.state.outbox.length, 1);
    assert.match(a.state.outbox[0]!.lastError!, /HTTP 503|NetworkError|unavailable/i);
    await flushOutbox(a, new Date(at.getTime() + 10 * 60_000));
    assert.equal(a.state.outbox.length, 0);
    assert.equal((await a.metrics.outboxPending.get()).values[0]!.value, 0);
    assert.equal(fake.issues.length, before + 1);
  });

  it('comments on recovery and moves the issue to the resolved state', async () => {
    const a = await app(config('stationary', 'state-rl'));
    // Later than the cycle that opened the alert: an earlier one is judged as a dry run and moves nothing.
    const at = new Date(AT.getTime() + 16 * 60_000);
    await evaluate(a, at, { now: () => at });
    const issue = fake.issues.at(-1)!;
    assert.ok(
      issue.comments.some((c) => c.body.startsWith('**Recovered**')),
      JSON.stringify(issue.comments),
    );
    assert.equal(issue.stateId, '4e1c6c34-6d2e-4c1f-9f38-7f2a0b3f5a11');
    assert.deepEqual(a.state.alerts, {});
  });

  it('keeps a refused comment in the outbox (only "already exists" counts as delivered)', async () => {
    const a = await app(config('drifting', 'state-refused'));
    const opened = new Date(AT.getTime() + 20 * 60_000);
    await evaluate(a, opened, { now: () => opened });
    const issue = fake.issues.find((i) => i.stateType !== 'completed')!;
    const comments = issue.comments.length;
    fake.rejectNext(1, 'DriftwatchAddComment');
    const refire = new Date(AT.getTime() + 25 * 60_000);
    await evaluate(a, refire, { now: () => refire });
    assert.equal(issue.comments.length, comments, 'the refused comment is not there');
    assert.equal(a.state.outbox.length, 1, 'and the event is still in the outbox');
    assert.match(sinkRetry(a.state.outbox[0]!, 'linear').lastError!, /InvalidInput \(HTTP 400\)/);
    const counted = (await a.metrics.notificationsTotal.get()).values;
    assert.equal(counted.find((v) => v.labels.outcome === 'rejected' && v.labels.sink === 'linear')?.value, 1);
    assert.equal(counted.find((v) => v.labels.outcome === 'delivered' && v.labels.sink === 'linear')?.value, 1, 'only the issue was delivered');
    // A refusal is retried hourly; then it lands.
    await flushOutbox(a, new Date(refire.getTime() + 61 * 60_000));
    assert.equal(a.state.outbox.length, 0);
    assert.equal(issue.comments.length, comments + 1);
    assert.match(issue.comments.at(-1)!.body, /^\*\*Still drifting\*\*/);
  });

  it('never sends a credential from traceLinkTemplate', async () => {
    const cfg = config('drifting', 'state-template');
    const a = await app({ ...cfg, notify: { ...cfg.notify, traceLinkTemplate: 'https://grafana.example/explore?api_key=glsa_tpl_secret_9&traceId={traceId}' } });
    const at = new Date(AT.getTime() + 30 * 60_000);
    await evaluate(a, at, { now: () => at });
    const sent = fake.issues.flatMap((i) => [i.title, i.description, ...i.comments.map((c) => c.body)]).join('\n');
    assert.ok(!sent.includes('glsa_tpl_secret_9'));
    assert.match(sent, /api_key=\[redacted\]&traceId=/);
  });

  it('opens nothing for a stationary week', async () => {
    const before = fake.issues.length;
    const a = await app(config('stationary', 'state-stationary'));
    for (let h = 0; h < 12; h++) await evaluate(a, new Date(AT.getTime() - h * 3_600_000));
    assert.equal(fake.issues.length, before);
  });
});

describe('Linear errors', () => {
  it('reports a rejected key as a final error that does not contain the key', async () => {
    const { linearNotifier } = await import('./index.ts');
    const { buildAlertContent } = await import('../content.ts');
    const { NotifyError } = await import('../types.ts');
    const wrongKey = 'lin_api_wrong_key_should_not_leak';
    const sink = linearNotifier({ apiKey: wrongKey, teamId: 't', apiUrl: fake.url, labelIds: [], attachmentUrlBase: 'https://driftwatch.invalid/alerts' });
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
    const event = {
      id: 'e',
      kind: 'opened' as const,
      fingerprint: 'f',
      episode: 'ep',
      at: 'now',
      openedAt: 'now',
      result,
      facets: [result],
      windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
    };
    await assert.rejects(sink.deliver(event, buildAlertContent(event), { get: () => undefined, set: () => undefined }, AbortSignal.timeout(10_000)), (err: unknown) => {
      assert.ok(err instanceof NotifyError);
      assert.equal(err.retryable, false);
      assert.match(err.message, /authentication/i);
      assert.ok(!err.message.includes(wrongKey));
      assert.ok(!JSON.stringify(err).includes(wrongKey));
      return true;
    });
  });

  // A 429 from a gateway in front of Linear: no `extensions.type`, Retry-After in either form.
  for (const [form, header, expectedMs] of [
    ['seconds', '90', 90_000],
    ['an HTTP date', () => new Date(Date.now() + 95_000).toUTCString(), 95_000],
  ] as const) {
    it(`treats an untyped HTTP 429 as a rate limit and waits its Retry-After given as ${form}`, async () => {
      const { linearNotifier } = await import('./index.ts');
      const { buildAlertContent } = await import('../content.ts');
      const { NotifyError } = await import('../types.ts');
      const sink = linearNotifier({ apiKey: API_KEY, teamId: FAKE_TEAM_ID, apiUrl: fake.url, labelIds: [], attachmentUrlBase: 'https://driftwatch.invalid/alerts' });
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
      const event = {
        id: 'e429',
        kind: 'opened' as const,
        fingerprint: 'f429',
        episode: 'ep',
        at: 'now',
        openedAt: 'now',
        result,
        facets: [result],
        windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
      };
      fake.rateLimitNext(1, typeof header === 'function' ? header() : header, { untyped: true });
      await assert.rejects(sink.deliver(event, buildAlertContent(event), { get: () => undefined, set: () => undefined }, AbortSignal.timeout(10_000)), (err: unknown) => {
        assert.ok(err instanceof NotifyError);
        assert.equal(err.retryable, true, 'a rate limit is retried, not refused');
        assert.match(err.message, /rate limit \(HTTP 429\)/);
        assert.ok(err.retryAfterMs !== undefined && Math.abs(err.retryAfterMs - expectedMs) <= 2_000, String(err.retryAfterMs));
        // The outbox waits exactly that long, not its hour for refusals nor its short backoff.
        assert.ok(Math.abs(retryDelayMs(1, err) - expectedMs) <= 2_000, String(retryDelayMs(1, err)));
        return true;
      });
    });
  }
});
