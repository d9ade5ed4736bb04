// Grouping affected traces into patterns: exact signatures and text clusters, with baseline shares.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signaturePatterns, textPatterns, type AffectedItem } from './group.ts';
import { cosineDistance, featuresOf, tfIdf } from './text-features.ts';
import { sampledRanges } from './ranges.ts';

const options = { minClusterSize: 3, minSamples: 3, maxPatterns: 5, examples: 2 };
const items = (prefix: string, signature: string, n: number): AffectedItem[] => Array.from({ length: n }, (_, i) => ({ traceId: `${prefix}${i}`, signature, text: '' }));

describe('signature patterns', () => {
  const cases: { name: string; current: AffectedItem[]; baseline: AffectedItem[]; expect: [string, number, number, number][]; unclustered: number }[] = [
    {
      name: 'a new class next to an old one',
      current: [...items('n', 'SchemaError', 8), ...items('t', 'Timeout', 2)],
      baseline: items('b', 'Timeout', 4),
      expect: [['SchemaError', 8, 0.8, 0]],
      unclustered: 2,
    },
    {
      name: 'a class that grew',
      current: [...items('a', 'A', 6), ...items('b', 'B', 4)],
      baseline: [...items('x', 'A', 1), ...items('y', 'B', 3)],
      expect: [
        ['A', 6, 0.6, 0.25],
        ['B', 4, 0.4, 0.75],
      ],
      unclustered: 0,
    },
    {
      name: 'ties ordered by name',
      current: [...items('a', 'b-class', 3), ...items('b', 'a-class', 3)],
      baseline: [],
      expect: [
        ['a-class', 3, 0.5, 0],
        ['b-class', 3, 0.5, 0],
      ],
      unclustered: 0,
    },
    { name: 'nothing shared by enough traces', current: [...items('a', 'A', 2), ...items('b', 'B', 2)], baseline: [], expect: [], unclustered: 4 },
    { name: 'no affected traces', current: [], baseline: items('b', 'A', 3), expect: [], unclustered: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = signaturePatterns(c.current, c.baseline, options);
      assert.deepEqual(
        s.patterns.map((p) => [p.name, p.size, p.share, p.baselineShare]),
        c.expect,
      );
      assert.equal(s.unclustered, c.unclustered);
      assert.equal(s.affected, c.current.length);
      assert.equal(s.baselineAffected, c.baseline.length);
      assert.ok(s.patterns.every((p) => p.traceIds.length === Math.min(options.examples, p.size)));
    });
  }

  it('keeps maxPatterns, largest first, and distinct example traces', () => {
    const current = ['A', 'B', 'C'].flatMap((sig, k) => items(sig, sig, 3 + k)).concat([{ traceId: 'C0', signature: 'C', text: '' }]);
    const s = signaturePatterns(current, [], { ...options, maxPatterns: 2 });
    assert.deepEqual(
      s.patterns.map((p) => p.name),
      ['C', 'B'],
    );
    assert.deepEqual(s.patterns[0]!.traceIds, ['C0', 'C1']);
  });
});

describe('text patterns', () => {
  const refunds = ['where is my refund', 'refund still missing', 'my refund has not arrived', 'refund not received yet', 'when will the refund arrive', 'refund missing from account'];
  const cards = ['my card was declined', 'card declined at the shop', 'why is my card declined', 'declined card payment', 'card got declined again', 'payment declined on my card'];
  const current = [...refunds, ...cards, 'what is the weather on mars'].map((text, i) => ({ traceId: `c${i}`, signature: '', text }));

  it('finds the two topics, names them by their words, keeps the odd one out', () => {
    const s = textPatterns(current, [], options);
    assert.equal(s.method, 'hdbscan');
    const names = s.patterns.map((p) => p.name).sort();
    assert.equal(names.length, 2, JSON.stringify(s));
    assert.match(names[0]!, /card|declined/);
    assert.match(names[1]!, /refund/);
    assert.ok(s.unclustered >= 1);
    for (const p of s.patterns) {
      const members = p.name.includes('refund') ? refunds : cards;
      assert.ok(
        p.traceIds.every((id) => members.includes(current[Number(id.slice(1))]!.text)),
        JSON.stringify(p),
      );
    }
  });

  it('counts baseline texts that fall inside a cluster, and none that are far from all', () => {
    const baseline = ['refund missing from my account', 'where is the refund', 'how do I change my address', 'what is the exchange rate today'].map((text, i) => ({
      traceId: `b${i}`,
      signature: '',
      text,
    }));
    const s = textPatterns(current, baseline, options);
    const refund = s.patterns.find((p) => p.name.includes('refund'))!;
    const card = s.patterns.find((p) => !p.name.includes('refund'))!;
    assert.equal(refund.baselineShare, 0.5);
    assert.equal(card.baselineShare, 0);
  });
});

describe('text features', () => {
  it('drops stop words and adds in-word trigrams', () => {
    const f = featuresOf('Where is my Card?');
    assert.ok(f.has('card') && f.has('where') === false && f.has('my') === false);
    assert.ok(f.has('#<ca') && f.has('#rd>'));
  });
  it('keeps words of scripts written without spaces', () => {
    assert.ok(featuresOf('退款在哪里').has('退款在哪里'));
  });
  it('cosine distance: 0 for the same text, 1 for nothing shared or empty', () => {
    const m = tfIdf(['refund missing', 'refund missing', 'card declined', 'card declined', 'the']);
    assert.ok(cosineDistance(m.vectors[0]!, m.vectors[1]!) < 1e-12);
    assert.equal(cosineDistance(m.vectors[0]!, m.vectors[2]!), 1);
    assert.equal(cosineDistance(m.vectors[0]!, m.vectors[4]!), 1);
  });
});

describe('sampled ranges', () => {
  const H = 3_600_000;
  const at = (h: number) => new Date(Date.UTC(2026, 10, 20) + h * H);
  const cases: { name: string; current: [number, number]; baseline: [number, number]; expect: [number, number][] }[] = [
    { name: 'a week: the same hour on each of 7 days', current: [0, 1], baseline: [-168, 0], expect: [1, 2, 3, 4, 5, 6, 7].map((k) => [-24 * k, 1 - 24 * k]) },
    {
      name: 'a baseline of 2.5 days: two whole days fit',
      current: [0, 1],
      baseline: [-60, 0],
      expect: [
        [-24, -23],
        [-48, -47],
      ],
    },
    { name: 'a baseline under a day: the whole of it', current: [0, 1], baseline: [-12, 0], expect: [[-12, 0]] },
    { name: 'a current window of two days: the whole baseline', current: [0, 48], baseline: [-168, 0], expect: [[-168, 0]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = sampledRanges({ current: { from: at(c.current[0]), to: at(c.current[1]) }, baseline: { from: at(c.baseline[0]), to: at(c.baseline[1]) } });
      assert.deepEqual(
        r.baseline.map((x) => [(x.from.getTime() - at(0).getTime()) / H, (x.to.getTime() - at(0).getTime()) / H]),
        c.expect,
      );
      assert.deepEqual(r.current, { from: at(c.current[0]), to: at(c.current[1]) });
    });
  }
});
