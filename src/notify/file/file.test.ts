// The file sink writes each event once, across restarts and crashes, and keeps the file parseable.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileNotifier } from './index.ts';
import { buildAlertContent } from '../content.ts';
import type { AlertEvent } from '../../alerting/state-machine.ts';

const result = {
  signal: 'tool_error_rate',
  driftMode: 'tool-api' as const,
  layer: 'tool' as const,
  subject: { tool: 'x' },
  status: 'drift' as const,
  value: 0.2,
  baseline: 0.02,
  samples: { current: 100, baseline: 1000 },
  pValue: 1e-6,
  evidence: { traceIds: ['t1'], unit: 'ratio' as const },
  message: 'x error rate 2.0% → 20.0%',
};
const event = (id: string): AlertEvent => ({
  id,
  kind: 'opened',
  fingerprint: 'fp',
  episode: 'ep',
  at: '2026-11-20T12:00:00Z',
  openedAt: '2026-11-20T12:00:00Z',
  result,
  facets: [result],
  windows: { current: { from: 'a', to: 'b' }, baseline: { from: 'c', to: 'd' } },
});
const refs = { get: () => undefined, set: () => undefined };
const deliver = (path: string, e: AlertEvent) => fileNotifier(path).deliver(e, buildAlertContent(e), refs, new AbortController().signal);
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

it('does not write an event again after a restart that retries it (killed after appending, before saving its outbox)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dw-file-')), 'alerts.jsonl');
  assert.equal(await deliver(path, event('e1')), undefined);
  // A new process: a fresh notifier, the same event from the outbox it restored. It says so.
  assert.equal(await deliver(path, event('e1')), 'already');
  assert.equal(await deliver(path, event('e2')), undefined);
  assert.deepEqual(
    lines(path).map((l) => JSON.parse(l).id),
    ['e1', 'e2'],
  );
});

it('closes a line cut short by a crash before writing the next one', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dw-file-')), 'alerts.jsonl');
  await deliver(path, event('e1'));
  appendFileSync(path, '{"id":"e2","kind":"op'); // the process died mid-write
  await deliver(path, event('e2'));
  const written = lines(path);
  assert.equal(written.length, 3);
  assert.deepEqual(
    written.filter((l) => l.endsWith('}')).map((l) => JSON.parse(l).id),
    ['e1', 'e2'],
  );
});

it('finds the events of a large file by reading it line by line', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dw-file-')), 'alerts.jsonl');
  const filler = 'x'.repeat(1000);
  appendFileSync(path, `${Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `old-${i}`, message: filler })).join('\n')}\n`);
  assert.equal(await deliver(path, event('old-19999')), 'already');
  assert.equal(await deliver(path, event('new')), undefined);
  assert.equal(lines(path).length, 20_001);
});
