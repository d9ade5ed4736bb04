// The registry, the example config, the dashboards and the rules name the same signals and metrics.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createMetrics } from '../src/metrics/registry.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { DRIFT_MODES, LAYERS } from '../src/core/modes.ts';
import { configSchema } from '../src/config/schema.ts';
import { needs } from './helpers/requires.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

async function exposedNames(): Promise<Set<string>> {
  const metrics = createMetrics('test');
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (m.type === ('histogram' as never)) for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
}

it('every metric the dashboard and the rules query is one driftwatch exposes', async () => {
  const names = await exposedNames();
  for (const file of ['dashboards/driftwatch.json', 'dashboards/driftwatch.rules.yml']) {
    const used = new Set(read(file).match(/driftwatch_[a-z_]+/g));
    assert.ok(used.size > 3, `${file} queries no metric`);
    for (const name of used) assert.ok(names.has(name), `${file} uses ${name}, which driftwatch does not expose`);
  }
});

it('every metric follows the naming rules', async () => {
  // Node's process metrics keep their standard names (process_*, nodejs_*).
  for (const name of await exposedNames()) assert.match(name, /^(driftwatch|process|nodejs)_[a-z0-9_]+$/);
  const metrics = createMetrics('test');
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    assert.ok(m.help.length > 10, `${m.name} lacks help`);
    if (m.type === ('counter' as never)) assert.match(m.name, /_total$/);
  }
});

it('the dashboard takes its data source from a variable, never a fixed uid', () => {
  const dashboard = JSON.parse(read('dashboards/driftwatch.json'));
  const datasourceUids = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.datasource && typeof o.datasource === 'object') datasourceUids.add(String((o.datasource as { uid?: unknown }).uid));
      Object.values(o).forEach(walk);
    }
  };
  walk(dashboard);
  assert.deepEqual([...datasourceUids], ['${datasource}']);
  assert.ok(dashboard.templating.list.some((v: { name: string; type: string }) => v.name === 'datasource' && v.type === 'datasource'));
});

it('promtool accepts the rules and their unit tests pass', { skip: needs('promtool', "Debian's prometheus package") }, () => {
  const check = spawnSync('promtool', ['check', 'rules', 'driftwatch.rules.yml'], { cwd: new URL('../dashboards/', import.meta.url), encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const test = spawnSync('promtool', ['test', 'rules', 'driftwatch.rules.test.yml'], { cwd: new URL('../dashboards/', import.meta.url), encoding: 'utf8' });
  assert.equal(test.status, 0, test.stdout + test.stderr);
});

it('every signal in the registry has its drift mode, layer, config section and README entry', () => {
  const readme = read('README.md');
  const signalsConfig = Object.keys(configSchema.parse({}).signals);
  assert.equal(SIGNALS.length, signalsConfig.length);
  for (const s of SIGNALS) {
    assert.ok((DRIFT_MODES as readonly string[]).includes(s.driftMode));
    assert.ok((LAYERS as readonly string[]).includes(s.layer));
    assert.ok(readme.includes(`\`${s.name}\``), `README does not describe ${s.name}`);
  }
  for (const facet of ['tool_error_rate', 'tool_retry_rate', 'tool_latency', 'tool_new_error_class']) assert.ok(readme.includes(facet), `README lacks ${facet}`);
});

it('dashboards/driftwatch.json is what src/dashboards/driftwatch.ts builds (npm run dashboards)', async () => {
  const { buildDashboard } = await import('../src/dashboards/driftwatch.ts');
  assert.deepEqual(JSON.parse(read('dashboards/driftwatch.json')), JSON.parse(JSON.stringify(buildDashboard())));
});

it('every dashboard panel has a description and thresholds, and every query honours the variables', () => {
  const dashboard = JSON.parse(read('dashboards/driftwatch.json')) as {
    panels: { type: string; title: string; description?: string; fieldConfig?: { defaults?: { thresholds?: { steps?: unknown[] } } }; targets?: { expr: string }[] }[];
    annotations: { list: { expr?: string }[] };
    templating: { list: { name: string }[] };
  };
  assert.deepEqual(
    dashboard.templating.list.map((v) => v.name),
    ['datasource', 'instance', 'drift_mode', 'layer', 'project', 'subject', 'daemon_url', 'trace_link'],
  );
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  assert.ok(panels.length > 20);
  for (const p of panels) {
    assert.ok((p.description ?? '').length > 20, `${p.title}: no description`);
    assert.ok((p.fieldConfig?.defaults?.thresholds?.steps ?? []).length > 0, `${p.title}: no thresholds`);
  }
  const exprs = [...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.annotations.list.flatMap((a) => (a.expr ? [a.expr] : []))];
  for (const expr of exprs) {
    for (const selector of expr.match(/driftwatch_[a-z_]+\{[^}]*\}/g) ?? []) {
      if (selector.includes(' offset')) continue;
      assert.match(selector, /instance=~"\$instance"/, selector);
      if (/driftwatch_(signal_|alert_firing)/.test(selector)) for (const v of ['drift_mode', 'layer', 'project', 'subject']) assert.match(selector, new RegExp(`${v}=~"\\$${v}"`), selector);
    }
    assert.doesNotMatch(expr, /driftwatch_[a-z_]+(?![a-z_{])(?! offset)/, `a selector without the variables: ${expr}`);
  }
});
