// The Slack sink against a loopback Web API: a message per alert, its later events in the thread.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { slackNotifier } from './index.ts';
import { buildAlertContent } from '../content.ts';
import { NotifyError, type SinkRefs } from '../types.ts';
import type { AlertEvent } from '../../alerting/state-machine.ts';
import { startSlackFake, type SlackFake } from '../../../test/helpers/slack-server.ts';

const TOKEN = 'xoxb-test-token-42';
let fake: SlackFake;
before(async () => {
  fake = await startSlackFake(TOKEN);
});
after(async () => fake.close());

const result = {
  signal: 'tool_error_rate',
  driftMode: 'tool-api' as const,
  layer: 'tool' as const,
  subject: { tool: 'refund_payment' },
  status: 'drift' as const,
  value: 0.15,
  baseline: 0.02,
  samples: { current: 300, baseline: 3000 },
  pValue: 1e-9,
  evidence: { traceIds: ['t1'], unit: 'ratio' as const },
  message: 'refund_payment error rate 2.0% → 15.0%',
};
const event = (kind: AlertEvent['kind'], at: string): AlertEvent => ({
  id: `ep:${kind}:${at}`,
  kind,
  fingerprint: 'fp',
  episode: 'ep',
  at,
  openedAt: 't0',
  result: kind === 'resolved' ? { ...result, status: 'ok' } : result,
  facets: [result],
  windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
});

function memoryRefs(): SinkRefs {
  const store: Record<string, Record<string, string>> = {};
  return {
    get: (e) => store[e],
    set: (e, v) => {
      store[e] = v;
    },
  };
}

it('posts the alert, then threads the refire and the recovery under it', async () => {
  const sink = slackNotifier({ token: TOKEN, channel: 'C123', apiUrl: fake.url }, 10_000);
  const refs = memoryRefs();
  for (const e of [event('opened', 't1'), event('refired', 't2'), event('resolved', 't3')]) await sink.deliver(e, buildAlertContent(e), refs, AbortSignal.timeout(10_000));
  assert.equal(fake.messages.length, 3);
  const [first, second, third] = fake.messages;
  assert.match(first!.text, /Tool-API drift: refund_payment error rate 2\.0% → 15\.0%/);
  assert.equal(first!.thread_ts, undefined);
  assert.equal(second!.thread_ts, first!.ts);
  assert.equal(third!.thread_ts, first!.ts);
  assert.match(third!.text, /Recovered/);
});

it('turns a 429 into a retryable error carrying retry-after, and a refusal into a final one, without the token', async () => {
  const sink = slackNotifier({ token: TOKEN, channel: 'C123', apiUrl: fake.url }, 10_000);
  fake.rateLimitNext(1, 30);
  const e = event('opened', 't9');
  await assert.rejects(sink.deliver(e, buildAlertContent(e), memoryRefs(), AbortSignal.timeout(10_000)), (err: unknown) => {
    assert.ok(err instanceof NotifyError);
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, 30_000);
    return true;
  });
  const wrong = slackNotifier({ token: 'xoxb-wrong-token', channel: 'C123', apiUrl: fake.url }, 10_000);
  await assert.rejects(wrong.deliver(e, buildAlertContent(e), memoryRefs(), AbortSignal.timeout(10_000)), (err: unknown) => {
    assert.ok(err instanceof NotifyError);
    assert.equal(err.retryable, false);
    assert.match(err.message, /invalid_auth/);
    assert.ok(!err.message.includes('xoxb-wrong-token'));
    return true;
  });
});

it('posts tool names and messages from traces as text: no channel-wide ping, mention or link', async () => {
  const sink = slackNotifier({ token: TOKEN, channel: 'C123', apiUrl: fake.url }, 10_000);
  const hostile = '<!channel> <@U024BE7LH> <https://evil.example|click here> & more\nsecond line';
  const e: AlertEvent = { ...event('opened', 'hostile'), result: { ...result, subject: { tool: hostile }, message: `${hostile} error rate 2.0% → 15.0%` } };
  await sink.deliver(e, buildAlertContent(e), memoryRefs(), AbortSignal.timeout(10_000));
  const posted = fake.messages.at(-1)!;
  assert.doesNotMatch(posted.text, /<!|<@|<https?:/, posted.text);
  assert.match(posted.text, /&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https:\/\/evil\.example\|click here&gt; &amp; more/);
  assert.doesNotMatch(posted.text, /\n/);
  assert.equal(posted.link_names, 'false');
});

it('adds the hourly sparkline and the onset on a second line', async () => {
  const sink = slackNotifier({ token: TOKEN, channel: 'C123', apiUrl: fake.url }, 10_000);
  const values = [...Array(46).fill(0.02), 0.15, 0.16];
  const e: AlertEvent = {
    ...event('opened', 'chart'),
    result: {
      ...result,
      evidence: {
        ...result.evidence,
        hourly: { from: '2026-11-18T00:00:00.000Z', values },
        onset: { at: '2026-11-19T22:00:00.000Z', earliest: '2026-11-19T22:00:00.000Z', latest: '2026-11-19T22:00:00.000Z', stepMinutes: 60, method: 'm' },
      },
    },
  };
  await sink.deliver(e, buildAlertContent(e), memoryRefs(), AbortSignal.timeout(10_000));
  const [first, second] = fake.messages.at(-1)!.text.split('\n');
  assert.match(first!, /^:rotating_light: Tool-API drift: refund_payment/);
  assert.equal(second, `${'▁'.repeat(46)}██ 2.0%–16.0%, last 48 h · started ≈ 2026-11-19 22:00 UTC ± 1 h`);
});

it('posts Block Kit within Slack’s limits: drift mode, traces failing now and passing before, the dashboard, text from traces disarmed', async () => {
  const hostile = '<!channel> <https://evil.example|click> *bold* `tick`';
  const patterns = [{ name: `${hostile} SchemaError`, size: 40, share: 0.8, baselineShare: 0, traceIds: ['t1'] }];
  const hostileResult = {
    ...result,
    subject: { tool: hostile },
    message: `${hostile} error rate 2.0% → 15.0%`,
    evidence: { ...result.evidence, traceIds: ['t1|x>', 't2'], passingTraceIds: ['ok-1'], patterns },
  };
  const e: AlertEvent = { ...event('opened', 't9'), result: hostileResult, facets: [hostileResult] };
  const sink = slackNotifier({ token: TOKEN, channel: 'C123', apiUrl: fake.url }, 10_000);
  const before = fake.messages.length;
  await sink.deliver(
    e,
    buildAlertContent(e, { traceLinkTemplate: 'https://traces.example/t/{traceId}', dashboardUrl: 'https://grafana.example/d/driftwatch' }),
    memoryRefs(),
    AbortSignal.timeout(10_000),
  );
  const posted = fake.messages[before]!;
  const blocks = posted.blocks!;
  assert.equal(blocks[0]!.type, 'header');
  assert.match(blocks[0]!.text!.text, /^🚨 Tool-API drift: /);
  const all = JSON.stringify(blocks);
  assert.match(all, /drift mode `tool-api` · layer `tool`/);
  // An id no trace viewer should be handed is shown, disarmed, but not linked.
  assert.match(all, /\*Failing now:\* `t1x&gt;`, <https:\/\/traces\.example\/t\/t2\|t2>/);
  assert.match(all, /\*Passing in the baseline:\* <https:\/\/traces\.example\/t\/ok-1\|ok-1>/);
  assert.match(all, /\*Failure patterns:\*\\n• &lt;!channel&gt; &lt;https:\/\/evil\.example\|click&gt; \*bold\* `tick` SchemaError: 40 traces, 80% of those affected \(not in the baseline: new\)/);
  const button = blocks.find((b) => b.type === 'actions')!.elements![0]!;
  assert.equal(button.url, 'https://grafana.example/d/driftwatch?var-drift_mode=tool-api&var-layer=tool&var-subject=%3C%21channel%3E+%3Chttps%3A%2F%2Fevil.example%7Cclick%3E+*bold*+%60tick%60');
  // Trace text never becomes a mention or a link of its own.
  const sections = blocks
    .filter((b) => b.type === 'section')
    .map((b) => b.text!.text)
    .join('\n');
  assert.doesNotMatch(sections, /<!channel>|<https:\/\/evil/);
  assert.match(sections, /&lt;!channel&gt;/);
});
