// The fast path: which verdict of a subject stands when the hour and the short window disagree.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Judgement, Tested } from '../core/verdict.ts';
import { noData } from '../core/unjudged.ts';
import { computeWindows } from '../core/windows.ts';
import { fastWindows, shortWindowOnset, withFastPath } from './fast-path.ts';

const HOUR = 3_600_000;
const windows = computeWindows(new Date('2026-12-07T10:32:00Z'), { current: HOUR, baseline: 7 * 24 * HOUR, ingestLag: 120_000 });
const short = fastWindows(windows, 15 * 60_000);

const tested = (tool: string, pValue: number, practical: true | string = true, value = 0.1): Tested => ({
  signal: 'tool_error_rate',
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool },
  status: 'tested',
  value,
  baseline: 0.02,
  samples: { current: 200, baseline: 50_000 },
  pValue,
  evidence: { traceIds: [] },
  message: `${tool} error rate`,
  finding: { alpha: 0.001, practical, meaning: 'it broke' },
});

const gap = (pValue: number): Tested => ({ ...tested('x', pValue, true, 0.84), signal: 'eval_gap', layer: 'eval', subject: { rubric: 'resolution' } });

it('puts the short window on the newest part of the current one, with a baseline as long as the usual one just before it', () => {
  assert.equal(short.current.to.toISOString(), '2026-12-07T10:30:00.000Z');
  assert.equal(short.current.from.toISOString(), '2026-12-07T10:15:00.000Z');
  assert.equal(short.baseline.to.toISOString(), '2026-12-07T10:15:00.000Z');
  assert.equal(short.baseline.to.getTime() - short.baseline.from.getTime(), 7 * 24 * HOUR);
});

it('takes the short window’s verdict only when the hour does not drift and the short one would at the stricter alpha', () => {
  const cases: [string, Judgement, Judgement | undefined, 'hour' | 'short'][] = [
    ['the hour drifts: it stands', tested('a', 1e-6), tested('a', 1e-9, true, 0.3), 'hour'],
    ['neither drifts', tested('a', 0.2), tested('a', 0.01), 'hour'],
    ['the short window is significant at alpha but not at alpha × share', tested('a', 0.2), tested('a', 0.0005), 'hour'],
    ['the short window passes the stricter alpha', tested('a', 0.2), tested('a', 0.00005, true, 0.3), 'short'],
    ['significant but not practical in the short window', tested('a', 0.2), tested('a', 1e-9, 'a change of 0.1 pp is too small'), 'hour'],
    ['no short-window verdict for the subject', tested('a', 0.2), tested('b', 1e-9), 'hour'],
    ['the short window has too few samples', tested('a', 0.2), noData({ signal: 'tool_error_rate', driftMode: 'tool-api', layer: 'tool', subject: { tool: 'a' } }, 'too few calls'), 'hour'],
    ['a facet held against a fixed reference (a CI run) is not tested again', gap(0.2), gap(0.00005), 'hour'],
    ['a verdict the signal settled itself is kept', noData({ signal: 'tool_error_rate', driftMode: 'tool-api', layer: 'tool', subject: { tool: 'a' } }, 'too few calls'), tested('a', 1e-9), 'hour'],
  ];
  for (const [name, hour, fast, expected] of cases) {
    const [out] = withFastPath([hour], fast ? [fast] : [], short, 0.1, new Set(['eval_gap']));
    if (expected === 'hour') {
      assert.deepEqual(out, hour, name);
      continue;
    }
    const t = out as Tested;
    assert.equal(t.finding.alpha, 0.0001, name);
    assert.equal(t.value, (fast as Tested).value, name);
    assert.match(t.message, /in the last 15m$/, name);
    const path = t.evidence['fastPath'] as { window: { from: string; to: string }; currentWindow: { pValue: number } };
    assert.deepEqual(path.window, { from: '2026-12-07T10:15:00.000Z', to: '2026-12-07T10:30:00.000Z' }, name);
    assert.equal(path.currentWindow.pValue, (hour as Tested).pValue, name);
  }
});

it('dates a change the short window found in it or as long again before it, for the 5-minute refinement to place', () => {
  const [found] = withFastPath([tested('a', 0.2)], [tested('a', 0.00005, true, 0.3)], short, 0.1);
  assert.deepEqual(shortWindowOnset(found!, 5 * 60_000), {
    at: '2026-12-07T10:15:00.000Z',
    earliest: '2026-12-07T10:00:00.000Z',
    latest: '2026-12-07T10:25:00.000Z',
    stepMinutes: 15,
    method: 'the short window that found it',
  });
  assert.equal(shortWindowOnset(tested('a', 1e-9), 5 * 60_000), null, 'a drift the hour found is dated from the hourly series');
});
