/** A loopback Slack Web API: chat.postMessage with bearer auth, form or JSON bodies, Slack's error shapes and 429s. */
import { createServer, type Server } from 'node:http';

export interface SlackFake {
  url: string;
  messages: { channel: string; text: string; thread_ts?: string; ts: string; link_names?: string; blocks?: SlackBlock[] }[];
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

export type SlackBlock = { type: string; text?: { type: string; text: string }; elements?: { type: string; text?: unknown; url?: string }[] };

/**
 * Slack's Block Kit limits, as chat.postMessage enforces them (answering `invalid_blocks`):
 * at most 50 blocks of known types; header plain_text ≤ 150; section text ≤ 3000; context
 * elements text objects; button text ≤ 75 and url ≤ 3000.
 */
function blocksProblem(blocks: unknown): string | null {
  if (!Array.isArray(blocks) || blocks.length > 50) return 'blocks must be an array of at most 50';
  for (const b of blocks as SlackBlock[]) {
    const text = b.text;
    switch (b.type) {
      case 'header':
        if (text?.type !== 'plain_text' || text.text.length > 150) return 'header needs plain_text of at most 150 characters';
        break;
      case 'section':
        if (!text || !['mrkdwn', 'plain_text'].includes(text.type) || text.text.length === 0 || text.text.length > 3000) return 'section text must be 1..3000 characters';
        break;
      case 'context':
        if (!b.elements?.length || b.elements.some((e) => !['mrkdwn', 'plain_text', 'image'].includes(e.type))) return 'context elements must be text or images';
        break;
      case 'actions':
        for (const e of b.elements ?? []) {
          const label = e.text as { type?: string; text?: string } | undefined;
          if (e.type !== 'button' || label?.type !== 'plain_text' || (label.text ?? '').length > 75 || (e.url ?? '').length > 3000) return 'buttons need plain_text ≤ 75 and url ≤ 3000';
        }
        break;
      default:
        return `unknown block type ${String(b.type)}`;
    }
  }
  return null;
}

export async function startSlackFake(token: string): Promise<SlackFake> {
  const messages: SlackFake['messages'] = [];
  let limited = 0;
  let retryAfter = 1;
  let clock = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(payload));
      if (limited > 0) {
        limited--;
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      }
      if (req.headers.authorization !== `Bearer ${token}`) return send(200, { ok: false, error: 'invalid_auth' });
      const method = (req.url ?? '')
        .split('?')[0]!
        .replace(/^\/api\//, '')
        .replace(/^\//, '');
      if (method === 'auth.test') return send(200, { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'driftwatch', team_id: 'T0001', user_id: 'U0001', bot_id: 'B0001' });
      if (method !== 'chat.postMessage') return send(200, { ok: false, error: 'unknown_method' });
      const args: Record<string, string> = (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
      if (!args.channel) return send(200, { ok: false, error: 'channel_not_found' });
      if (!args.text) return send(200, { ok: false, error: 'no_text' });
      // Form bodies carry blocks as JSON text; JSON bodies as an array.
      const rawBlocks: unknown = (args as Record<string, unknown>).blocks;
      const blocks = (typeof rawBlocks === 'string' ? JSON.parse(rawBlocks) : rawBlocks) as SlackBlock[] | undefined;
      if (blocks !== undefined) {
        const problem = blocksProblem(blocks);
        if (problem) return send(200, { ok: false, error: 'invalid_blocks', errors: [problem] });
      }
      const ts = `${clock++}.000100`;
      messages.push({
        channel: args.channel,
        text: args.text,
        ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
        ...(args.link_names !== undefined ? { link_names: String(args.link_names) } : {}),
        ...(blocks ? { blocks } : {}),
        ts,
      });
      send(200, { ok: true, channel: args.channel, ts, message: { text: args.text, ts } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/`,
    messages,
    rateLimitNext(n, seconds) {
      limited = n;
      retryAfter = seconds;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
