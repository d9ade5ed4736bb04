// A real Prometheus (Debian's package) scrapes a running driftwatch in which every drift mode is
// under way; every dashboard panel query and every rule expression must return series, and the
// rules must load. A metric renamed without the dashboard or the rules following fails here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startDaemon, type Daemon } from '../src/app/daemon.ts';
import { createLogger } from '../src/app/app.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { freshStore } from './helpers/spans.ts';
import { seedEveryDrift } from './helpers/every-drift.ts';
import { needs } from './helpers/requires.ts';

const skip = needs('prometheus', "Debian's prometheus package");

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
let daemon: Daemon;
let prometheus: ChildProcess;
let promUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function query(expr: string): Promise<unknown[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  assert.equal(body.status, 'success', `${expr}: ${body.error}`);
  return body.data!.result;
}

const dashboard = JSON.parse(readFileSync(new URL('../dashboards/driftwatch.json', import.meta.url), 'utf8')) as {
  panels: { title: string; targets?: { expr: string }[] }[];
  annotations: { list: { name: string; expr?: string }[] };
};
/** A query as Grafana sends it with every variable at "All". */
const allValues = (expr: string) => expr.replace(/\$(instance|drift_mode|layer|project|subject)\b/g, '.*');
const rules = parseYaml(readFileSync(new URL('../dashboards/driftwatch.rules.yml', import.meta.url), 'utf8')) as { groups: { name: string; rules: { alert: string; expr: string }[] }[] };

before(async () => {
  if (skip) return;
  const { store, dir } = await freshStore('otel_traces');
  const { yaml } = await seedEveryDrift(store, 'otel_traces', dir, new Date());
  await store.close();
  const configFile = join(dir, 'driftwatch.yaml');
  writeFileSync(configFile, `clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: otel_traces}\nserver: {host: 127.0.0.1, port: 0, token: '${SCRAPE_TOKEN}', protectMetrics: true}\n${yaml}`);
  daemon = await startDaemon(configFile, loadConfigFile(configFile).config, createLogger('fatal'));
  await daemon.tick();
  const target = `127.0.0.1:${(daemon.server.address() as { port: number }).port}`;

  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  const promDir = join(dir, 'prometheus');
  mkdirSync(promDir, { recursive: true });
  // The scrape authenticates as docs/production.md says, since /metrics asks for the token here.
  writeFileSync(join(promDir, 'token'), SCRAPE_TOKEN);
  writeFileSync(
    join(promDir, 'prometheus.yml'),
    `global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: ['${new URL('../dashboards/driftwatch.rules.yml', import.meta.url).pathname}']\nscrape_configs:\n  - job_name: driftwatch\n    authorization: {credentials_file: '${join(promDir, 'token')}'}\n    static_configs: [{targets: ['${target}']}]\n`,
  );
  prometheus = spawn('prometheus', [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], {
    stdio: 'ignore',
  });
  // Ready once it has scraped driftwatch a few times, so rate() and increase() have points.
  for (let i = 0; i < 120; i++) {
    try {
      const r = (await query('count_over_time(driftwatch_build_info[5m])')) as { value: [number, string] }[];
      if (Number(r[0]?.value[1] ?? 0) >= 4) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('Prometheus did not scrape driftwatch');
});

after(async () => {
  prometheus?.kill('SIGTERM');
  await daemon?.stop();
});

describe('Prometheus in the loop', { skip }, () => {
  it('every drift mode is firing, so every row of the dashboard has data', async () => {
    const firing = (await query('driftwatch_alert_firing == 1')) as { metric: { drift_mode: string } }[];
    assert.deepEqual([...new Set(firing.map((f) => f.metric.drift_mode))].sort(), ['agent-step-compounding', 'dataset', 'prompt', 'retrieval-corpus', 'tool-api', 'user-distribution']);
  });

  const panels = dashboard.panels.filter((p) => p.targets && p.targets.length > 0);
  for (const panel of panels) {
    for (const target of panel.targets!) {
      it(`panel "${panel.title}": ${target.expr}`, async () => {
        const expr = allValues(target.expr);
        const result = await query(expr);
        assert.ok(result.length > 0, `no series for ${expr}`);
      });
    }
  }

  for (const annotation of dashboard.annotations.list.filter((a) => a.expr)) {
    it(`annotation "${annotation.name}" marks the alerts that opened`, async () => {
      const result = (await query(allValues(annotation.expr!))) as { metric: { event: string; drift_mode: string } }[];
      assert.ok(
        result.some((r) => r.metric.event === 'opened' && r.metric.drift_mode === 'tool-api'),
        JSON.stringify(result),
      );
    });
  }

  it('a drifting verdict carries an example trace the dashboard links to', async () => {
    const result = (await query('driftwatch_signal_example_trace_info{drift_mode="tool-api"}')) as { metric: { trace_id: string } }[];
    assert.ok(result.length > 0 && result.every((r) => /^[0-9a-f]+$/.test(r.metric.trace_id)), JSON.stringify(result));
  });

  it('the daemon is up for the rules that watch it, scraped with the token /metrics asks for', async () => {
    assert.equal((await fetch(`http://${(daemon.server.address() as { address: string }).address}:${(daemon.server.address() as { port: number }).port}/metrics`)).status, 401);
    assert.equal(((await query('up{job="driftwatch"} == 1')) as unknown[]).length, 1);
    assert.equal(((await query('absent(up{job="driftwatch"})')) as unknown[]).length, 0);
  });

  for (const group of rules.groups) {
    for (const rule of group.rules) {
      it(`rule ${rule.alert}: every selector has series`, async () => {
        const selectors = rule.expr.match(/(driftwatch_[a-z_]+|\bup)(\{[^}]*\})?/g) ?? [];
        assert.ok(selectors.length > 0);
        for (const selector of selectors) assert.ok((await query(selector)).length > 0, `no series for ${selector}`);
        if (group.name === 'driftwatch-drift') assert.ok((await query(rule.expr)).length > 0, `${rule.alert} does not fire while its drift mode is firing`);
      });
    }
  }

  it('loads the rules, and the drift rules fire', async () => {
    const res = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; state: string }[] }[] } };
    const loaded = res.data.groups.flatMap((g) => g.rules);
    assert.equal(loaded.length, rules.groups.flatMap((g) => g.rules).length);
    assert.ok(
      loaded.every((r) => r.health === 'ok'),
      JSON.stringify(loaded.filter((r) => r.health !== 'ok')),
    );
    assert.equal(loaded.find((r) => r.name === 'DriftwatchToolApiDrift')!.state, 'firing');
  });
});
