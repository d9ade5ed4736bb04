// One drifting verdict delivered through every sink (the file, Linear's loopback API that checks
// each GraphQL document against Linear's schema, Slack's loopback Web API, a webhook receiver):
// each carries the same facts and the same numbers, because one renderer writes them all.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { SignalResult } from '../core/verdict.ts';
import { configSchema } from '../config/schema.ts';
import { buildAlertContent, onsetText } from './content.ts';
import { fileNotifier } from './file/index.ts';
import { linearNotifier } from './linear/index.ts';
import { slackNotifier } from './slack/index.ts';
import { webhookNotifier } from './webhook/index.ts';
import type { SinkRefs } from './types.ts';
import { FAKE_TEAM_ID, startLinearFake, type LinearFake } from '../../test/helpers/linear-server.ts';
import { startSlackFake, type SlackFake } from '../../test/helpers/slack-server.ts';

const KEY = 'lin_api_same_facts_0123456789';
const SLACK_TOKEN = 'xoxb-same-facts-0123456789';
const onset = { at: '2026-12-07T09:35:00.000Z', earliest: '2026-12-07T09:30:00.000Z', latest: '2026-12-07T09:40:00.000Z', stepMinutes: 5, method: 'binary segmentation' };
const result: SignalResult = {
  signal: 'tool_error_rate',
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool: 'refund_payment' },
  status: 'drift',
  value: 0.15,
  baseline: 0.02,
  samples: { current: 300, baseline: 3000 },
  pValue: 1e-9,
  evidence: {
    traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
    unit: 'ratio',
    test: 'one-sided two-proportion z',
    alpha: 0.001,
    pValueAdjusted: 4e-9,
    onset,
    hourly: { from: '2026-12-05T10:00:00.000Z', values: [...Array.from({ length: 47 }, () => 0.02), 0.15] },
    patterns: [{ name: 'SchemaError: field refund_id missing', size: 40, share: 0.8, baselineShare: 0, traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'] }],
  },
  message: 'refund_payment error rate 2.0% → 15.0% (45/300 calls failed now, 60/3000 in the baseline): significant (one-sided two-proportion z, p=1.0e-9) and practical (+13.0 pp, ×7.5)',
};
const event: AlertEvent = {
  id: 'ep:opened:2026-12-07T10:05:00Z',
  kind: 'opened',
  fingerprint: 'fp-same-facts',
  episode: 'ep',
  at: '2026-12-07T10:05:00Z',
  openedAt: '2026-12-07T10:05:00Z',
  result,
  facets: [result],
  windows: { current: { from: '2026-12-07T09:00:00.000Z', to: '2026-12-07T10:00:00.000Z' }, baseline: { from: '2026-11-30T09:00:00.000Z', to: '2026-12-07T09:00:00.000Z' } },
};
const content = buildAlertContent(event, { traceLinkTemplate: 'https://traces.example/t/{traceId}', externalUrl: 'https://driftwatch.example', configFile: '/etc/driftwatch/driftwatch.yaml' });

/** The facts every sink must carry, as they read in text. */
const FACTS: [string, string][] = [
  ['the change', '2.0% → 15.0%'],
  ['the impact', 'about 39 of the 300 counted an hour'],
  ['the onset', onsetText(onset).replace(/^started ≈ /, '')],
  ['the top failure pattern', 'SchemaError: field refund_id missing'],
  ['the first example trace, linked', 'https://traces.example/t/4bf92f3577b34da6a3ce929d0e0e4736'],
  ['the runbook', 'https://driftwatch.example/runbooks#tool-api'],
];

/** Every string inside a JSON value (Slack's blocks, the links), in order. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

let linear: LinearFake;
let slack: SlackFake;
let receiver: Server;
let received = '';
const refs = (): SinkRefs => {
  const kept: Record<string, Record<string, string>> = {};
  return {
    get: (e) => kept[e],
    set: (e, v) => {
      kept[e] = v;
    },
  };
};

before(async () => {
  linear = await startLinearFake(KEY);
  slack = await startSlackFake(SLACK_TOKEN);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received = body;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await linear.close();
  await slack.close();
  await new Promise((resolve) => receiver.close(resolve));
});

it('the file, Linear, Slack and a webhook carry the same facts and numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-facts-'));
  const signal = () => AbortSignal.timeout(10_000);
  await fileNotifier(join(dir, 'alerts.jsonl')).deliver(event, content, refs(), signal());
  await linearNotifier({ apiKey: KEY, teamId: FAKE_TEAM_ID, apiUrl: linear.url, labelIds: [], attachmentUrlBase: 'https://driftwatch.invalid/alerts' }).deliver(event, content, refs(), signal());
  await slackNotifier({ token: SLACK_TOKEN, channel: 'C123', apiUrl: slack.url }, 10_000).deliver(event, content, refs(), signal());
  const webhook = configSchema.parse({ notify: { webhook: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` } } }).notify.webhook!;
  await webhookNotifier(webhook).deliver(event, content, refs(), signal());

  const file = JSON.parse(readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim()) as { markdown: string; links: unknown };
  const body = JSON.parse(received) as { text: string; impact: string; links: unknown };
  const texts: Record<string, string> = {
    file: [file.markdown, ...strings(file.links)].join('\n'),
    linear: linear.issues[0]!.description,
    slack: strings(slack.messages[0]!.blocks).join('\n'),
    webhook: [body.text, body.impact, ...strings(body.links)].join('\n'),
  };
  for (const [sink, text] of Object.entries(texts)) {
    // Markdown's backslash escapes aside, the same words and numbers.
    const plain = text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    for (const [fact, words] of FACTS) assert.ok(plain.includes(words), `${sink} lacks ${fact} ("${words}") in ${plain.slice(0, 600)}`);
  }
});
