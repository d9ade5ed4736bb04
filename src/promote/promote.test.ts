// Choosing an alert's patterns and appending their traces to eval-set files without duplicates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEvalRows, type PromotedRow } from './eval-file.ts';
import { PromoteError, selectPatterns } from './select.ts';
import { readEvalFile } from '../signals/dataset/eval-set.ts';
import type { AlertState } from '../alerting/state-machine.ts';
import type { SignalResult } from '../core/verdict.ts';

const dir = mkdtempSync(join(tmpdir(), 'driftwatch-promote-'));
const row = (traceId: string, input: string, intent = '', pattern = 'p'): PromotedRow => ({ traceId, input, intent, pattern });

describe('appending to an eval-set file', () => {
  it('JSONL: appends new rows, skips known trace ids and inputs (case and spacing aside)', () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, '{"input":"Where is my card?","intent":"card_arrival"}\n{"input":"x","traceId":"t-old"}');
    const out = appendEvalRows(path, [row('t1', 'where is my   CARD?'), row('t-old', 'something new'), row('t2', 'Refund missing', 'refund', 'refund · missing'), row('t3', 'refund  missing')]);
    assert.equal(out.added.length, 1);
    assert.equal(out.skipped, 3);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.length, 4, 'a line break was added before the new row');
    assert.deepEqual(JSON.parse(lines[2]!), { input: 'Refund missing', intent: 'refund', traceId: 't2', pattern: 'refund · missing' });
    assert.equal(readEvalFile(path).length, 3, 'the signal reads the grown file');
  });

  it('CSV: a new file gets a header; an existing one keeps its columns; cells are quoted', () => {
    const fresh = join(dir, 'new.csv');
    appendEvalRows(fresh, [row('t1', 'say "hi", please\nnow', 'greeting', 'hi')]);
    assert.equal(readFileSync(fresh, 'utf8'), 'input,intent,trace_id,pattern\n"say ""hi"", please now",greeting,t1,hi\n');
    const existing = join(dir, 'old.csv');
    writeFileSync(existing, 'category,text\nbalance,what is my balance\n');
    const out = appendEvalRows(existing, [row('t2', 'What is my balance'), row('t3', 'freeze my card', 'freeze')]);
    assert.equal(out.added.length, 1);
    assert.equal(readFileSync(existing, 'utf8'), 'category,text\nbalance,what is my balance\nfreeze,freeze my card\n');
    assert.deepEqual(
      readEvalFile(existing).map((i) => i.intent),
      ['balance', 'freeze'],
    );
  });

  it('refuses a target that is not a regular file before reading it', () => {
    assert.throws(() => appendEvalRows('/dev/full', [row('t1', 'hello there')]), /\/dev\/full is not a regular file/);
    assert.throws(() => appendEvalRows(mkdtempSync(join(tmpdir(), 'dw-dir-')), [row('t1', 'hello there')]), /is not a regular file/);
  });

  it('refuses a file it cannot read as an eval set, and writes nothing', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"input":"ok"}\nnot json\n');
    assert.throws(() => appendEvalRows(bad, [row('t', 'new')]), /bad\.jsonl line 2 is not valid JSON/);
    const noInput = join(dir, 'bad.csv');
    writeFileSync(noInput, 'question,intent\nhi,greeting\n');
    assert.throws(() => appendEvalRows(noInput, [row('t', 'new')]), /needs an "input" \(or "text"\) column/);
    assert.equal(readFileSync(bad, 'utf8'), '{"input":"ok"}\nnot json\n');
  });
});

describe('choosing patterns', () => {
  const result = {
    signal: 'dataset_uncovered_share',
    driftMode: 'dataset',
    layer: 'dataset',
    subject: { evalSet: 'eval.jsonl' },
    status: 'drift',
    evidence: {
      traceIds: [],
      patterns: [
        { name: 'refund', size: 10, share: 0.5, baselineShare: 0, traceIds: ['a'] },
        { name: 'card', size: 8, share: 0.4, baselineShare: 0, traceIds: ['b'] },
      ],
      patternSample: { method: 'signature', affected: 20, baselineAffected: 0, unclustered: 2, window: { from: '2026-11-20T11:00:00.000Z', to: '2026-11-20T12:00:00.000Z' }, baselineScope: 'whole' },
    },
  } as unknown as SignalResult;
  const alert = (fingerprint: string, lastResult?: SignalResult): AlertState => ({
    fingerprint,
    key: { driftMode: 'dataset', layer: 'dataset', subject: { evalSet: 'eval.jsonl' } },
    phase: 'firing',
    driftStreak: 1,
    cleanStreak: 0,
    ...(lastResult ? { lastResult } : {}),
  });
  const alerts = { aaaaaaaa11111111: alert('aaaaaaaa11111111', result), aaaaaaaa22222222: alert('aaaaaaaa22222222'), bbbbbbbb33333333: alert('bbbbbbbb33333333') };

  const cases: { name: string; fp: string; names: string[]; picked?: string[]; error?: RegExp }[] = [
    { name: 'every pattern', fp: 'aaaaaaaa11111111', names: [], picked: ['refund', 'card'] },
    { name: 'by name, with a unique prefix', fp: 'aaaaaaaa1', names: ['card'], picked: ['card'] },
    { name: 'an ambiguous prefix', fp: 'aaaaaaaa', names: [], error: /matches 2 alerts/ },
    { name: 'an unknown alert lists the ones with patterns', fp: 'cccccccc', names: [], error: /no alert with fingerprint "cccccccc".*alerts with patterns: aaaaaaaa11111111 \(dataset eval\.jsonl\)/ },
    { name: 'an alert without patterns', fp: 'bbbbbbbb', names: [], error: /has no failure patterns/ },
    { name: 'an unknown pattern lists the alert’s', fp: 'aaaaaaaa11', names: ['nope'], error: /no pattern named "nope"; its patterns: "refund", "card"/ },
    { name: 'too short a prefix', fp: 'aaa', names: [], error: /at least 6 characters/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(
          () => selectPatterns(alerts, c.fp, c.names),
          (err: Error) => err instanceof PromoteError && c.error!.test(err.message),
        );
        return;
      }
      const s = selectPatterns(alerts, c.fp, c.names);
      assert.deepEqual(
        s.patterns.map((p) => p.name),
        c.picked,
      );
      assert.deepEqual(s.window, { from: new Date('2026-11-20T11:00:00.000Z'), to: new Date('2026-11-20T12:00:00.000Z') });
    });
  }
});
