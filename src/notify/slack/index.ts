/**
 * The optional Slack sink: an opened alert is a channel message (Block Kit, with links to traces
 * and the dashboard), later events of the same episode are replies in its thread (the thread's ts
 * is remembered across restarts).
 */
import type { WebAPICallError } from '@slack/web-api';
import type { Config } from '../../config/shape.ts';
import { NotifyError, type Notifier } from '../types.ts';
import { slackText } from '../untrusted.ts';
import { alertBlocks } from './blocks.ts';

type SlackConfig = NonNullable<Config['notify']['slack']>;

/** `timeoutMs` bounds each call (the client cannot take an abort signal; the outbox stops waiting at it too). */
export function slackNotifier(config: SlackConfig, timeoutMs: number): Notifier {
  // The SDK is loaded when a Slack sink is configured, not by every command (it is a third of a
  // CLI process's start-up).
  const sdk = import('@slack/web-api');
  const client = sdk.then(
    ({ WebClient, LogLevel }) =>
      new WebClient(config.token, {
        ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
        // Retries belong to driftwatch's outbox, which survives restarts.
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
        timeout: timeoutMs,
      }),
  );
  const fail = async (err: unknown) => toNotifyError((await sdk).ErrorCode, err as WebAPICallError, config.token);
  return {
    name: 'slack',
    async probe() {
      try {
        const auth = await (await client).auth.test();
        return `the token works: ${String(auth.user ?? 'bot')} in workspace ${String(auth.team ?? '?')}; posts to ${config.channel}`;
      } catch (err) {
        throw await fail(err);
      }
    },
    async deliver(event, content, refs) {
      const thread = refs.get(event.episode)?.slackTs;
      // The summary quotes trace content: escaped, and no @-name is turned into a mention.
      const summary = slackText(content.chart && event.kind !== 'resolved' ? `${content.summary}\n${content.chart}` : content.summary);
      const text = event.kind === 'opened' ? `:rotating_light: ${summary}` : event.kind === 'resolved' ? `:white_check_mark: ${summary}` : `:warning: ${summary}`;
      try {
        const response = await (await client).chat.postMessage({
          channel: config.channel,
          // `text` is the notification and the fallback for clients without Block Kit.
          text,
          blocks: alertBlocks(event, content),
          ...(thread && event.kind !== 'opened' ? { thread_ts: thread } : {}),
          unfurl_links: false,
          unfurl_media: false,
          link_names: false,
        });
        if (event.kind === 'opened' && response.ts) refs.set(event.episode, { ...refs.get(event.episode), slackTs: response.ts });
      } catch (err) {
        throw await fail(err);
      }
    },
  };
}

function toNotifyError(ErrorCode: typeof import('@slack/web-api').ErrorCode, err: WebAPICallError, token: string): NotifyError {
  const scrub = (text: string) => text.split(token).join('[redacted]').slice(0, 300);
  switch (err.code) {
    case ErrorCode.RateLimitedError:
      return new NotifyError('slack', 'Slack rate limit', true, err.retryAfter * 1000);
    case ErrorCode.HTTPError:
      return new NotifyError('slack', `Slack HTTP ${err.statusCode}`, err.statusCode >= 500);
    case ErrorCode.PlatformError:
      return new NotifyError('slack', `Slack refused the message: ${scrub(String(err.data.error))}`, false);
    default:
      return new NotifyError('slack', `Slack unreachable: ${scrub(err.message ?? String(err))}`, true);
  }
}
