// Dataset drift on the embedded engine: Banking77 intents missing from the eval set, and CLINC150's
// out-of-scope queries against an eval set without intents (lexical matching in ClickHouse).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { Report } from '../../engine/cycle.ts';
import { buildAlertContent } from '../../notify/content.ts';
import { datasetSignal } from './index.ts';
import { freshStore, rng, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { readBanking77, readClinc, rootRow } from '../../../test/helpers/input-fixtures.ts';
import { spread } from '../../../test/helpers/judge-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
let store: Store;
let config: Config;
let dir: string;
let w: ReturnType<typeof computeWindows>;

before(async () => {
  ({ store, config, dir } = await freshStore('unused'));
  w = computeWindows(AT, config.windows);
});
after(async () => store.close());

function withEvalSet(path: string): Config {
  return { ...config, signals: { ...config.signals, dataset: { ...config.signals.dataset, evalSet: { path } } } };
}

async function report(name: string, rows: Record<string, unknown>[], cfg: Config): Promise<Report> {
  return (await cycleOn(store, cfg, await traceTable(store, name, rows), [datasetSignal as never], AT)).report;
}

const banking = readBanking77('test');
const intents = [...new Set(banking.map((q) => q.intent))].sort();
const covered = new Set(intents.slice(0, 60));

function bankingTraffic(uncoveredShare: { baseline: number; current: number }, seed: number) {
  const random = rng(seed);
  const inScope = banking.filter((q) => covered.has(q.intent));
  const outScope = banking.filter((q) => !covered.has(q.intent));
  const make = (from: Date, to: Date, n: number, share: number, tag: string) =>
    spread(from, to, n).map((at, i) => {
      const q = random() < share ? outScope[Math.floor(random() * outScope.length)]! : inScope[Math.floor(random() * inScope.length)]!;
      return rootRow({ at, traceId: `${tag}-${i}`, input: q.text, intent: q.intent });
    });
  return [...make(w.baseline.from, w.baseline.to, 3000, uncoveredShare.baseline, 'b'), ...make(w.current.from, w.current.to, 400, uncoveredShare.current, 'c')];
}

describe('dataset drift with intents (Banking77)', () => {
  let evalPath: string;
  before(() => {
    evalPath = join(dir, 'eval.jsonl');
    const train = readBanking77('train').filter((q) => covered.has(q.intent));
    writeFileSync(evalPath, train.map((q) => JSON.stringify({ input: q.text, intent: q.intent })).join('\n'));
  });

  it('fires when traffic shifts to intents the eval set lacks, and lists the traces to promote', async () => {
    const rep = await report('banking_shift', bankingTraffic({ baseline: 0.03, current: 0.3 }, 1), withEvalSet(evalPath));
    const r = rep.signals.find((s) => s.signal === 'dataset_uncovered_share')!;
    assert.equal(r.status, 'drift', r.message);
    assert.equal(r.driftMode, 'dataset');
    assert.deepEqual(r.subject, { evalSet: 'eval.jsonl' });
    assert.ok(r.value! > 0.2 && r.baseline! < 0.06, `${r.baseline} → ${r.value}`);
    const top = r.evidence.uncoveredIntents as { intent: string }[];
    assert.ok(top.length > 0 && top.every((t) => !covered.has(t.intent)));
    assert.ok(r.evidence.traceIds.length > 0 && r.evidence.traceIds.every((t) => t.startsWith('c-')));
    const content = buildAlertContent({ id: 'e', kind: 'opened', fingerprint: 'f', episode: 'ep', at: 'now', openedAt: 'now', result: r, facets: [r], windows: rep.windows });
    assert.match(content.title, /^Dataset drift: eval\.jsonl /);
    assert.match(content.description, /Promote these traces into the eval set as regression cases/);
  });

  it('stays quiet when the uncovered share holds', async () => {
    const rep = await report('banking_steady', bankingTraffic({ baseline: 0.05, current: 0.05 }, 2), withEvalSet(evalPath));
    const r = rep.signals.find((s) => s.signal === 'dataset_uncovered_share')!;
    assert.equal(r.status, 'ok', r.message);
  });
});

describe('dataset drift without intents (CLINC150 out-of-scope)', () => {
  const clinc = readClinc();
  let evalPath: string;
  before(() => {
    evalPath = join(dir, 'eval.csv');
    // Every 7th in-scope training query: about 2,100 items, all 150 intents, and no intent column.
    writeFileSync(evalPath, ['input', ...clinc.train.filter((_, i) => i % 7 === 0).map(([text]) => `"${text.replaceAll('"', '""')}"`)].join('\n'));
  });

  function clincTraffic(oosShare: number, seed: number) {
    const random = rng(seed);
    const make = (from: Date, to: Date, n: number, share: number, tag: string) =>
      spread(from, to, n).map((at, i) => {
        const pool = random() < share ? clinc.oos_test : clinc.test;
        return rootRow({ at, traceId: `${tag}-${i}`, input: pool[Math.floor(random() * pool.length)]![0] });
      });
    return [...make(w.baseline.from, w.baseline.to, 2000, 0, 'b'), ...make(w.current.from, w.current.to, 400, oosShare, 'c')];
  }

  it('fires when out-of-scope queries arrive, by n-gram distance to the nearest eval input', async () => {
    const rep = await report('clinc_oos', clincTraffic(0.4, 3), withEvalSet(evalPath));
    const r = rep.signals.find((s) => s.signal === 'dataset_uncovered_share')!;
    assert.equal(r.evidence.mode, 'lexical');
    assert.equal(r.status, 'drift', r.message);
    assert.ok(r.value! > r.baseline! + 0.1, `${r.baseline} → ${r.value}`);
  });

  it('stays quiet on in-scope traffic', async () => {
    const rep = await report('clinc_in', clincTraffic(0, 4), withEvalSet(evalPath));
    const r = rep.signals.find((s) => s.signal === 'dataset_uncovered_share')!;
    assert.equal(r.status, 'ok', r.message);
  });
});

describe('eval set problems', () => {
  it('reports a bad line as an error naming the file and line, and no eval set as no_data', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"input": "ok"}\n{"input": 42}\n');
    // A little traffic, so the source is not stalled and the eval set is what decides.
    const some = [rootRow({ at: new Date(w.current.from.getTime() + 60_000), traceId: 'c-1', input: 'hello', intent: 'greeting' })];
    const rep = await report('bad_eval', some, withEvalSet(bad));
    assert.equal(rep.signals[0]!.status, 'error');
    assert.match(rep.errors[0]!.message, /eval set .*bad\.jsonl line 2: needs a non-empty string field "input"/);
    const none = await report('no_eval', some, config);
    assert.equal(none.signals[0]!.status, 'no_data');
    assert.match(none.signals[0]!.message, /no eval set configured/);
  });
});
