/**
 * The layering of src/: no import cycle, folders import downward (core at the bottom, the
 * command line at the top), and the core imports nothing of the app. A new folder must be placed
 * in LAYERS before it can be imported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cycles, folderArrows, importsOf, readImportGraph, type ImportGraph } from './helpers/import-graph.ts';

const SRC = new URL('../src/', import.meta.url).pathname;

/** Bottom to top: a folder may import the folders before it. */
const LAYERS = [
  'core',
  'stats',
  'config',
  'logging',
  'clickhouse',
  'sources',
  'rollups',
  'patterns',
  'signals',
  'engine',
  'alerting',
  'metrics',
  'notify',
  'http',
  'dashboards',
  'promote',
  'app',
  'cli',
  'demo',
  '.',
];

/**
 * Arrows that run upward on purpose: the config file's shape holds every signal's section, so the
 * config schema composes the sections the signals declare.
 */
const UPWARD_ALLOWED = new Set(['config -> signals']);

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

test('the import reader and the cycle finder, on small graphs', () => {
  const cases: { name: string; text: string; file: string; want: string[] }[] = [
    { name: 'named and type imports', text: "import { a } from './a.ts';\nimport type { B } from '../b/b.ts';", file: 'x/y.ts', want: ['x/a.ts', 'b/b.ts'] },
    { name: 're-exports count', text: "export { c } from './c.ts';", file: 'x/y.ts', want: ['x/c.ts'] },
    { name: 'packages and builtins do not', text: "import { z } from 'zod';\nimport fs from 'node:fs';", file: 'x/y.ts', want: [] },
    { name: 'multi-line specifiers', text: "import {\n  a,\n  b,\n} from './a.ts';", file: 'y.ts', want: ['a.ts'] },
  ];
  for (const c of cases) assert.deepEqual(importsOf(c.text, c.file), c.want, c.name);
  assert.deepEqual(cycles(graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c']]);
  assert.deepEqual(cycles(graphOf({ a: ['b'], b: ['c'], c: [] })), []);
  assert.deepEqual(cycles(graphOf({ a: ['a'] })), [['a']]);
  assert.deepEqual([...folderArrows(graphOf({ 'x/a.ts': ['y/b.ts', 'x/c.ts'], 'x/c.ts': [] })).keys()], ['x -> y']);
});

test('src/ has no import cycle', () => {
  assert.deepEqual(cycles(readImportGraph(SRC)), [], 'modules that import each other, directly or around a circle');
});

test('folders import downward: only the deliberate upward arrow remains', () => {
  const graph = readImportGraph(SRC);
  const folders = new Set([...graph.keys()].map((f) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : '.')));
  const unplaced = [...folders].filter((f) => !LAYERS.includes(f));
  assert.deepEqual(unplaced, [], 'folders missing from LAYERS (place each where it belongs)');
  const upward = [...folderArrows(graph)].filter(([arrow]) => {
    const [from, to] = arrow.split(' -> ') as [string, string];
    return LAYERS.indexOf(to) > LAYERS.indexOf(from);
  });
  const unexpected = upward.filter(([arrow]) => !UPWARD_ALLOWED.has(arrow));
  assert.deepEqual(unexpected, [], 'imports running up the layers');
  assert.ok(upward.length <= 2, `at most 2 upward folder arrows, found ${upward.length}`);
});

test('the core imports nothing of the app and no package', () => {
  const core = join(SRC, 'core');
  for (const name of readdirSync(core).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const text = readFileSync(join(core, name), 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'";]*?from\s+'([^']+)'/g)].map((m) => m[1]!);
    const outside = specifiers.filter((s) => !(s.startsWith('./') && !s.slice(2).includes('/')) && !s.startsWith('node:'));
    assert.deepEqual(outside, [], `core/${name} imports beyond the core`);
  }
});
