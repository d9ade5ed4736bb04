/**
 * The daemon's only HTTP surface: / (the status page), /metrics, /report.json (the last cycle's
 * report, as `once --json` prints it), /runbooks (docs/runbooks.md), /healthz (the process lives) and /readyz (a cycle has run,
 * the source answers and a signal ran). Read-only: GET and HEAD. With `server.token` set, every path
 * but the probes (and /metrics unless `server.protectMetrics`) asks for it (access.ts).
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { STATUS_PAGE_POLICY } from './status-page.ts';
import { allowed, CHALLENGE, type Access } from './access.ts';

export interface HealthState {
  /** True once a cycle has completed with the source answering. */
  ready(): boolean;
  /** The status page's HTML, built on request. */
  page?(): string;
  /** The last cycle's JSON report (secrets redacted), or null before the first cycle. */
  report?(): string | null;
  /** The runbooks page the Prometheus rules link to. */
  runbooks?: string;
}

export function startHttpServer(registry: Registry, health: HealthState, host: string, port: number, access: Access = { protectMetrics: false }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!allowed(path, req.headers.authorization, access)) {
      res.writeHead(CHALLENGE.status, CHALLENGE.headers).end(CHALLENGE.body);
      return;
    }
    if (path === '/metrics') {
      registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
        .catch(() => res.writeHead(500).end('metrics unavailable\n'));
      return;
    }
    if (path === '/' && health.page) {
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': STATUS_PAGE_POLICY,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        })
        .end(health.page());
      return;
    }
    if (path === '/runbooks' && health.runbooks) {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STATUS_PAGE_POLICY, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
        .end(health.runbooks);
      return;
    }
    if (path === '/report.json' && health.report) {
      const body = health.report();
      if (body === null) res.writeHead(503, { 'content-type': 'text/plain' }).end('no cycle has finished yet\n');
      else res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const ready = health.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
