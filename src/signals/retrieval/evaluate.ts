/**
 * Pure verdicts of the retrieval-corpus signal. For each matched query (seen in both halves of
 * the baseline and in the current window) the noise floor is RBO(first half, second half) and
 * the shift is RBO(second half, current). The mean RBO drifts when the current comparison is
 * lower than the noise floor on significantly more queries than it is higher (paired sign test)
 * and by a practical margin; the top-1 change share likewise (McNemar's exact test on the queries
 * whose top-1 changed in one comparison only). Nondeterministic retrieval lowers both sides alike.
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { jaccardAtK, rankBiasedOverlap, topOneChanged } from '../../stats/ranking.ts';
import { signTestGreater } from '../../stats/sign-test.ts';
import { formatP } from '../../core/format.ts';
import type { Judgement, SignalResult } from '../../core/verdict.ts';
import { whichLayerMoved, type LayerVerdict } from './layer.ts';
import type { CorpusRow, MatchedQueryRow, ScoreRow } from './sql.ts';

export interface RetrievalRows {
  matched: MatchedQueryRow[];
  corpus: CorpusRow[];
  scores: ScoreRow[];
}

const BASE = { driftMode: 'retrieval-corpus', layer: 'retrieval' } as const;
const EPS = 1e-9;

interface QueryShift {
  queryHash: string;
  rbo: number;
  noiseFloor: number;
  jaccard: number;
  top1Now: boolean;
  top1Noise: boolean;
  exampleTrace: string;
}

export function evaluateRetrieval(rows: RetrievalRows, config: Config): Judgement[] {
  const r = config.signals.retrieval;
  const layer = whichLayerMoved(rows.scores, r.judge);
  if (rows.corpus.length === 0) return [nothingFound('retrieval_rbo', 'retrieval-corpus', 'retrieval', { retriever: 'none' }, LOOKED_FOR.retrievals)];
  const results: Judgement[] = [];
  for (const corpus of [...rows.corpus].sort((a, b) => b.retrievals_c - a.retrievals_c || a.subject.localeCompare(b.subject))) {
    if (corpus.retrievals_c + corpus.retrievals_b === 0) {
      results.push(missingIds(corpus));
      continue;
    }
    const queries = rows.matched.filter((m) => m.subject === corpus.subject);
    const matchedTotal = queries[0]?.matched_total ?? 0;
    const shifts: QueryShift[] = queries.map((q) => ({
      queryHash: q.query_hash,
      rbo: rankBiasedOverlap(q.b2, q.c, r.rboP),
      noiseFloor: rankBiasedOverlap(q.b1, q.b2, r.rboP),
      jaccard: jaccardAtK(q.b2, q.c, r.k),
      top1Now: topOneChanged(q.b2, q.c),
      top1Noise: topOneChanged(q.b1, q.b2),
      exampleTrace: q.example_trace,
    }));
    const facets = [rboFacet(corpus.subject, shifts, matchedTotal, layer, r), top1Facet(corpus.subject, shifts, matchedTotal, layer, r), documentsFacet(corpus)];
    // Which identity the documents were compared by (instrumentation that records no id is read otherwise).
    const identity = identityText(corpus.identity);
    if (identity)
      for (const f of facets)
        f.evidence = {
          ...f.evidence,
          documentIdentity: identity,
          documentIdSource: corpus.identity,
          details: [...(Array.isArray(f.evidence.details) ? (f.evidence.details as string[]) : []), `Documents compared by ${identity}.`],
        };
    results.push(...facets);
  }
  return results;
}

type R = Config['signals']['retrieval'];

/** How a retriever's documents were told apart, for people (CorpusRow.identity: `kind` or `kind:key`). */
export function identityText(identity: string): string | undefined {
  const [kind, key] = identity.split(/:(.*)/s, 2) as [string, string | undefined];
  switch (kind) {
    case 'id':
      return 'their id keys';
    case 'metadata':
      return `their metadata key ${key} (the first of traces.conventions.documentIdKeys present on every retrieved chunk that tells them apart)`;
    case 'output':
      return `the key ${key} of the documents in the retriever’s output JSON (the first of traces.conventions.documentIdKeys that tells them apart)`;
    case 'content':
      return key === 'shared-keys'
        ? 'a hash of their content: no key of their metadata tells the chunks apart (a file path shared by its chunks names the file); name a chunk key in traces.conventions.documentIdKeys, or a re-chunked corpus counts as moved'
        : 'a hash of their content (no id recorded: a re-chunked corpus counts as moved)';
    default:
      return undefined;
  }
}

/** The no_data verdict of a facet with too few repeated queries. */
function notEnough(base: Pick<SignalResult, 'signal' | 'driftMode' | 'layer' | 'subject' | 'samples'>, n: number, r: R): SignalResult {
  return noData(base, `${base.subject.retriever}: not enough data: ${n} repeated queries seen in both baseline halves and the current window, ${r.minQueries} needed`);
}

function moved(shifts: QueryShift[]): QueryShift[] {
  return [...shifts].filter((s) => s.noiseFloor - s.rbo > EPS).sort((a, b) => b.noiseFloor - b.rbo - (a.noiseFloor - a.rbo) || a.queryHash.localeCompare(b.queryHash));
}

function details(shifts: QueryShift[], layer: LayerVerdict): string[] {
  return [
    `Which layer moved: ${layer.sentence}.`,
    ...moved(shifts)
      .slice(0, 10)
      .map(
        (s) =>
          `query #${s.queryHash}: RBO ${s.rbo.toFixed(2)} against a noise floor of ${s.noiseFloor.toFixed(2)}, Jaccard@k ${s.jaccard.toFixed(2)}${s.top1Now ? ', top-1 changed' : ''} (e.g. trace ${s.exampleTrace})`,
      ),
  ];
}

function evidenceOf(shifts: QueryShift[], layer: LayerVerdict, test: string, unit: 'ratio' | 'score') {
  const top = moved(shifts).slice(0, 10);
  return {
    traceIds: top.map((s) => s.exampleTrace),
    test,
    unit,
    movedQueries: top.map(({ queryHash, rbo, noiseFloor, top1Now, exampleTrace }) => ({ queryHash, rbo, noiseFloor, top1Changed: top1Now, exampleTrace })),
    meanJaccard: mean(shifts.map((s) => s.jaccard)),
    layerMoved: layer.layer,
    details: details(shifts, layer),
  };
}

function rboFacet(subject: string, shifts: QueryShift[], matchedTotal: number, layer: LayerVerdict, r: R): Judgement {
  const base = { signal: 'retrieval_rbo', ...BASE, subject: { retriever: subject }, samples: { current: matchedTotal, baseline: matchedTotal } };
  if (shifts.length < r.minQueries) return notEnough(base, shifts.length, r);
  const now = mean(shifts.map((s) => s.rbo));
  const noise = mean(shifts.map((s) => s.noiseFloor));
  const lower = shifts.filter((s) => s.noiseFloor - s.rbo > EPS).length;
  const higher = shifts.filter((s) => s.rbo - s.noiseFloor > EPS).length;
  const pValue = signTestGreater(lower, higher);
  return {
    ...base,
    status: 'tested',
    value: round(now),
    baseline: round(noise),
    pValue,
    finding: {
      alpha: r.alpha,
      practical: noise - now >= r.minRboDrop ? true : `below the practical threshold (needs −${r.minRboDrop})`,
      meaning: `significant and practical (−${(noise - now).toFixed(2)}); ${layer.sentence}`,
    },
    evidence: evidenceOf(shifts, layer, 'paired sign test of per-query RBO against the baseline’s own noise floor', 'score'),
    message: `${subject} mean RBO@${r.k} ${noise.toFixed(2)} (noise floor) → ${now.toFixed(2)} over ${shifts.length} repeated queries (sign test, ${lower} queries lower vs ${higher} higher, p=${formatP(pValue)})`,
  };
}

function top1Facet(subject: string, shifts: QueryShift[], matchedTotal: number, layer: LayerVerdict, r: R): Judgement {
  const base = { signal: 'retrieval_top1_change', ...BASE, subject: { retriever: subject }, samples: { current: matchedTotal, baseline: matchedTotal } };
  if (shifts.length < r.minQueries) return notEnough(base, shifts.length, r);
  const now = shifts.filter((s) => s.top1Now).length / shifts.length;
  const noise = shifts.filter((s) => s.top1Noise).length / shifts.length;
  const onlyNow = shifts.filter((s) => s.top1Now && !s.top1Noise).length;
  const onlyNoise = shifts.filter((s) => !s.top1Now && s.top1Noise).length;
  const pValue = signTestGreater(onlyNow, onlyNoise);
  return {
    ...base,
    status: 'tested',
    value: round(now),
    baseline: round(noise),
    pValue,
    finding: {
      alpha: r.alpha,
      practical: now - noise >= r.minTop1Increase ? true : `below the practical threshold (needs +${Math.round(r.minTop1Increase * 100)} points)`,
      meaning: layer.sentence,
    },
    evidence: evidenceOf(shifts, layer, 'McNemar exact test on queries whose top-1 changed in one comparison only', 'ratio'),
    message: `${subject} top-1 document changed for ${(now * 100).toFixed(0)}% of repeated queries (noise floor ${(noise * 100).toFixed(0)}%; ${onlyNow} vs ${onlyNoise} discordant, p=${formatP(pValue)})`,
  };
}

/** Distinct documents returned: a report beside the tests (windows differ in length). */
function documentsFacet(c: CorpusRow): SignalResult {
  const report = {
    signal: 'retrieval_distinct_documents',
    ...BASE,
    subject: { retriever: c.subject },
    value: c.docs_c,
    baseline: c.docs_b,
    samples: { current: c.retrievals_c, baseline: c.retrievals_b },
  };
  const notes = { unit: 'count' as const, test: 'reported, not tested: windows differ in length' };
  const message = `${c.subject} returned ${c.docs_c} distinct documents in ${c.retrievals_c} retrievals now, ${c.docs_b} in ${c.retrievals_b} over the baseline`;
  return c.retrievals_c === 0 ? noData(report, message, notes) : { ...report, status: 'ok', pValue: null, evidence: { ...notes, traceIds: [] }, message };
}

/** Retrieval spans exist but none says which documents it returned: say so instead of guessing. */
function missingIds(c: CorpusRow): SignalResult {
  return noData(
    { signal: 'retrieval_rbo', ...BASE, subject: { retriever: c.subject } },
    `${c.subject}: ${c.without_ids} retrieval spans carry no documents driftwatch can tell apart (OpenInference retrieval.documents.{i}.document.id, .metadata or .content, GenAI gen_ai.retrieval.documents, traceAI db.vector.results.ids, or output.value JSON with ids), so retrieval-corpus drift cannot be measured`,
  );
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number) => Math.round(x * 10_000) / 10_000;
