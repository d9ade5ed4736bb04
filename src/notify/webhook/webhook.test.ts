// The webhook sink against a loopback HTTP receiver that checks the signature as a user's would:
// what is sent, how it is signed, and which answers are retried.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { webhookNotifier } from './index.ts';
import { buildAlertContent } from '../content.ts';
import { NotifyError } from '../types.ts';
import type { AlertEvent } from '../../alerting/state-machine.ts';
import { secretValues } from '../../config/secrets.ts';
import { configSchema } from '../../config/schema.ts';

const SECRET = 'whsec-0123456789abcdef';
const NOW = Date.parse('2026-12-07T10:00:00Z');
let server: Server;
let url = '';
/** What the receiver answers next (status and headers), and what it received. */
let answer: { status: number; headers?: Record<string, string> } = { status: 200 };
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer.status, answer.headers).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/driftwatch`;
});
after(() => server.close());

const result = {
  signal: 'tool_error_rate',
  driftMode: 'tool-api' as const,
  layer: 'tool' as const,
  // A tool name from a trace, with a line break and a quote: it must stay data.
  subject: { tool: 'refund"\npayment' },
  status: 'drift' as const,
  value: 0.15,
  baseline: 0.02,
  samples: { current: 300, baseline: 3000 },
  pValue: 1e-9,
  evidence: { traceIds: ['t1', 't2'], unit: 'ratio' as const },
  message: 'refund_payment error rate 2.0% → 15.0%',
};
const event: AlertEvent = {
  id: 'ep:opened:2026-12-07T10:00:00Z',
  kind: 'opened',
  fingerprint: 'fp',
  episode: 'ep',
  at: '2026-12-07T10:00:00Z',
  openedAt: '2026-12-07T10:00:00Z',
  result,
  facets: [result],
  windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
};
const sink = (extra: Record<string, unknown> = {}) => webhookNotifier({ url, secret: SECRET, headers: { Authorization: 'Bearer receiver-key-0123456789' }, ...extra }, () => NOW);
const send = (s = sink()) => s.deliver(event, buildAlertContent(event), { get: () => undefined, set: () => undefined }, AbortSignal.timeout(5_000));

/** The receiver's check: HMAC-SHA256 of "<timestamp>.<body>", compared in constant time. */
function verified(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${headers['x-driftwatch-timestamp']}.${body}`).digest('hex')}`);
  const got = Buffer.from(String(headers['x-driftwatch-signature']));
  return want.length === got.length && timingSafeEqual(want, got);
}

it('posts the event as signed JSON with its id, the extra headers, and the same facts as the other sinks', async () => {
  received.length = 0;
  answer = { status: 204 };
  await send();
  const [req] = received;
  assert.ok(req);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['x-driftwatch-event'], event.id);
  assert.equal(req.headers['x-driftwatch-timestamp'], String(NOW / 1000));
  assert.equal(req.headers.authorization, 'Bearer receiver-key-0123456789');
  assert.ok(verified(req.headers, req.body, SECRET), 'the signature verifies with the shared secret');
  assert.ok(!verified(req.headers, req.body.replace('15', '16'), SECRET), 'and not over a changed body');
  assert.ok(!verified(req.headers, req.body, 'another-secret-0123'), 'nor under another secret');
  const body = JSON.parse(req.body) as Record<string, unknown>;
  const content = buildAlertContent(event);
  assert.equal(body.version, 1);
  assert.equal(body.kind, 'opened');
  assert.equal(body.title, content.title);
  assert.equal(body.text, content.description);
  assert.deepEqual(body.subject, { tool: 'refund"\npayment' }, 'trace text arrives as data, not as markup');
  assert.equal(body.driftMode, 'tool-api');
  assert.equal(body.value, 0.15);
  assert.deepEqual(
    (body.links as { failing: { id: string }[] }).failing.map((l) => l.id),
    ['t1', 't2'],
  );
  assert.ok(!req.body.includes(SECRET), 'the secret itself is never sent');
});

it('is unsigned without a secret', async () => {
  received.length = 0;
  answer = { status: 200 };
  await send(webhookNotifier({ url, headers: {} }, () => NOW));
  assert.equal(received[0]!.headers['x-driftwatch-signature'], undefined);
});

it('retries what may pass later and sets aside what never will', async () => {
  const cases: [string, { status: number; headers?: Record<string, string> }, boolean, number | undefined][] = [
    ['a receiver that is down for a moment', { status: 503 }, true, undefined],
    ['a rate limit, with its Retry-After', { status: 429, headers: { 'retry-after': '7' } }, true, 7_000],
    ['a timeout the receiver reports', { status: 408 }, true, undefined],
    ['a request the receiver will never take', { status: 400 }, false, undefined],
    ['a key the receiver does not know', { status: 401 }, false, undefined],
  ];
  for (const [name, a, retryable, after] of cases) {
    answer = a;
    await assert.rejects(send(), (err: unknown) => {
      assert.ok(err instanceof NotifyError, name);
      assert.equal(err.retryable, retryable, name);
      assert.equal(err.retryAfterMs, after, name);
      assert.match(err.message, new RegExp(`HTTP ${a.status}`), name);
      return true;
    });
  }
  const closed = webhookNotifier({ url: 'http://127.0.0.1:1/hook', headers: {} }, () => NOW);
  await assert.rejects(send(closed), (err: unknown) => err instanceof NotifyError && err.retryable && /unreachable/.test(err.message));
});

it('takes its secret and header values for secrets: they are redacted wherever they appear', () => {
  const config = configSchema.parse({ notify: { webhook: { url: 'https://hooks.example/alerts', secret: SECRET, headers: { Authorization: 'Bearer receiver-key-0123456789' } } } });
  const secrets = secretValues(config);
  assert.ok(secrets.includes(SECRET));
  assert.ok(secrets.includes('receiver-key-0123456789'));
  assert.ok(secrets.includes('https://hooks.example/alerts'), 'a webhook URL often is its own credential');
  assert.throws(() => configSchema.parse({ notify: { webhook: { url: 'ftp://x', secret: 'short' } } }));
});
