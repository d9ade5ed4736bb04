/**
 * Who may read the HTTP surface. The status page, /report.json and /runbooks show trace text
 * (user inputs, tool names, failing trace ids); /metrics shows subjects; /healthz and /readyz show
 * nothing. Two defences, both optional to combine:
 * - where it listens: outside a container the default is loopback, so a laptop or a shared VM
 *   does not serve trace text to its network by surprise; in a container loopback would make the
 *   port unreachable, so the default there is every interface (the orchestrator's network decides);
 * - a token (`server.token`): every page but the probes asks for it, as a bearer token
 *   (`Authorization: Bearer …`, for scripts) or as the password of HTTP basic auth (any user name,
 *   so a browser's own prompt opens the status page).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';

/** Paths a probe or a scraper reads without the token (/metrics only when `protectMetrics` is off). */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

export interface Access {
  token?: string;
  /** Ask for the token on /metrics too (Prometheus then needs `authorization: {credentials: …}`). */
  protectMetrics: boolean;
}

/** What the process can see of where it runs (injected by tests). */
export interface Surroundings {
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
}

const HERE: Surroundings = { env: process.env, exists: existsSync };

/** Whether this process runs in a container (Docker, Podman, Kubernetes, or an image that says so). */
export function inContainer(at: Surroundings = HERE): boolean {
  return Boolean(at.env.container || at.env.KUBERNETES_SERVICE_HOST) || at.exists('/.dockerenv') || at.exists('/run/.containerenv');
}

/** The address to listen on: the configured one, else loopback outside a container and every interface in one. */
export function listenHost(configured: string | undefined, at: Surroundings = HERE): string {
  if (configured !== undefined) return configured;
  return inContainer(at) ? '0.0.0.0' : '127.0.0.1';
}

/** Whether a request for `path` with this Authorization header may be answered. */
export function allowed(path: string, authorization: string | undefined, access: Access): boolean {
  if (!access.token) return true;
  if (OPEN_PATHS.has(path)) return true;
  if (path === '/metrics' && !access.protectMetrics) return true;
  const presented = credential(authorization);
  return presented !== null && sameSecret(presented, access.token);
}

/** The token a request presents: a bearer token, or the password of basic auth. */
export function credential(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization);
  if (!match) return null;
  const [, scheme, value] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/** Compares digests, so neither the length nor a prefix of the token shows in the answer's timing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The answer to a request without the token: a browser shows its login prompt. */
export const CHALLENGE = {
  status: 401,
  headers: { 'www-authenticate': 'Basic realm="driftwatch", charset="UTF-8"', 'content-type': 'text/plain' },
  body: 'this page needs server.token: send it as a bearer token or as the password of basic auth\n',
} as const;

/**
 * Where people reach this driftwatch, without a trailing slash: `server.externalUrl`, else the
 * address it listens on (the machine's name when that is every interface, which no browser can
 * open; IPv6 in brackets). Alerts, rules and the dashboard build their links on it.
 */
export function publicUrl(server: { externalUrl?: string; host?: string; port: number }, at: Surroundings = HERE, machine: () => string = hostname): string {
  if (server.externalUrl) return server.externalUrl.replace(/\/+$/, '');
  const host = listenHost(server.host, at);
  const named = host === '0.0.0.0' || host === '::' ? machine() : host;
  return `http://${named.includes(':') ? `[${named}]` : named}:${server.port}`;
}
