// Retrieval-corpus drift on the embedded engine, with spans built from real TREC runs.
import MarkdownIt from 'markdown-it';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../clickhouse/store.ts';
import type { Config } from '../../config/shape.ts';
import { computeWindows } from '../../core/windows.ts';
import type { Report } from '../../engine/cycle.ts';
import { otelSource } from '../../sources/otel/index.ts';
import { buildAlertContent } from '../../notify/content.ts';
import { retrievalSignal } from './index.ts';
import { freshStore, rng, testConfig, traceTable, cycleOn } from '../../../test/helpers/spans.ts';
import { askRepeatedly, readTrecRun, retrievalSpanRow, shuffleNearTies, type Ranked } from '../../../test/helpers/retrieval-fixtures.ts';

const AT = new Date('2026-11-20T12:00:00Z');
const w = computeWindows(AT, testConfig().windows);
const mid = new Date((w.baseline.from.getTime() + w.baseline.to.getTime()) / 2);
let store: Store;
let config: Config;

before(async () => {
  ({ store, config } = await freshStore('unused'));
});
after(async () => store.close());

const table = (name: string, rows: Record<string, unknown>[]) => traceTable(store, name, rows);

async function report(name: string, cfg = config): Promise<Report> {
  return (await cycleOn(store, cfg, name, [retrievalSignal as never], AT)).report;
}

const facet = (rep: Report, signal: string, retriever = 'kb.search') => {
  const r = rep.signals.find((s) => s.signal === signal && s.subject.retriever === retriever);
  assert.ok(r, `no ${signal} for ${retriever}: ${JSON.stringify(rep.signals.map((s) => [s.signal, s.subject]))}`);
  return r;
};

/** Baseline halves answered by `before`, the current window by `now`, each query asked 3 times per window. */
function scenario(tag: string, queries: string[], beforeAnswer: (q: string, r: number) => string[], nowAnswer: (q: string, r: number) => string[]) {
  return [
    ...askRepeatedly({ queries, from: w.baseline.from, to: mid, repeats: 3, answer: beforeAnswer, tag: `${tag}-b1` }),
    ...askRepeatedly({ queries, from: mid, to: w.baseline.to, repeats: 3, answer: beforeAnswer, tag: `${tag}-b2` }),
    ...askRepeatedly({ queries, from: w.current.from, to: w.current.to, repeats: 3, answer: nowAnswer, tag: `${tag}-c` }),
  ];
}

const top =
  (run: Map<string, Ranked[]>, k = 20) =>
  (q: string) =>
    run
      .get(q)!
      .slice(0, k)
      .map((d) => d.doc);

describe('retrieval-corpus drift on real TREC runs', () => {
  const bm25 = readTrecRun('dl19-retriever-runs/run.dl19.BM25.txt');
  const splade = readTrecRun('dl19-retriever-runs/run.dl19.SPLADE_P_P_ENSEMBLE_DISTIL.txt');
  const queries = [...bm25.keys()];

  it('fires when BM25 is swapped for SPLADE (DL19, 43 queries), with the moved queries as evidence', async () => {
    const rep = await report(await table('bm25_to_splade', scenario('s', queries, top(bm25), top(splade))));
    const rbo = facet(rep, 'retrieval_rbo');
    assert.equal(rbo.status, 'drift', rbo.message);
    assert.equal(rbo.driftMode, 'retrieval-corpus');
    assert.equal(rbo.layer, 'retrieval');
    assert.ok(rbo.value! < 0.6 && rbo.baseline! > 0.99, `${rbo.value} vs ${rbo.baseline}`);
    assert.equal(rbo.samples.current, 43);
    const moved = rbo.evidence.movedQueries as { queryHash: string; exampleTrace: string }[];
    assert.equal(moved.length, 10);
    assert.ok(rbo.evidence.traceIds.every((t) => t.startsWith('s-c-')));
    assert.equal(facet(rep, 'retrieval_top1_change').status, 'drift');
    // The Linear issue carries the moved queries.
    const event = { id: 'e', kind: 'opened' as const, fingerprint: 'f', episode: 'ep', at: 'now', openedAt: 'now', result: rbo, facets: [rbo], windows: rep.windows };
    const content = buildAlertContent(event);
    const shown = new MarkdownIt().render(content.description); // what Linear shows
    assert.match(content.title, /^Retrieval-corpus drift: kb\.search mean RBO of repeated queries 1\.00 → 0\.\d\d$/);
    for (const q of moved) assert.ok(shown.includes(`query #${q.queryHash}`));
    assert.match(shown, /Which layer moved: the traces carry too few judge scores/);
  });

  it('stays quiet when the same BM25 run answers with near-ties shuffled per request', async () => {
    const random = rng(17);
    const noisy = (q: string) => shuffleNearTies(bm25.get(q)!.slice(0, 20), 0.01, random).map((d) => d.doc);
    const rep = await report(await table('bm25_noisy', scenario('n', queries, noisy, noisy)));
    const rbo = facet(rep, 'retrieval_rbo');
    assert.equal(rbo.status, 'ok', rbo.message);
    assert.ok(rbo.baseline! < 1, 'the noise floor measured the shuffling');
    assert.equal(facet(rep, 'retrieval_top1_change').status, 'ok');
  });

  it('fires when TREC-COVID’s embedding ranker is replaced by the T5 reranker (35 topics)', async () => {
    const sim = readTrecRun('trec-covid-r2-covidex/run.covid-r2.covidex.sim.txt');
    const t5 = readTrecRun('trec-covid-r2-covidex/run.covid-r2.covidex.t5.txt');
    const rep = await report(await table('covid_sim_to_t5', scenario('t', [...sim.keys()], top(sim), top(t5))));
    assert.equal(facet(rep, 'retrieval_rbo').status, 'drift');
    assert.equal(facet(rep, 'retrieval_rbo').samples.current, 35);
  });
});

describe('retrieval-corpus drift on simulated traffic', () => {
  const queries = Array.from({ length: 60 }, (_, i) => `How do I reset my password, case ${i}?`);
  const chunks = (q: string, prefix: string) => Array.from({ length: 10 }, (_, i) => `${prefix}-${q.length}-${q.slice(-4)}-${i}`);

  it('fires on a re-index that gives half of the repeated queries new chunk ids, and reports corpus growth', async () => {
    const reindexed = (q: string) => (queries.indexOf(q) % 2 === 0 ? chunks(q, 'v2') : chunks(q, 'v1'));
    const rep = await report(
      await table(
        'reindex',
        scenario('r', queries, (q) => chunks(q, 'v1'), reindexed),
      ),
    );
    const rbo = facet(rep, 'retrieval_rbo');
    assert.equal(rbo.status, 'drift', rbo.message);
    assert.ok(Math.abs(rbo.value! - 0.5) < 0.01);
    const docs = facet(rep, 'retrieval_distinct_documents');
    // 60 queries × 10 chunks in each window; the re-indexed half are new ids.
    assert.equal(docs.value, 600);
    assert.equal(docs.baseline, 600);
    assert.equal(docs.samples.current, 180);
  });

  it('matches queries across case and whitespace, and sees no shift when nothing moved', async () => {
    const rep = await report(
      await table(
        'normalized',
        scenario(
          'm',
          queries,
          (q) => chunks(q, 'v1'),
          (q) => chunks(q, 'v1'),
        ).map((row, i) =>
          i % 2 === 0
            ? { ...row, SpanAttributes: { ...(row.SpanAttributes as object), 'input.value': `  ${String((row.SpanAttributes as Record<string, string>)['input.value']).toUpperCase()}  ` } }
            : row,
        ),
      ),
    );
    const rbo = facet(rep, 'retrieval_rbo');
    assert.equal(rbo.samples.current, 60);
    assert.equal(rbo.value, 1);
    assert.equal(rbo.status, 'ok');
  });

  it('is no_data with fewer repeated queries than minQueries', async () => {
    const few = queries.slice(0, 5);
    const rep = await report(
      await table(
        'few',
        scenario(
          'f',
          few,
          (q) => chunks(q, 'v1'),
          (q) => chunks(q, 'v2'),
        ),
      ),
    );
    const rbo = facet(rep, 'retrieval_rbo');
    assert.equal(rbo.status, 'no_data');
    assert.match(rbo.message, /5 repeated queries .* 20 needed/);
  });

  it('names the retriever when context relevance drops and groundedness holds, and the generator in the reverse case', async () => {
    const random = rng(3);
    const scored = (tag: string, crDrop: number, gDrop: number) => {
      const rows = scenario(
        tag,
        queries,
        (q) => chunks(q, 'v1'),
        (q) => (queries.indexOf(q) % 2 === 0 ? chunks(q, 'v2') : chunks(q, 'v1')),
      );
      return rows.map((row) => {
        const current = String(row.TraceId).includes('-c-');
        const cr = 0.85 - (current ? crDrop : 0) + (random() - 0.5) * 0.1;
        const g = 0.9 - (current ? gDrop : 0) + (random() - 0.5) * 0.1;
        return {
          ...row,
          SpanAttributes: {
            ...(row.SpanAttributes as object),
            'evaluations.0.evaluation.name': 'context_relevance',
            'evaluations.0.evaluation.score': String(cr),
            'annotations.0.annotation.name': 'faithfulness',
            'annotations.0.annotation.score': String(g),
          },
        };
      });
    };
    const retriever = facet(await report(await table('layer_retriever', scored('lr', 0.3, 0))), 'retrieval_rbo');
    assert.equal(retriever.status, 'drift');
    assert.equal(retriever.evidence.layerMoved, 'retriever');
    assert.match(retriever.message, /context relevance fell \(context_relevance 0\.8\d → 0\.5\d\) while groundedness held \(faithfulness 0\.9\d → 0\.9\d\): the retriever moved/);
    const generator = facet(await report(await table('layer_generator', scored('lg', 0, 0.3))), 'retrieval_rbo');
    assert.equal(generator.evidence.layerMoved, 'generator');
    assert.match(generator.message, /the generator moved/);
  });
});

describe('retrieval spans in every convention', () => {
  it('reads ranked ids from OpenInference, reranker, GenAI and traceAI vector-store spans, in rank order', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => `doc-${i}`);
    const at = new Date(w.current.from.getTime() + 60_000);
    const rows = (['openinference', 'reranker', 'genai', 'traceai-vectordb'] as const).map((convention) =>
      retrievalSpanRow({ at, traceId: convention, query: 'Where is my refund?', docs, convention }),
    );
    const name = await table('conventions', rows);
    const source = otelSource('default', name);
    const got = await store.query<{ trace_id: string; doc_ids: string[]; query_hash: string }>(
      `SELECT trace_id, doc_ids, toString(query_hash) AS query_hash FROM (${source.retrievals({ lowercase: true, foldWhitespace: true })}) ORDER BY trace_id`,
      { ...source.params, documentIdKeys: ['id'], fromMs: w.baseline.from.getTime(), toMs: w.current.to.getTime() },
    );
    assert.equal(got.length, 4);
    for (const row of got) assert.deepEqual(row.doc_ids, docs, row.trace_id); // doc-10 after doc-9: sorted by index, not text
    assert.equal(new Set(got.map((r) => r.query_hash)).size, 1);
  });
});
