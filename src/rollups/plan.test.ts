// What a refresh builds, as case tables: the manifest and the fingerprints in, the buckets out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changedSince, chunksOf, closedFlag, fingerprintRange, missingOrOpen, nextGeneration, type FamilyRange, type Fingerprint, type ManifestEntry } from './plan.ts';

const B = 300_000; // 5-minute buckets
const at = (k: number) => k * B;
const family = (reachBuckets = 0, from = 0, to = 10): FamilyRange => ({ name: 'tool_calls', fromMs: at(from), toMs: at(to), reachMs: reachBuckets * B });
const entry = (closed: number, fp_rows = 10, fp_sum = '7', latest = 1000): ManifestEntry => ({ latest, closed, fp_rows, fp_sum });
const manifest = (entries: Record<number, ManifestEntry>) => new Map(Object.entries(entries).map(([k, e]) => [at(Number(k)), e]));
const buckets = (s: Iterable<number>) => [...s].map((b) => b / B).sort((x, y) => x - y);

describe('missingOrOpen', () => {
  const cases: [string, Map<number, ManifestEntry>, number[]][] = [
    ['nothing built: every bucket (a first start backfills)', manifest({}), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['all closed: none', manifest(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [k, entry(1)]))), []],
    ['closed but the last two open: those two', manifest(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [k, entry(k >= 8 ? 0 : 1)]))), [8, 9]],
    ['a hole in the middle: the hole', manifest(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [k, entry(1)]).filter(([k]) => k !== 4))), [4]],
  ];
  for (const [name, have, expected] of cases) it(name, () => assert.deepEqual(buckets(missingOrOpen(family(), have, B)), expected));
});

describe('fingerprintRange', () => {
  const cases: [string, number[][], number, number, number, [number, number] | null][] = [
    ['nothing to build, recheck the last hour', [[]], at(8), at(10), 0, [8, 10]],
    ['a backfill widens it to its first bucket', [[2, 3], [5]], at(8), at(10), 0, [2, 10]],
    ['the reach widens both ends', [[]], at(8), at(10), B, [7, 11]],
    ['recheck at the end and nothing to build: none', [[]], at(10), at(10), 0, null],
  ];
  for (const [name, stale, recheck, end, reach, expected] of cases) {
    it(name, () => {
      const r = fingerprintRange(
        stale.map((s) => new Set(s.map(at))),
        recheck,
        end,
        reach,
      );
      assert.deepEqual(r && [r.fromMs / B, r.toMs / B], expected);
    });
  }
});

describe('changedSince', () => {
  const closed = manifest(Object.fromEntries(Array.from({ length: 10 }, (_, k) => [k, entry(1)])));
  const same = (): Fingerprint => ({ rows: 10, checksum: '7' });
  const changedAt =
    (...ks: number[]) =>
    (b: number): Fingerprint =>
      ks.includes(b / B) ? { rows: 11, checksum: '8' } : same();
  const cases: [string, FamilyRange, (b: number) => Fingerprint, number, number[], number[]][] = [
    ['nothing changed: none', family(), same, at(5), [], []],
    ['a late span in bucket 6: bucket 6', family(), changedAt(6), at(5), [], [6]],
    ['a change before the recheck horizon is not looked at', family(), changedAt(3), at(5), [], []],
    ['a trace-level family rebuilds the neighbours its rows reach', family(1), changedAt(6), at(5), [], [5, 6, 7]],
    ['neighbours already to be built are not counted twice', family(1), changedAt(6), at(5), [7], [5, 6]],
    ['neighbours outside the family range are left out', family(1, 0, 7), changedAt(6), at(5), [], [5, 6]],
  ];
  for (const [name, f, fp, recheck, stale, expected] of cases) {
    it(name, () => assert.deepEqual(buckets(changedSince(f, closed, new Set(stale.map(at)), fp, recheck, B)), expected));
  }
  it('an open bucket is rebuilt anyway, not counted as changed', () => {
    const open = manifest({ 6: entry(0) });
    assert.deepEqual(changedSince(family(), open, new Set([at(6)]), changedAt(6), 0, B), []);
  });
});

describe('chunksOf', () => {
  const spans =
    (...ks: number[]) =>
    (b: number) => ({ rows: ks.includes(b / B) ? 5 : 0, checksum: '0' });
  it('contiguous runs, capped in length, each told whether it holds spans', () => {
    const chunks = chunksOf(family(), [0, 1, 2, 3, 6, 7].map(at), spans(1, 7), B, 2 * B);
    assert.deepEqual(
      chunks.map((c) => [buckets(c.buckets), c.empty]),
      [
        [[0, 1], false],
        [[2, 3], true],
        [[6, 7], false],
      ],
    );
  });
  it("a family's own cap shortens its chunks; a cap longer than the config's changes nothing", () => {
    const lengths = (cap: number | undefined) => chunksOf({ ...family(), maxChunkMs: cap }, [0, 1, 2, 3, 4].map(at), spans(1), B, 4 * B).map((c) => c.buckets.length);
    assert.deepEqual(lengths(undefined), [4, 1]);
    assert.deepEqual(lengths(2 * B), [2, 2, 1]);
    assert.deepEqual(lengths(10 * B), [4, 1]);
  });
  it('a chunk with no span of its own is built when its reach holds one', () => {
    const [chunk] = chunksOf(family(1), [at(2)], spans(3), B, B);
    assert.equal(chunk!.empty, false);
  });
});

describe('nextGeneration and closedFlag', () => {
  it('a generation after every one its buckets have, whatever the clock says', () => {
    const have = manifest({ 1: entry(1, 0, '0', 5_000_000_000_000_000) });
    assert.equal(nextGeneration([at(1), at(2)], have, 1_000_000_000, 7), 5_000_000_000_000_001, 'a replica whose clock is behind still writes the newest');
    assert.equal(nextGeneration([at(2)], have, 1_000_000_000, 7), 1_000_000_000_007, 'otherwise the clock, in microseconds, with its tail');
  });
  it('closed once its end, reach and grace are past', () => {
    const f = family(1);
    assert.equal(closedFlag(at(2), f, B, B, at(5)), 1);
    assert.equal(closedFlag(at(2), f, B, B, at(5) - 1), 0);
  });
});
