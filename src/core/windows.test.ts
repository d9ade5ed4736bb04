// The windows of a cycle, from its time and config alone: bucket-aligned, adjacent, replayable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baselineMidMs, computeWindows, windowParams } from './windows.ts';
import { configSchema } from '../config/schema.ts';

const windowsOf = (w: Record<string, string>) => configSchema.parse({ windows: w }).windows;

describe('computeWindows', () => {
  const cases: [string, string, Record<string, string>, number, { current: [string, string]; baseline: [string, string] }][] = [
    [
      'on a bucket boundary, 2-minute lag: ends at the boundary before the lag',
      '2026-03-10T12:00:00Z',
      { ingestLag: '2m', current: '1h', baseline: '7d' },
      5,
      { current: ['2026-03-10T10:55:00.000Z', '2026-03-10T11:55:00.000Z'], baseline: ['2026-03-03T10:55:00.000Z', '2026-03-10T10:55:00.000Z'] },
    ],
    [
      'mid-bucket: floored',
      '2026-03-10T12:07:31Z',
      { ingestLag: '2m', current: '1h', baseline: '7d' },
      5,
      { current: ['2026-03-10T11:05:00.000Z', '2026-03-10T12:05:00.000Z'], baseline: ['2026-03-03T11:05:00.000Z', '2026-03-10T11:05:00.000Z'] },
    ],
    [
      '1-minute lag, 15-minute buckets',
      '2026-03-10T12:14:59Z',
      { ingestLag: '1m', current: '30m', baseline: '1d' },
      15,
      { current: ['2026-03-10T11:30:00.000Z', '2026-03-10T12:00:00.000Z'], baseline: ['2026-03-09T11:30:00.000Z', '2026-03-10T11:30:00.000Z'] },
    ],
  ];
  for (const [name, at, w, bucketMinutes, expected] of cases) {
    it(name, () => {
      const got = computeWindows(new Date(at), windowsOf(w), bucketMinutes * 60_000);
      assert.deepEqual([got.current.from.toISOString(), got.current.to.toISOString()], expected.current);
      assert.deepEqual([got.baseline.from.toISOString(), got.baseline.to.toISOString()], expected.baseline);
    });
  }

  it('every time inside one bucket gives the same windows (replicas and restarts agree)', () => {
    const w = windowsOf({});
    const first = computeWindows(new Date('2026-03-10T12:07:00Z'), w);
    for (let s = 0; s < 300; s += 37) assert.deepEqual(computeWindows(new Date(Date.parse('2026-03-10T12:07:00Z') + s * 1000), w), first);
  });

  it('baseline mid-point and query parameters', () => {
    const got = computeWindows(new Date('2026-03-10T12:01:00Z'), windowsOf({ ingestLag: '1m', current: '1h', baseline: '2h' }));
    assert.equal(new Date(baselineMidMs(got)).toISOString(), '2026-03-10T10:00:00.000Z');
    assert.deepEqual(windowParams(got), { fromMs: Date.parse('2026-03-10T09:00:00Z'), currentFromMs: Date.parse('2026-03-10T11:00:00Z'), toMs: Date.parse('2026-03-10T12:00:00Z') });
  });
});
