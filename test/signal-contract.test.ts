/**
 * Adding a signal is one folder and one registry line: a fixture signal (test/fixtures/signal/)
 * registered beside the real ones gets its config section and JSON Schema, its metric unit, its
 * alert label, its dashboard row and its share of a rollup family's horizon, with no other file
 * touched. And the parts of driftwatch that serve every signal name none of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { composeConfigSchema } from '../src/config/shape.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { catalogueOf } from '../src/signals/catalogue.ts';
import { createMetrics, createSignalPublisher } from '../src/metrics/registry.ts';
import { alertTitle } from '../src/notify/content.ts';
import { buildDashboard } from '../src/dashboards/driftwatch.ts';
import { computeWindows } from '../src/core/windows.ts';
import type { CycleOutcome } from '../src/engine/cycle.ts';
import { decide } from '../src/engine/decide.ts';
import { fixtureSignal } from './fixtures/signal/index.ts';

const registry = [...SIGNALS, fixtureSignal as never];
const catalogue = catalogueOf(registry);
const schema = composeConfigSchema(registry.map((s) => s.config));
const DAY = 86_400_000;

test('its config section is part of the file: defaults, strict keys, its own bucket-aligned windows', () => {
  const c = schema.parse({ signals: { fixtureTurns: { enabled: true } } });
  const own = (c.signals as unknown as Record<string, { enabled: boolean; minSamples: number; windows: { current: number } }>)['fixtureTurns']!;
  assert.deepEqual([own.enabled, own.minSamples, own.windows.current], [true, 20, 2 * DAY]);
  const typo = schema.safeParse({ signals: { fixtureTurns: { minSample: 5 } } });
  assert.ok(!typo.success && typo.error.issues.some((i) => i.path.join('.') === 'signals.fixtureTurns' && /minSample/.test(JSON.stringify(i))), 'a misspelt key in its section is an error');
  const unaligned = schema.safeParse({ signals: { fixtureTurns: { windows: { current: '7m' } } } });
  assert.ok(
    !unaligned.success && unaligned.error.issues.some((i) => i.path.join('.') === 'signals.fixtureTurns.windows.current' && /rollup buckets/.test(i.message)),
    'its windows must be whole buckets',
  );
  const resolved = fixtureSignal.config.resolvePaths!({ ...own, notes: 'notes.md' } as never, (p) => `/etc/driftwatch/${p}`) as { notes: string };
  assert.equal(resolved.notes, '/etc/driftwatch/notes.md');
});

test('its section is in the JSON Schema, described, beside the real ones', () => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as unknown as { properties: { signals: { properties: Record<string, { description?: string }> } } };
  const sections = json.properties.signals.properties;
  assert.equal(sections['fixtureTurns']?.description, 'A fixture signal: median turns per session.');
  for (const s of SIGNALS) assert.ok(sections[s.config.key], `${s.config.key} still there`);
});

test('its facet is published in its own unit and named by its label in alerts', async () => {
  const m = createMetrics('test', catalogue.facets);
  const verdict = decide(fixtureSignal.evaluate({ median: 7 }, {} as never, computeWindows(new Date(), { current: 3_600_000, baseline: 7 * DAY, ingestLag: 0 })))[0]!;
  assert.deepEqual([verdict.status, verdict.message], ['drift', 'median turns 3 → 7: sessions run longer'], 'its finding is settled by the one decide stage');
  const outcome = {
    report: { evaluatedAt: 'x', windows: {}, signals: [verdict], errors: [] },
    runs: [],
    sourceUp: true,
    refreshes: [],
    freshness: [],
    phases: { refresh: 0, freshness: 0, collect: 0, series: 0, patterns: 0, decide: 0, publish: 0 },
  } as unknown as CycleOutcome;
  createSignalPublisher(m, catalogue)(outcome, new Date(0));
  const text = await m.registry.metrics();
  assert.match(text, /driftwatch_signal_value\{signal="fixture_turns_median",[^}]*unit="turns"\} 7/);
  assert.match(
    text,
    /# HELP driftwatch_fixture_turns Median turns per session \(fixture\)\.\n# TYPE driftwatch_fixture_turns gauge\ndriftwatch_fixture_turns\{signal="fixture_turns_median",[^}]*\} 7/,
    'its own metric family',
  );
  assert.equal(alertTitle(verdict, catalogue), 'User-distribution drift: support-agent median turns per session 3 → 7');
  assert.equal(catalogueOf(SIGNALS).label('fixture_turns_median'), 'fixture turns median', 'unregistered: its name in words');
});

test('its row is on the dashboard, querying its facet', () => {
  const text = JSON.stringify(buildDashboard(catalogue.rows));
  assert.match(text, /"title":"Fixture layer \(median turns\)"/);
  assert.match(text, /driftwatch_signal_value\{signal=\\"fixture_turns_median\\"/);
  assert.doesNotMatch(JSON.stringify(buildDashboard()), /fixture_turns_median/);
});

test('a family it shares is read while any of its readers is enabled, as far back as the longest', () => {
  const judgements = (cat: ReturnType<typeof catalogueOf>) => cat.families.find((f) => f.name === 'judgements')!;
  const on = schema.parse({ signals: { fixtureTurns: { enabled: true } } });
  const off = schema.parse({});
  assert.equal(judgements(catalogue).horizon(on), 60 * DAY, 'the fixture reaches 60 days');
  assert.equal(judgements(catalogue).horizon(off), 35 * DAY, "the judge's own 35 days");
  const nobody = schema.parse({ signals: { judge: { enabled: false }, retrieval: { enabled: false }, scores: { enabled: false } } });
  assert.equal(judgements(catalogue).needed(nobody), false, 'no enabled reader, not built');
  assert.equal(judgements(catalogue).needed({ ...nobody, signals: { ...nobody.signals, fixtureTurns: (on.signals as unknown as Record<string, unknown>)['fixtureTurns'] } } as never), true);
});

test('the catalogue refuses a facet, name or config key declared twice, and a panel of no facet', () => {
  assert.throws(() => catalogueOf([...registry, fixtureSignal as never]), /two signals declare the name fixture-turns/);
  assert.throws(
    () =>
      catalogueOf([...SIGNALS, { ...fixtureSignal, name: 'other', config: { ...fixtureSignal.config, key: 'other' }, facets: [{ ...fixtureSignal.facets[0]!, name: 'tool_error_rate' }] } as never]),
    /facet tool_error_rate/,
  );
  assert.throws(() => catalogueOf([{ ...fixtureSignal, facets: [] } as never]), /panel "Median turns: current vs baseline" shows fixture_turns_median, which no signal declares/);
});

/** Non-test TypeScript files under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

test('metrics, alerts, the dashboard, rollups and config name no facet and read no signal section', () => {
  const src = new URL('../src/', import.meta.url).pathname;
  const facets = catalogueOf(SIGNALS).signals.flatMap((s) => s.facets.map((f) => f.name));
  const keys = SIGNALS.map((s) => s.config.key);
  const named = new RegExp(`\\b(${facets.join('|')})\\b|signals\\.(${keys.join('|')})\\b`);
  // renamed.ts lists the old spellings of moved keys: naming them is what it is for.
  const exempt = new Set([join(src, 'config', 'renamed.ts')]);
  const found = ['metrics', 'notify', 'dashboards', 'rollups', 'config'].flatMap((dir) =>
    sources(join(src, dir))
      .filter((file) => !exempt.has(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (named.test(line) ? [`${file.slice(src.length)}:${i + 1}: ${line.trim()}`] : [])),
      ),
  );
  assert.deepEqual(found, []);
});

test('a signal reads only its own section: no config.signals.<other> inside src/signals/<x>/', () => {
  const signalsDir = new URL('../src/signals/', import.meta.url).pathname;
  const found: string[] = [];
  for (const folder of readdirSync(signalsDir).filter((n) => statSync(join(signalsDir, n)).isDirectory())) {
    const own = /key: '(\w+)'/.exec(readFileSync(join(signalsDir, folder, 'config.ts'), 'utf8'))?.[1];
    assert.ok(own, `${folder}/config.ts declares its section's key`);
    for (const file of sources(join(signalsDir, folder)))
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:config|c)\.signals\.(\w+)/g)) if (m[1] !== own) found.push(`${file.slice(signalsDir.length)}: signals.${m[1]}`);
  }
  assert.deepEqual(found, []);
});
