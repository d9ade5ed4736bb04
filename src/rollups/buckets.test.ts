// Bucket arithmetic: case tables.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketStart, bucketsIn, contiguousChunks, isClosed } from './buckets.ts';

const M = 60_000;

it('floors a time to its bucket, also before the epoch', () => {
  const table: [number, number, number][] = [
    [0, 5 * M, 0],
    [5 * M - 1, 5 * M, 0],
    [5 * M, 5 * M, 5 * M],
    [7 * M, 5 * M, 5 * M],
    [-1, 5 * M, -5 * M],
  ];
  for (const [ms, width, start] of table) assert.equal(bucketStart(ms, width), start, `${ms}`);
});

it('lists the buckets of a range, rounding its start down', () => {
  assert.deepEqual(bucketsIn(0, 15 * M, 5 * M), [0, 5 * M, 10 * M]);
  assert.deepEqual(bucketsIn(3 * M, 11 * M, 5 * M), [0, 5 * M, 10 * M]);
  assert.deepEqual(bucketsIn(10 * M, 10 * M, 5 * M), []);
});

it('groups buckets into contiguous chunks no longer than the limit', () => {
  const b = (...i: number[]) => i.map((x) => x * 5 * M);
  const table: { buckets: number[]; max: number; want: [number, number][] }[] = [
    { buckets: b(0, 1, 2), max: 60 * M, want: [[0, 3]] },
    {
      buckets: b(0, 1, 2, 3),
      max: 10 * M,
      want: [
        [0, 2],
        [2, 4],
      ],
    },
    {
      buckets: b(0, 2, 3),
      max: 60 * M,
      want: [
        [0, 1],
        [2, 4],
      ],
    },
    {
      buckets: b(3, 0, 1, 1),
      max: 60 * M,
      want: [
        [0, 2],
        [3, 4],
      ],
    },
    { buckets: [], max: 60 * M, want: [] },
  ];
  for (const t of table) {
    const got = contiguousChunks(t.buckets, 5 * M, t.max).map((c) => [c.fromMs / (5 * M), c.toMs / (5 * M)]);
    assert.deepEqual(got, t.want, JSON.stringify(t.buckets));
  }
});

it('closes a bucket once its end, its reach and the grace period have passed', () => {
  const table: { bucket: number; reach: number; grace: number; now: number; closed: boolean }[] = [
    { bucket: 0, reach: 0, grace: 12 * M, now: 17 * M, closed: true },
    { bucket: 0, reach: 0, grace: 12 * M, now: 17 * M - 1, closed: false },
    { bucket: 0, reach: 60 * M, grace: 12 * M, now: 17 * M, closed: false },
    { bucket: 0, reach: 60 * M, grace: 12 * M, now: 77 * M, closed: true },
  ];
  for (const t of table) assert.equal(isClosed(t.bucket, 5 * M, t.reach, t.grace, t.now), t.closed, JSON.stringify(t));
});
