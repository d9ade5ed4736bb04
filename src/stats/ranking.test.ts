// RBO_ext checked against hand computations of Webber et al.'s eq. 32 (worked in the comments), p = 0.9.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { jaccardAtK, rankBiasedOverlap, topOneChanged } from './ranking.ts';

const table: { a: string[]; b: string[]; p?: number; rbo: number; why: string }[] = [
  { a: ['a', 'b', 'c'], b: ['a', 'b', 'c'], rbo: 1, why: 'identical lists' },
  { a: ['a', 'b'], b: ['c', 'd'], rbo: 0, why: 'disjoint lists' },
  // X = 1,1,3: 0.729 + (0.1/0.9)(0.9 + 0.405 + 0.729) = 0.955
  { a: ['a', 'b', 'c'], b: ['a', 'c', 'b'], rbo: 0.955, why: 'a swap below the top' },
  // X = 0,2,2,4: 0.6561 + (0.1/0.9)(0 + 0.81 + 0.486 + 0.6561) = 0.87300
  { a: ['a', 'b', 'c', 'd'], b: ['b', 'a', 'd', 'c'], rbo: 0.873, why: 'pairwise swaps' },
  // s=2, l=3, X = 1,2,2: (0.1/0.9)(0.9 + 0.81 + 0.486 + 2·(1/6)·0.729) + (0/3 + 2/2)·0.729 = 1
  { a: ['a', 'b', 'c'], b: ['a', 'b'], rbo: 1, why: 'a prefix extrapolates to full agreement' },
  // s=1, l=2, X = 0,0: 0 + (0 + 0)·p² = 0
  { a: ['x'], b: ['a', 'b'], rbo: 0, why: 'uneven and disjoint' },
  // p = 0.5, X = 0,2: (0.5/0.5)(0 + 1·0.25) + (2/2)·0.25 = 0.5
  { a: ['a', 'b'], b: ['b', 'a'], p: 0.5, rbo: 0.5, why: 'top swap at p = 0.5' },
  { a: [], b: [], rbo: 1, why: 'two empty lists' },
  { a: ['a'], b: [], rbo: 0, why: 'one empty list' },
];
for (const t of table) {
  it(`RBO ${t.why}`, () => {
    const got = rankBiasedOverlap(t.a, t.b, t.p ?? 0.9);
    assert.ok(Math.abs(got - t.rbo) < 5e-4, `${got} vs ${t.rbo}`);
    assert.ok(Math.abs(got - rankBiasedOverlap(t.b, t.a, t.p ?? 0.9)) < 1e-12, 'symmetric');
  });
}

it('RBO weights the top: a change at rank 1 costs more than one at rank 9', () => {
  const base = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const top = ['z', ...base.slice(1)];
  const deep = [...base.slice(0, 8), 'z', 'j'];
  assert.ok(rankBiasedOverlap(base, top) < rankBiasedOverlap(base, deep));
});

it('Jaccard@k and top-1 change', () => {
  assert.equal(jaccardAtK(['a', 'b', 'c'], ['b', 'c', 'd'], 3), 0.5);
  assert.equal(jaccardAtK(['a', 'b', 'c'], ['a', 'x', 'y'], 1), 1);
  assert.equal(jaccardAtK([], [], 5), 1);
  assert.equal(topOneChanged(['a', 'b'], ['a', 'c']), false);
  assert.equal(topOneChanged(['a'], ['b']), true);
  assert.equal(topOneChanged([], ['b']), true);
});
