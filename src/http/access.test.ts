import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { AddressInfo } from 'node:net';
import { allowed, credential, inContainer, listenHost, publicUrl, type Surroundings } from './access.ts';
import { startHttpServer } from './server.ts';
import { configSchema } from '../config/schema.ts';

const TOKEN = 'a-long-enough-token-0123';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('credential', () => {
  const cases: [string | undefined, string | null][] = [
    [undefined, null],
    ['', null],
    [`Bearer ${TOKEN}`, TOKEN],
    [`bearer ${TOKEN}`, TOKEN],
    [basic('oncall', TOKEN), TOKEN],
    [basic('', TOKEN), TOKEN],
    [basic('oncall', 'pa:ss:word'), 'pa:ss:word'],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, null],
    [`Digest ${TOKEN}`, null],
    [`Bearer`, null],
    [`Bearer ${TOKEN} extra`, null],
  ];
  for (const [header, expected] of cases) it(`${JSON.stringify(header)} → ${JSON.stringify(expected)}`, () => assert.equal(credential(header), expected));
});

describe('publicUrl', () => {
  const laptop: Surroundings = { env: {}, exists: () => false };
  const cases: [string, { externalUrl?: string; host?: string; port: number }, string][] = [
    ['the configured external URL, without its trailing slash', { externalUrl: 'https://driftwatch.example/', port: 9464 }, 'https://driftwatch.example'],
    ['an external URL with a path keeps it', { externalUrl: 'https://ops.example/driftwatch', host: '0.0.0.0', port: 9464 }, 'https://ops.example/driftwatch'],
    ['unset on a laptop: loopback', { port: 9464 }, 'http://127.0.0.1:9464'],
    ['unset, listening everywhere: the machine name', { host: '0.0.0.0', port: 9000 }, 'http://ci-runner-7:9000'],
    ['unset, an IPv6 address: in brackets', { host: '::1', port: 9464 }, 'http://[::1]:9464'],
  ];
  for (const [name, server, expected] of cases)
    it(name, () =>
      assert.equal(
        publicUrl(server, laptop, () => 'ci-runner-7'),
        expected,
      ),
    );
});

describe('allowed', () => {
  const open = { protectMetrics: false };
  const locked = { token: TOKEN, protectMetrics: false };
  const all = { token: TOKEN, protectMetrics: true };
  const cases: [string, string, string | undefined, { token?: string; protectMetrics: boolean }, boolean][] = [
    ['no token configured: everything open', '/', undefined, open, true],
    ['page without a token', '/', undefined, locked, false],
    ['report with a wrong bearer token', '/report.json', 'Bearer wrong-token-0123456789', locked, false],
    ['report with the bearer token', '/report.json', `Bearer ${TOKEN}`, locked, true],
    ['runbooks with basic auth', '/runbooks', basic('me', TOKEN), locked, true],
    ['a token that is a prefix', '/', `Bearer ${TOKEN.slice(0, -1)}`, locked, false],
    ['unknown path still asks (no probing for 404s)', '/nothing', undefined, locked, false],
    ['health probe stays open', '/healthz', undefined, all, true],
    ['readiness probe stays open', '/readyz', undefined, all, true],
    ['metrics open by default', '/metrics', undefined, locked, true],
    ['metrics protected on request', '/metrics', undefined, all, false],
    ['metrics with the token', '/metrics', `Bearer ${TOKEN}`, all, true],
  ];
  for (const [name, path, header, access, expected] of cases) it(name, () => assert.equal(allowed(path, header, access), expected));
});

describe('listenHost', () => {
  const at = (env: Record<string, string>, files: string[] = []): Surroundings => ({ env, exists: (p) => files.includes(p) });
  const cases: [string, string | undefined, Surroundings, string][] = [
    ['configured wins in a container', '127.0.0.1', at({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }), '127.0.0.1'],
    ['configured wins outside', '0.0.0.0', at({}), '0.0.0.0'],
    ['a laptop: loopback', undefined, at({}), '127.0.0.1'],
    ['Kubernetes', undefined, at({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }), '0.0.0.0'],
    ['Docker', undefined, at({}, ['/.dockerenv']), '0.0.0.0'],
    ['Podman', undefined, at({}, ['/run/.containerenv']), '0.0.0.0'],
    ['an image that says so', undefined, at({ container: 'oci' }), '0.0.0.0'],
  ];
  for (const [name, configured, surroundings, expected] of cases) it(name, () => assert.equal(listenHost(configured, surroundings), expected));
  it('this machine is judged by what it shows', () => assert.equal(typeof inContainer(), 'boolean'));
});

describe('server.token in the config', () => {
  it('refuses a short token and protectMetrics without a token, naming the key', () => {
    const short = configSchema.safeParse({ server: { token: 'short' } });
    assert.equal(short.success, false);
    assert.deepEqual(
      short.error!.issues.map((i) => i.path.join('.')),
      ['server.token'],
    );
    const metrics = configSchema.safeParse({ server: { protectMetrics: true } });
    assert.equal(metrics.success, false);
    assert.deepEqual(
      metrics.error!.issues.map((i) => i.path.join('.')),
      ['server.protectMetrics'],
    );
    assert.equal(configSchema.parse({}).server.host, undefined);
  });
});

describe('the HTTP server with a token', () => {
  it('asks a browser for the token on the pages and answers the probes and scrapes without it', async () => {
    const registry = new Registry();
    const server = await startHttpServer(registry, { ready: () => true, page: () => '<p>trace text</p>', report: () => '{}', runbooks: '<h1>runbooks</h1>' }, '127.0.0.1', 0, {
      token: TOKEN,
      protectMetrics: false,
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 401);
      assert.match(page.headers.get('www-authenticate') ?? '', /^Basic realm="driftwatch"/);
      assert.doesNotMatch(await page.text(), /trace text/);
      assert.equal((await fetch(`${base}/report.json`, { headers: { authorization: 'Bearer not-the-token-000000' } })).status, 401);
      const withToken = await fetch(`${base}/`, { headers: { authorization: basic('oncall', TOKEN) } });
      assert.equal(withToken.status, 200);
      assert.match(await withToken.text(), /trace text/);
      assert.equal((await fetch(`${base}/runbooks`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      assert.equal((await fetch(`${base}/metrics`)).status, 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
