// Freshness: the current window's spans against the same clock hours of previous days.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonRanges, judgeCoverage, judgeFreshness } from './freshness.ts';

const newest = new Date('2026-11-20T09:58:00Z');
const cases: [string, number[], number, string | null][] = [
  ['traffic as usual', [400, 380, 420, 410], 0.1, null],
  ['an empty window is stalled, naming the newest span', [0, 380, 420, 410], 0.1, 'no spans since 2026-11-20T09:58:00.000Z'],
  ['far below the usual hours is stalled', [12, 380, 420, 410], 0.1, 'only 12 spans in the current window, against a median of 410 in the same hours of the previous 3 days (traffic stalled?)'],
  ['a quiet hour like the same hour on other days is not', [150, 180, 120, 200], 0.1, null],
  ['too little history to compare: only empty counts', [1, 10, 12, 9], 0.1, null],
  ['no previous day in the baseline', [5], 0.1, null],
  ['stalledBelow 0 checks only for empty', [1, 400, 400], 0, null],
];
for (const [name, counts, below, expected] of cases) it(name, () => assert.equal(judgeFreshness(counts, newest, below).stalled, expected));

it('says so when there are no spans at all', () => {
  assert.equal(judgeFreshness([0, 0, 0], null, 0.1).stalled, 'no spans in the baseline or current window');
});

it('compares with the same clock window on each previous day inside the baseline (at most 7)', () => {
  const w = (baselineDays: number) => ({
    current: { from: new Date('2026-11-20T10:00:00Z'), to: new Date('2026-11-20T11:00:00Z') },
    baseline: { from: new Date(Date.parse('2026-11-20T10:00:00Z') - baselineDays * 86_400_000), to: new Date('2026-11-20T10:00:00Z') },
  });
  const ranges = comparisonRanges(w(7));
  assert.equal(ranges.length, 8);
  assert.deepEqual(ranges[1], { from: Date.parse('2026-11-19T10:00:00Z'), to: Date.parse('2026-11-19T11:00:00Z') });
  assert.equal(comparisonRanges(w(30)).length, 8);
  assert.equal(comparisonRanges(w(0.5)).length, 1);
});

it('counts from the manifest per range, and reads the trace table for the newest span only from the last bucket with spans', async () => {
  const B = 300_000;
  const perBucket = new Map([
    [0, 10],
    [B, 5],
    [2 * B, 0],
    [10 * B, 7],
  ]);
  const asked: [number, number][] = [];
  const raw = {
    count: async () => [],
    newest: async (from: number, to: number) => {
      asked.push([from, to]);
      return new Date(from + 1);
    },
    hoursWithSpans: async () => -1,
  };
  const counter = (await import('./freshness.ts')).manifestSpanCounter(perBucket, B, raw);
  assert.deepEqual(
    await counter.count([
      { from: 0, to: 2 * B },
      { from: 2 * B, to: 11 * B },
      { from: 20 * B, to: 30 * B },
    ]),
    [15, 7, 0],
  );
  await counter.newest(0, 12 * B);
  await counter.newest(0, 3 * B);
  await counter.newest(20 * B, 30 * B);
  assert.deepEqual(asked, [
    [10 * B, 12 * B],
    [B, 3 * B],
    [29 * B, 30 * B],
  ]);
});

it('counts the hours with spans from the manifest, without reading the trace table', async () => {
  const B = 300_000;
  const H = 3_600_000;
  // Hour 0: two buckets with spans; hour 1: only an empty bucket; hour 3: one; hour 9 is outside.
  const perBucket = new Map([
    [0, 10],
    [B, 5],
    [H, 0],
    [3 * H + 2 * B, 1],
    [9 * H, 4],
  ]);
  const counter = (await import('./freshness.ts')).manifestSpanCounter(perBucket, B, { count: async () => [], newest: async () => null, hoursWithSpans: async () => -1 });
  assert.equal(await counter.hoursWithSpans(0, 8 * H), 2);
});

const coverage: [string, number, number, number, string | null][] = [
  ['a full week judges', 168, 168, 0.5, null],
  ['half the hours is enough', 84, 168, 0.5, null],
  ['nine minutes of a week is not', 1, 168, 0.5, 'the baseline holds spans in only 1 of its 168 hours (1%; 50% needed, windows.minBaselineCoverage)'],
  ['0 turns the check off', 0, 168, 0, null],
];
for (const [name, withSpans, total, min, expected] of coverage) it(`baseline coverage: ${name}`, () => assert.equal(judgeCoverage(withSpans, total, min), expected));
