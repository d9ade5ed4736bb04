/**
 * The generic webhook sink, for incident tools (PagerDuty, Opsgenie, incident.io, an in-house
 * router): every alert event is one JSON POST, signed with HMAC-SHA256 when a secret is set, so the
 * receiver can tell driftwatch's requests from anyone else's. Retries are the outbox's: a 5xx, a
 * 429 (its Retry-After honoured), a timeout or a refused connection is tried again later; any other
 * 4xx means the receiver will never take this event, and it is set aside.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../config/shape.ts';
import type { AlertEvent } from '../../alerting/state-machine.ts';
import type { AlertContent } from '../content.ts';
import { retryAfterMs } from '../retry-after.ts';
import { NotifyError, type Notifier } from '../types.ts';

type WebhookConfig = NonNullable<Config['notify']['webhook']>;

/** The body's shape version: a receiver can refuse one it does not know. */
export const WEBHOOK_BODY_VERSION = 1;

/** The JSON body of one event: the same facts the other sinks carry, as data. */
export function webhookBody(event: AlertEvent, content: AlertContent) {
  const r = event.result;
  return {
    version: WEBHOOK_BODY_VERSION,
    id: event.id,
    kind: event.kind,
    fingerprint: event.fingerprint,
    episode: event.episode,
    at: event.at,
    openedAt: event.openedAt,
    title: content.title,
    summary: content.summary,
    // Markdown: the issue text for an opened alert, the follow-up for later events.
    text: event.kind === 'opened' ? content.description : content.comment,
    chart: content.chart,
    impact: content.impact,
    driftMode: r.driftMode,
    layer: r.layer,
    signal: r.signal,
    subject: r.subject,
    status: r.status,
    value: r.value,
    baseline: r.baseline,
    pValue: r.pValue,
    onset: r.evidence.onset ?? null,
    facets: event.facets.map((f) => ({ signal: f.signal, status: f.status, value: f.value, baseline: f.baseline, pValue: f.pValue, message: f.message })),
    patterns: content.patterns,
    links: content.links,
    windows: event.windows,
  };
}

/** `X-Driftwatch-Signature`: `sha256=` and the hex HMAC of `<timestamp>.<body>` under the secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookNotifier(config: WebhookConfig, now: () => number = Date.now): Notifier {
  // Where the requests go, for errors: the host alone, since a webhook's path or query is often
  // its credential.
  const where = new URL(config.url).host;
  return {
    name: 'webhook',
    async deliver(event, content, _refs, signal) {
      const body = JSON.stringify(webhookBody(event, content));
      const timestamp = String(Math.floor(now() / 1000));
      const headers: Record<string, string> = {
        ...config.headers,
        'content-type': 'application/json',
        'user-agent': 'driftwatch',
        // The same id on every retry: a receiver drops the repeats.
        'x-driftwatch-event': event.id,
        'x-driftwatch-timestamp': timestamp,
        ...(config.secret ? { 'x-driftwatch-signature': webhookSignature(config.secret, timestamp, body) } : {}),
      };
      let response: Response;
      try {
        response = await fetch(config.url, { method: 'POST', headers, body, signal, redirect: 'error' });
      } catch (err) {
        if (signal.aborted) throw new NotifyError('webhook', `webhook at ${where} did not answer in time`, true);
        throw new NotifyError('webhook', `webhook at ${where} unreachable: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, true);
      }
      // The answer is not read beyond its status: nothing of it is shown anywhere.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      const status = response.status;
      if (status === 429) throw new NotifyError('webhook', `webhook at ${where} is rate limiting (HTTP 429)`, true, retryAfterMs(response.headers.get('retry-after'), now()));
      if (status >= 500 || status === 408) throw new NotifyError('webhook', `webhook at ${where} failed with HTTP ${status}`, true, retryAfterMs(response.headers.get('retry-after'), now()));
      throw new NotifyError('webhook', `webhook at ${where} refused the event with HTTP ${status}`, false);
    },
  };
}
