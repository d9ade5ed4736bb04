/**
 * The Linear sink. One open issue per alert fingerprint, found again through an attachment whose
 * URL names the fingerprint, so restarts and replicas converge on the same issue. Issue and
 * comment ids are derived from the episode and the event, so a retried or duplicated delivery
 * cannot create a second one. Rate limits and 5xx become retryable NotifyErrors.
 */
import type { LinearError } from '@linear/sdk';
import type { Config } from '../../config/shape.ts';
import type { AlertEvent } from '../../alerting/state-machine.ts';
import { deterministicUuid } from '../../alerting/fingerprint.ts';
import { retryAfterMs } from '../retry-after.ts';
import type { AlertContent } from '../content.ts';
import { NotifyError, type Notifier } from '../types.ts';
import { COMMENT_BY_ID, CREATE_ATTACHMENT, CREATE_COMMENT, CREATE_ISSUE, FIND_ALERT_ISSUES, ISSUE_BY_ID, TEAM_BY_ID, UPDATE_ISSUE_STATE } from './documents.ts';

type LinearConfig = NonNullable<Config['notify']['linear']>;
interface IssueRef {
  id: string;
  identifier: string;
  url: string;
  state: { type: string } | null;
}

const CLOSED_STATES = new Set(['completed', 'canceled', 'duplicate']);

export function linearNotifier(config: LinearConfig): Notifier {
  // The SDK is loaded when a Linear sink is configured, not by every command. Its client carries
  // the key and headers; each request gets a copy bound to the delivery's abort signal, so a
  // timeout or shutdown cancels the HTTP request itself.
  const sdk = import('@linear/sdk');
  const options = sdk.then(({ LinearClient }) => new LinearClient({ apiKey: config.apiKey, apiUrl: config.apiUrl }).options);
  const requester =
    (signal: AbortSignal): Request =>
    async <T>(document: string, variables: Record<string, unknown>): Promise<T> => {
      const { LinearGraphQLClient } = await sdk;
      const o = await options;
      try {
        const response = await new LinearGraphQLClient(o.apiUrl ?? config.apiUrl, { ...o, signal }).rawRequest<T, Record<string, unknown>>(document, variables);
        return response.data as T;
      } catch (err) {
        throw toNotifyError(await sdk, err, config.apiKey, Date.now());
      }
    };
  return {
    name: 'linear',
    async probe(signal) {
      const { team } = await requester(signal)<{ team: { name: string; key: string } }>(TEAM_BY_ID, { id: config.teamId });
      return `the key works; issues go to team ${team.key} (${team.name})`;
    },
    deliver(event, content, refs, signal) {
      const request = requester(signal);
      // The issue's URL is remembered per episode, for the status page's link.
      const remember = (url: string) => refs.set(event.episode, { ...refs.get(event.episode), linearUrl: url });
      return deliverTo(request, config, event, content, remember);
    },
  };
}

type Request = <T>(document: string, variables: Record<string, unknown>) => Promise<T>;

async function deliverTo(request: Request, config: LinearConfig, event: AlertEvent, content: AlertContent, remember: (issueUrl: string) => void): Promise<void> {
  async function openIssueFor(url: string): Promise<IssueRef | undefined> {
    const data = await request<{ attachmentsForURL: { nodes: { issue: IssueRef | null }[] } }>(FIND_ALERT_ISSUES, { url });
    return data.attachmentsForURL.nodes.map((n) => n.issue).find((i): i is IssueRef => !!i && !CLOSED_STATES.has(i.state?.type ?? ''));
  }

  async function comment(issueId: string, body: string, eventId: string): Promise<void> {
    const id = deterministicUuid(`comment:${eventId}`);
    try {
      await request(CREATE_COMMENT, { input: { id, issueId, body } });
    } catch (err) {
      // An earlier attempt may have landed before its answer was lost: same id, already there.
      // Any other refusal is not a delivery: it stays in the outbox.
      if (!(err instanceof NotifyError) || err.retryable) throw err;
      const existing = await request<{ comment: { id: string } | null }>(COMMENT_BY_ID, { id }).catch(() => ({ comment: null }));
      if (!existing.comment) throw err;
    }
  }

  async function createIssue(event: AlertEvent, content: AlertContent, url: string, idKey: string): Promise<void> {
    const id = deterministicUuid(`issue:${idKey}`);
    try {
      const created = await request<{ issueCreate: { issue: { url: string } | null } }>(CREATE_ISSUE, {
        input: {
          id,
          teamId: config.teamId,
          title: content.title,
          description: content.description,
          ...(config.labelIds.length > 0 ? { labelIds: config.labelIds } : {}),
          ...(config.priority !== undefined ? { priority: config.priority } : {}),
        },
      });
      if (created.issueCreate.issue) remember(created.issueCreate.issue.url);
    } catch (err) {
      // A replica or an earlier attempt created it already (same id): carry on and link it.
      if (!(err instanceof NotifyError) || err.retryable) throw err;
      const existing = await request<{ issue: IssueRef | null }>(ISSUE_BY_ID, { id }).catch(() => ({ issue: null }));
      if (!existing.issue) throw err;
      remember(existing.issue.url);
    }
    try {
      await request(CREATE_ATTACHMENT, {
        input: { id: deterministicUuid(`attachment:${idKey}`), issueId: id, url, title: 'driftwatch alert', subtitle: `fingerprint ${event.fingerprint}` },
      });
    } catch (err) {
      if (err instanceof NotifyError && !err.retryable && (await openIssueFor(url))) return;
      throw err;
    }
  }

  const url = `${config.attachmentUrlBase.replace(/\/$/, '')}/${event.fingerprint}`;
  const open = await openIssueFor(url);
  if (open) remember(open.url);
  if (event.kind === 'resolved') {
    if (!open) return;
    await comment(open.id, content.comment, event.id);
    if (config.resolvedStateId) await request(UPDATE_ISSUE_STATE, { id: open.id, input: { stateId: config.resolvedStateId } });
    return;
  }
  if (open) {
    await comment(open.id, event.kind === 'opened' ? `**Drifting again** at ${event.at}.\n\n${content.comment}` : content.comment, event.id);
    return;
  }
  // No open issue: a new episode, or someone closed it while the drift went on.
  await createIssue(event, content, url, event.kind === 'opened' ? event.episode : event.id);
}

function toNotifyError({ LinearError, RatelimitedLinearError, LinearErrorType }: typeof import('@linear/sdk'), err: unknown, apiKey: string, now: number): NotifyError {
  const scrub = (text: string) => text.split(apiKey).join('[redacted]').split('\n')[0]!.slice(0, 300);
  // The HTTP status decides, not only the error's type: a 429 whose GraphQL error carries no
  // `extensions.type` is still a rate limit, and its Retry-After (seconds or a date) is honoured.
  const status = err instanceof LinearError ? err.status : undefined;
  if (err instanceof RatelimitedLinearError || status === 429) {
    const headers = (err as LinearError).raw?.response?.headers as { get?: (name: string) => string | null } | undefined;
    const hinted = retryAfterMs(headers?.get?.('retry-after'), now);
    return new NotifyError('linear', `Linear rate limit (HTTP ${status ?? 429}): ${scrub((err as Error).message)}`, true, hinted);
  }
  if (err instanceof LinearError) {
    const retryable =
      err.type === LinearErrorType.NetworkError || err.type === LinearErrorType.InternalError || err.type === LinearErrorType.LockTimeout || (err.status !== undefined && err.status >= 500);
    return new NotifyError('linear', `Linear ${err.type}${err.status ? ` (HTTP ${err.status})` : ''}: ${scrub(err.message)}`, retryable);
  }
  return new NotifyError('linear', `Linear unreachable: ${scrub(err instanceof Error ? err.message : String(err))}`, true);
}
