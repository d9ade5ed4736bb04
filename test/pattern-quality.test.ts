// How well text patterns match true intents: five held-out intent sets each of Banking77 (16 of 77
// banking intents) and CLINC150 (15 of 150 intents over ten domains), 400 of their queries clustered
// as the pattern step clusters a drifting verdict's affected inputs. The README's table is this test's output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterTexts } from '../src/patterns/group.ts';
import { testConfig, rng } from './helpers/spans.ts';
import { readBanking77, readClinc } from './helpers/input-fixtures.ts';
import { adjustedRandIndex, purity } from './helpers/cluster-agreement.ts';

interface Query {
  text: string;
  intent: string;
}

function measure(all: readonly Query[], heldOut: ReadonlySet<string>, seed: number) {
  const random = rng(seed);
  const pool = all
    .filter((q) => heldOut.has(q.intent))
    .map((q) => ({ q, r: random() }))
    .sort((a, b) => a.r - b.r)
    .slice(0, 400)
    .map((x) => x.q);
  const { labels } = clusterTexts(
    pool.map((q, i) => ({ traceId: String(i), signature: '', text: q.text.toLowerCase() })),
    [],
    testConfig().patterns,
  );
  const clustered = labels.flatMap((l, i) => (l >= 0 ? [i] : []));
  const members = new Map<number, number[]>();
  for (const i of clustered) members.set(labels[i]!, [...(members.get(labels[i]!) ?? []), i]);
  const largest = [...members.values()].sort((a, b) => b.length - a.length).slice(0, 3);
  const mixOf = (m: number[]) => {
    const counts = new Map<string, number>();
    for (const i of m) counts.set(pool[i]!.intent, (counts.get(pool[i]!.intent) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  };
  return {
    clustered: clustered.length / pool.length,
    patterns: members.size,
    purity: purity(
      clustered.map((i) => labels[i]!),
      clustered.map((i) => pool[i]!.intent),
    ),
    ari: adjustedRandIndex(
      clustered.map((i) => labels[i]!),
      clustered.map((i) => pool[i]!.intent),
    ),
    largest: largest.map((m) => ({
      size: m.length,
      purity: mixOf(m)[0]![1] / m.length,
      intents: mixOf(m)
        .slice(0, 2)
        .map(([intent]) => intent),
    })),
  };
}

describe('text patterns against true intents', () => {
  it('ten held-out sets: mostly one intent per pattern, twins of shared words the exception', (t) => {
    const banking = [...readBanking77('test'), ...readBanking77('train')].filter((q) => q.text.trim() !== '');
    const clinc = Object.values(readClinc())
      .flat()
      .map(([text, intent]) => ({ text, intent }))
      .filter((q) => q.intent !== 'oos');
    const rows: ReturnType<typeof measure>[] = [];
    for (const [name, all, step] of [
      ['Banking77', banking, 5],
      ['CLINC150', clinc, 10],
    ] as const) {
      const intents = [...new Set(all.map((q) => q.intent))].sort();
      for (let offset = 0; offset < 5; offset++) {
        const m = measure(all, new Set(intents.filter((_, i) => i % step === offset)), 5 + offset);
        rows.push(m);
        const f = (x: number) => x.toFixed(2);
        t.diagnostic(
          `| ${name} | every ${step}th from no. ${offset + 1} | ${(m.clustered * 100).toFixed(0)}% | ${m.patterns} | ${f(m.purity)} | ${f(m.ari)} | ${m.largest.map((l) => f(l.purity)).join(' / ')} | ${
            m.largest
              .filter((l) => l.purity < 0.7)
              .map((l) => l.intents.join(' + '))
              .join('; ') || '—'
          } |`,
        );
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    // Measured: mean purity 0.91, mean ARI 0.81; the three largest patterns each ≥ 70% one intent in
    // all five CLINC150 sets but one, and in one of five Banking77 sets: there, one large pattern is
    // two intents written with the same words (verify_my_identity + why_verify_identity). Asserted
    // with a margin.
    assert.ok(mean(rows.map((r) => r.purity)) >= 0.86, `mean purity ${mean(rows.map((r) => r.purity))}`);
    assert.ok(mean(rows.map((r) => r.ari)) >= 0.75, `mean ARI ${mean(rows.map((r) => r.ari))}`);
    const clincSets = rows.slice(5);
    assert.ok(clincSets.filter((r) => r.largest.every((l) => l.purity >= 0.7)).length >= 3, 'CLINC150: three largest patterns ≥ 70% one intent in most sets');
    // Every largest pattern is mostly one intent, or mostly two. (Since Banking77's quoted line
    // breaks are read as such, one set's pattern of card_swallowed + atm_support, both asking about
    // cards at ATMs, holds 41% of its larger intent.)
    for (const r of rows) for (const l of r.largest) assert.ok(l.purity >= 0.4 && (l.purity >= 0.7 || l.intents.length === 2), JSON.stringify(l));
  });
});
