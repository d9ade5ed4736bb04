/**
 * An alert as Slack Block Kit: a header naming the drift, the drift mode and layer, the verdict's
 * message, the last 48 hours and onset, links to failing traces and a passing baseline one, and a
 * dashboard button. Every text that came from traces passes slackText (escaped, mentions
 * disarmed); link texts lose `|` and `>`, which would end Slack's `<url|text>` early. Within
 * Slack's limits: header 150 characters, section 3000, button text 75, at most 50 blocks.
 */
import type { AlertEvent } from '../../alerting/state-machine.ts';
import type { AlertContent, TraceLink } from '../content.ts';
import { onsetText } from '../content.ts';
import { PLAYBOOK } from '../playbook.ts';
import { singleLine, slackText } from '../untrusted.ts';

import type { KnownBlock, MrkdwnElement, PlainTextElement } from '@slack/web-api';

type Block = KnownBlock;

const plain = (text: string, max: number): PlainTextElement => ({ type: 'plain_text', text: singleLine(text, max), emoji: true });
const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text: text.slice(0, 3000) });
/** `<url|id>` for a trace (ids come from traces); the bare id in code when there is no link. */
const traceLink = (l: TraceLink) => {
  const id = slackText(l.id, 80).replace(/[|>`]/g, '');
  return l.url ? `<${l.url.replace(/[|>]/g, encodeURIComponent)}|${id}>` : `\`${id}\``;
};

export function alertBlocks(event: AlertEvent, content: AlertContent): Block[] {
  const r = event.result;
  const icon = event.kind === 'opened' ? '🚨' : event.kind === 'resolved' ? '✅' : '⚠️';
  const prefix = event.kind === 'resolved' ? 'Recovered: ' : event.kind === 'refired' ? 'Still drifting: ' : '';
  const blocks: Block[] = [
    { type: 'header', text: plain(`${icon} ${prefix}${content.title}`, 150) },
    {
      type: 'section',
      text: mrkdwn(`*${PLAYBOOK[r.driftMode].label}* · drift mode \`${r.driftMode}\` · layer \`${r.layer}\`\n${slackText(r.message, 2500)}`),
    },
  ];
  const onset = r.evidence.onset ? onsetText(r.evidence.onset) : '';
  if (content.chart && event.kind !== 'resolved') blocks.push({ type: 'section', text: mrkdwn(`\`${slackText(content.chart, 400).replaceAll('`', '')}\``) });
  else if (onset) blocks.push({ type: 'context', elements: [mrkdwn(onset)] });
  if (event.kind !== 'resolved') {
    const lines: string[] = content.impact ? [`*Impact:* ${slackText(content.impact, 300)}`] : [];
    if (content.links.failing.length > 0) lines.push(`*Failing now:* ${content.links.failing.slice(0, 5).map(traceLink).join(', ')}`);
    if (content.links.passing.length > 0) lines.push(`*Passing in the baseline:* ${content.links.passing.slice(0, 1).map(traceLink).join(', ')}`);
    if (lines.length > 0) blocks.push({ type: 'section', text: mrkdwn(lines.join('\n')) });
    if (content.patterns.length > 0) blocks.push({ type: 'section', text: mrkdwn(['*Failure patterns:*', ...content.patterns.map((p) => `• ${slackText(p, 400)}`)].join('\n')) });
  }
  const buttons = [
    ...(content.links.dashboard ? [{ type: 'button' as const, text: plain('Open the dashboard', 75), url: content.links.dashboard.slice(0, 3000), action_id: 'driftwatch-dashboard' }] : []),
    ...(content.links.runbook ? [{ type: 'button' as const, text: plain('What to do', 75), url: content.links.runbook.slice(0, 3000), action_id: 'driftwatch-runbook' }] : []),
  ];
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  blocks.push({ type: 'context', elements: [mrkdwn(`fingerprint \`${event.fingerprint}\` · opened ${event.openedAt}`)] });
  return blocks;
}
