/**
 * Text that came from traces (tool names, error classes, retrievers, trace ids, messages that
 * quote them) is untrusted: whoever controls a span controls it. These pure functions make it
 * inert for each place it is rendered: one plain line, Markdown (Linear), Slack's mrkdwn.
 */

import { CONTROL } from '../core/escape.ts';

/** One line: controls and line breaks become spaces, runs of spaces one, at most `max` characters. */
export function singleLine(text: string, max = 200): string {
  const flat = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

// Every ASCII punctuation character may be backslash-escaped in CommonMark. Escaping all of them
// also splits URLs and domain names, so a renderer's autolinker finds nothing to link.
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Markdown that renders as exactly this text: no links, headings, rules, emphasis or HTML. */
export function markdownText(text: string): string {
  return singleLine(text, 2000).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** A Markdown code span holding this text verbatim (never formatted or linked). */
export function markdownCode(text: string): string {
  const flat = singleLine(text, 300);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A value for a URL placed in a Markdown link: percent-encoded, including the parentheses and
 * quotes encodeURIComponent leaves alone, which would end the link's destination early.
 */
/**
 * A trace id as its producers write it: hex, a UUID, or a short name of letters, digits, `-`, `_`,
 * `.` and `:`. Only such ids become links: a trace viewer's query (Grafana's Explore, a SQL
 * filter) takes the id as it comes, so a crafted one must never reach it.
 */
const LINKABLE_TRACE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The link of a trace id under `template` (`{traceId}` replaced), or null: no template, or an id not safe to link. */
export function traceUrl(template: string | undefined, traceId: string): string | null {
  if (!template || !LINKABLE_TRACE_ID.test(traceId)) return null;
  return template.replaceAll('{traceId}', urlComponent(traceId));
}

export function urlComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Slack mrkdwn: `&`, `<` and `>` escaped as Slack asks, which disarms `<!channel>`, `<@U…>`
 * mentions and `<url|text>` links; controls removed.
 */
export function slackText(text: string, max = 3000): string {
  const lines = text.split('\n').map((line) => singleLine(line, max));
  return lines.join('\n').slice(0, max).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
