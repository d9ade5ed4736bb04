/**
 * A loopback Linear: every request's GraphQL document is parsed and validated against Linear's
 * published schema (test/fixtures/linear/schema.graphql, with its source and licence) and executed by graphql-js over an
 * in-memory workspace, so a document the real API would refuse fails here too. It answers errors
 * the way Linear does: `ratelimited` with HTTP 429 and retry-after, 5xx, authentication errors.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { buildSchema, execute, parse, validate, GraphQLError, type GraphQLSchema } from 'graphql';

let cachedSchema: GraphQLSchema | undefined;
export function linearSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(readFileSync(new URL('../fixtures/linear/schema.graphql', import.meta.url), 'utf8'));
  return cachedSchema;
}

export interface FakeIssue {
  id: string;
  identifier: string;
  url: string;
  title: string;
  description: string;
  teamId: string;
  stateType: string;
  stateId?: string;
  comments: { id: string; body: string }[];
}

export interface LinearFake {
  url: string;
  issues: FakeIssue[];
  attachments: { id: string; url: string; issueId: string }[];
  /** Every operation received, valid or not. */
  requests: { operationName: string | null; valid: boolean; authorization: string | undefined }[];
  /**
   * Fail the next n requests with HTTP 429, retry-after in seconds (or as given, e.g. an HTTP
   * date); `untyped`: the GraphQL error carries no `extensions.type`, as proxies and gateways answer.
   */
  rateLimitNext(n: number, retryAfter: number | string, options?: { untyped?: boolean }): void;
  /** Fail the next n requests with HTTP 503. */
  failNext(n: number): void;
  /** The next n requests of this operation are refused with 400 (a validation error), as Linear refuses bad input. */
  rejectNext(n: number, operationName: string): void;
  close(): Promise<void>;
}

/** The fake workspace's one team, as tests configure it. */
export const FAKE_TEAM_ID = '9cfb482a-81e3-4154-b5b9-2c805e70a02d';

export async function startLinearFake(apiKey: string, teams: readonly string[] = [FAKE_TEAM_ID]): Promise<LinearFake> {
  const schema = linearSchema();
  const issues: FakeIssue[] = [];
  const attachments: LinearFake['attachments'] = [];
  const requests: LinearFake['requests'] = [];
  let rateLimited = 0;
  let retryAfter: number | string = 1;
  let untypedLimit = false;
  let unavailable = 0;
  const rejections = new Map<string, number>();

  const issueView = (i: FakeIssue) => ({ id: i.id, identifier: i.identifier, url: i.url, title: i.title, state: { type: i.stateType } });
  const invalidInput = (message: string) => new GraphQLError(message, { extensions: { type: 'invalid input', userPresentableMessage: message, userError: true } });

  const root = {
    team: ({ id }: { id: string }) => {
      if (!teams.includes(id)) throw new GraphQLError('Entity not found: Team', { extensions: { type: 'invalid input', userPresentableMessage: 'Could not find referenced Team.', userError: true } });
      return { id, name: 'Support', key: 'SUP' };
    },
    attachmentsForURL: ({ url }: { url: string }) => ({
      nodes: attachments.filter((a) => a.url === url).map((a) => ({ id: a.id, issue: issueView(issues.find((i) => i.id === a.issueId)!) })),
    }),
    issue: ({ id }: { id: string }) => {
      const issue = issues.find((i) => i.id === id);
      if (!issue) throw invalidInput('Entity not found: Issue');
      return issueView(issue);
    },
    comment: ({ id }: { id: string }) => {
      const comment = issues.flatMap((i) => i.comments).find((c) => c.id === id);
      if (!comment) throw invalidInput('Entity not found: Comment');
      return { id: comment.id };
    },
    issueCreate: ({ input }: { input: { id?: string; teamId: string; title: string; description?: string } }) => {
      if (input.id && issues.some((i) => i.id === input.id)) throw invalidInput('Entity already exists');
      const n = issues.length + 1;
      const issue: FakeIssue = {
        id: input.id ?? `generated-${n}`,
        identifier: `DRIFT-${n}`,
        url: `https://linear.app/acme/issue/DRIFT-${n}`,
        title: input.title,
        description: input.description ?? '',
        teamId: input.teamId,
        stateType: 'triage',
        comments: [],
      };
      issues.push(issue);
      return { success: true, lastSyncId: n, issue: issueView(issue) };
    },
    attachmentCreate: ({ input }: { input: { id?: string; issueId: string; url: string } }) => {
      if (!issues.some((i) => i.id === input.issueId)) throw invalidInput('Entity not found: Issue');
      const existing = attachments.find((a) => a.url === input.url && a.issueId === input.issueId);
      // Linear keeps one attachment per URL and issue: creating it again updates it.
      const attachment = existing ?? { id: input.id ?? `att-${attachments.length + 1}`, url: input.url, issueId: input.issueId };
      if (!existing) attachments.push(attachment);
      return { success: true, lastSyncId: 1, attachment: { id: attachment.id } };
    },
    commentCreate: ({ input }: { input: { id?: string; issueId: string; body: string } }) => {
      const issue = issues.find((i) => i.id === input.issueId);
      if (!issue) throw invalidInput('Entity not found: Issue');
      if (input.id && issue.comments.some((c) => c.id === input.id)) throw invalidInput('Entity already exists');
      const comment = { id: input.id ?? `c-${issue.comments.length + 1}`, body: input.body };
      issue.comments.push(comment);
      return { success: true, lastSyncId: 1, comment: { id: comment.id } };
    },
    issueUpdate: ({ id, input }: { id: string; input: { stateId?: string } }) => {
      const issue = issues.find((i) => i.id === id);
      if (!issue) throw invalidInput('Entity not found: Issue');
      if (input.stateId) {
        issue.stateId = input.stateId;
        issue.stateType = 'completed';
      }
      return { success: true, lastSyncId: 1, issue: issueView(issue) };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      let parsedBody: { query?: string; variables?: Record<string, unknown> };
      try {
        parsedBody = JSON.parse(body);
      } catch {
        return send(400, { errors: [{ message: 'Bad request', extensions: { type: 'invalid input' } }] });
      }
      let document: ReturnType<typeof parse>;
      try {
        document = parse(parsedBody.query ?? '');
      } catch (err) {
        requests.push({ operationName: null, valid: false, authorization: req.headers.authorization });
        return send(400, { errors: [{ message: String(err), extensions: { type: 'graphql error' } }] });
      }
      const errors = validate(schema, document);
      const op = document.definitions.find((d) => d.kind === 'OperationDefinition');
      const operationName = op && 'name' in op ? (op.name?.value ?? null) : null;
      requests.push({ operationName, valid: errors.length === 0, authorization: req.headers.authorization });
      if (errors.length > 0) return send(400, { errors: errors.map((e) => ({ message: e.message, extensions: { type: 'graphql error' } })) });
      if (req.headers.authorization !== apiKey) {
        return send(400, { errors: [{ message: 'Authentication required, not authenticated', extensions: { type: 'authentication error', userPresentableMessage: 'Authentication required' } }] });
      }
      if (rateLimited > 0) {
        rateLimited--;
        return send(
          429,
          untypedLimit
            ? { errors: [{ message: 'Too many requests' }] }
            : { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', userPresentableMessage: 'Rate limit exceeded' } }] },
          { 'retry-after': String(retryAfter), 'x-ratelimit-requests-remaining': '0' },
        );
      }
      if (unavailable > 0) {
        unavailable--;
        return send(503, { errors: [{ message: 'Service unavailable' }] });
      }
      const rejecting = operationName ? (rejections.get(operationName) ?? 0) : 0;
      if (operationName && rejecting > 0) {
        rejections.set(operationName, rejecting - 1);
        return send(400, { errors: [{ message: 'Argument Validation Error', extensions: { type: 'invalid input', userPresentableMessage: 'body is too long', userError: true } }] });
      }
      Promise.resolve(execute({ schema, document, rootValue: root, variableValues: parsedBody.variables ?? {} })).then((result) => send(200, result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://localhost:${port}/graphql`,
    issues,
    attachments,
    requests,
    rateLimitNext(n, after, options = {}) {
      rateLimited = n;
      retryAfter = after;
      untypedLimit = options.untyped ?? false;
    },
    rejectNext(n, operationName) {
      rejections.set(operationName, n);
    },
    failNext(n) {
      unavailable = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
