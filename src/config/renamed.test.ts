// Moved keys: the old spelling still works for one release, says where it went, and never
// competes with the new one. Case table over the config loader.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfigText } from './load.ts';
import { RENAMED_KEYS } from './renamed.ts';

const load = (text: string, overrides: string[] = []) => {
  const warnings: string[] = [];
  const config = parseConfigText(text, 'inline.yaml', {}, overrides, warnings);
  return { config, warnings };
};

it('reads each old spelling at its new place, with a warning naming both and the line', () => {
  const cases: { old: string; yaml: string; read: (c: ReturnType<typeof load>['config']) => unknown; want: unknown }[] = [
    { old: 'signals.judge.humanServices', yaml: 'signals:\n  judge:\n    humanServices: [labelling-tool]', read: (c) => c.traces.conventions.humanServices, want: ['labelling-tool'] },
    { old: 'signals.dataset.intentKey', yaml: 'signals:\n  dataset:\n    intentKey: topic', read: (c) => c.traces.conventions.intentKey, want: 'topic' },
    { old: 'signals.prompt.versionKeys', yaml: 'signals:\n  prompt:\n    versionKeys: [v]', read: (c) => c.traces.conventions.promptVersionKeys, want: ['v'] },
    { old: 'signals.prompt.nameKeys', yaml: 'signals:\n  prompt:\n    nameKeys: [n]', read: (c) => c.traces.conventions.promptNameKeys, want: ['n'] },
    { old: 'signals.retrieval.documentIdKeys', yaml: 'signals:\n  retrieval:\n    documentIdKeys: [source+page]', read: (c) => c.traces.conventions.documentIdKeys, want: ['source+page'] },
    { old: 'signals.agent.maxTraceDuration', yaml: 'signals:\n  agent:\n    maxTraceDuration: 2h', read: (c) => c.traces.conventions.maxTraceDuration, want: 7_200_000 },
    { old: 'signals.judge.rubrics', yaml: 'signals:\n  judge:\n    rubrics:\n      - name: helpfulness\n        promptVersion: v3', read: (c) => c.rubrics.map((r) => r.name), want: ['helpfulness'] },
  ];
  assert.deepEqual(cases.map((c) => c.old).sort(), RENAMED_KEYS.map(([from]) => from).sort(), 'every renamed key has a case');
  for (const c of cases) {
    const { config, warnings } = load(`traces: {table: otel_traces}\n${c.yaml}\n`);
    assert.deepEqual(c.read(config), c.want, c.old);
    const to = RENAMED_KEYS.find(([from]) => from === c.old)![1];
    assert.deepEqual(warnings, [`${c.old} (line 4) is now ${to}: the old spelling is still read in this release, not in the next; move it`], c.old);
  }
});

it('keeps the new spelling silent, and the defaults when neither is written', () => {
  const { config, warnings } = load('traces:\n  table: otel_traces\n  conventions:\n    intentKey: topic\nrubrics: [{name: helpfulness}]\n');
  assert.deepEqual(warnings, []);
  assert.equal(config.traces.conventions.intentKey, 'topic');
  assert.deepEqual(config.traces.conventions.documentIdKeys.slice(0, 2), ['id', 'doc_id']);
  assert.equal(load('traces: {table: otel_traces}\n').config.traces.conventions.maxTraceDuration, 3_600_000);
});

it('refuses a key set under both spellings, and moves an old spelling given with --set', () => {
  assert.throws(
    () => load('traces:\n  table: otel_traces\n  conventions: {intentKey: topic}\nsignals:\n  dataset:\n    intentKey: intent\n'),
    (err: unknown) => err instanceof ConfigError && err.problems.includes('signals.dataset.intentKey (line 6): set only traces.conventions.intentKey; signals.dataset.intentKey is its old spelling'),
  );
  const { config, warnings } = load('traces: {table: otel_traces}\n', ['signals.dataset.intentKey=topic']);
  assert.equal(config.traces.conventions.intentKey, 'topic');
  assert.equal(warnings.length, 1);
});

it('keeps Langfuse traces Langfuse when a convention moves under them', () => {
  const { config } = load('traces:\n  schema: langfuse\n  projects: [p1]\nsignals:\n  judge:\n    humanServices: [labelling]\n');
  assert.equal(config.traces.schema, 'langfuse');
  assert.deepEqual(config.traces.conventions.humanServices, ['labelling']);
});
