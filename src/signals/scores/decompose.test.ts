// The split of a gap to CI into inputs the eval set lacks (mix) and covered inputs scoring worse (within): case table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeSplit, splitGap, type IntentScore } from './decompose.ts';

const rows = (...xs: [string, number, number][]): IntentScore[] => xs.map(([intent, n, value]) => ({ intent, n, value }));

it('splits CI − production exactly into within and mix, in the rubric’s worse direction', () => {
  const cases: { name: string; ci: number; by: IntentScore[]; uncovered: string[]; sign: 1 | -1; mix: number; within: number; share: number }[] = [
    // Covered inputs score as in CI; the new intents score 0.3: the whole gap is mix.
    { name: 'all mix', ci: 0.9, by: rows(['card', 60, 0.9], ['loan', 40, 0.3]), uncovered: ['loan'], sign: 1, mix: 0.24, within: 0, share: 0.4 },
    // Every input scores 0.2 below CI, covered or not: the whole gap is within.
    { name: 'all within', ci: 0.9, by: rows(['card', 60, 0.7], ['loan', 40, 0.7]), uncovered: ['loan'], sign: 1, mix: 0, within: 0.2, share: 0.4 },
    { name: 'both', ci: 0.9, by: rows(['card', 50, 0.8], ['loan', 50, 0.4]), uncovered: ['loan'], sign: 1, mix: 0.2, within: 0.1, share: 0.5 },
    // Lower is better (an error count): production's higher values are the worse ones.
    { name: 'lower is better', ci: 1, by: rows(['card', 50, 1], ['loan', 50, 3]), uncovered: ['loan'], sign: -1, mix: 1, within: 0, share: 0.5 },
    { name: 'nothing uncovered', ci: 0.9, by: rows(['card', 100, 0.8]), uncovered: [], sign: 1, mix: 0, within: 0.1, share: 0 },
  ];
  for (const c of cases) {
    const s = splitGap(c.ci, c.by, new Set(c.uncovered), c.sign, 'eval.jsonl');
    assert.ok(s, c.name);
    assert.ok(Math.abs(s.mix - c.mix) < 1e-9, `${c.name}: mix ${s.mix}`);
    assert.ok(Math.abs(s.within - c.within) < 1e-9, `${c.name}: within ${s.within}`);
    assert.equal(s.uncoveredShare, c.share, c.name);
    // The parts add up to the whole gap.
    const live = c.by.reduce((a, r) => a + r.n * r.value, 0) / c.by.reduce((a, r) => a + r.n, 0);
    assert.ok(Math.abs(s.mix + s.within - c.sign * (c.ci - live)) < 1e-3, c.name);
  }
});

it('leaves traces without an intent out, says how many, and needs enough with one', () => {
  const s = splitGap(0.9, rows(['', 30, 0.1], ['card', 20, 0.9], ['loan', 10, 0.3]), new Set(['loan']), 1, 'eval.jsonl');
  assert.equal(s?.withIntent, 30);
  assert.equal(s?.withoutIntent, 30);
  assert.match(describeSplit(s!, 'score'), /30 scored traces name no intent/);
  assert.equal(splitGap(0.9, rows(['card', 10, 0.9], ['loan', 9, 0.1]), new Set(['loan']), 1, 'e'), null);
});

it('names the worst uncovered intents and the share of the gap they carry', () => {
  const s = splitGap(0.9, rows(['card', 50, 0.9], ['loan', 30, 0.2], ['visa', 20, 0.6]), new Set(['loan', 'visa']), 1, 'eval.jsonl')!;
  assert.deepEqual(
    s.worstUncovered.map((w) => w.intent),
    ['loan', 'visa'],
  );
  assert.match(
    describeSplit(s, 'score'),
    /^Of the gap, 0\.270 \(100%\) comes from inputs the eval set eval\.jsonl does not cover \(50% of scored traffic, scoring 0\.360 against 0\.900 on covered inputs\) and 0\.000 from covered inputs scoring below CI; worst uncovered intents: loan \(0\.200, 30\), visa \(0\.600, 20\)\.$/,
  );
  assert.match(describeSplit({ ...s, mix: 0.05, within: 0.15 }, 'ratio'), /^Of the gap, 5\.0 points \(25%\)/);
});
