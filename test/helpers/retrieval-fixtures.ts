/**
 * Retrieval spans built from real TREC runs (test/fixtures/realdata/dl19-retriever-runs and
 * trec-covid-r2-covidex): each query is asked several times per window and answered with the
 * run's ranking, in a chosen trace convention.
 */
import { readFileSync } from 'node:fs';

export interface Ranked {
  doc: string;
  score: number;
}

const REALDATA = new URL('../fixtures/realdata/', import.meta.url);

/** A TREC run file (`qid Q0 docid rank score tag`) as rankings per query id. */
export function readTrecRun(relativePath: string): Map<string, Ranked[]> {
  const runs = new Map<string, Ranked[]>();
  for (const line of readFileSync(new URL(relativePath, REALDATA), 'utf8').split('\n')) {
    const [qid, , doc, rank, score] = line.trim().split(/\s+/);
    if (!qid || !doc || !rank || !score) continue;
    const list = runs.get(qid) ?? [];
    list[Number(rank) - 1] = { doc, score: Number(score) };
    runs.set(qid, list);
  }
  for (const [qid, list] of runs) runs.set(qid, list.filter(Boolean));
  return runs;
}

/**
 * Rank noise as nondeterministic retrieval produces it: documents whose scores are within
 * `relativeTie` of their neighbour's are near-ties and come back in a random order per request.
 */
export function shuffleNearTies(list: Ranked[], relativeTie: number, random: () => number): Ranked[] {
  const out = [...list];
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (Math.abs(a.score - b.score) <= relativeTie * Math.abs(a.score) && random() < 0.5) {
      out[i] = b;
      out[i + 1] = a;
      i++;
    }
  }
  return out;
}

export type RetrievalConvention = 'openinference' | 'reranker' | 'genai' | 'traceai-vectordb';

/** One retrieval span row of otel_traces. */
export function retrievalSpanRow(opts: {
  at: Date;
  traceId: string;
  query: string;
  docs: string[];
  retriever?: string;
  convention?: RetrievalConvention;
  scores?: Record<string, number>;
}): Record<string, unknown> {
  const attributes: Record<string, string> = {};
  const convention = opts.convention ?? 'openinference';
  if (convention === 'openinference') {
    attributes['openinference.span.kind'] = 'RETRIEVER';
    attributes['input.value'] = opts.query;
    opts.docs.forEach((d, i) => {
      attributes[`retrieval.documents.${i}.document.id`] = d;
      attributes[`retrieval.documents.${i}.document.score`] = String(1 - i / 100);
    });
  } else if (convention === 'reranker') {
    attributes['openinference.span.kind'] = 'RERANKER';
    attributes['reranker.query'] = opts.query;
    opts.docs.forEach((d, i) => (attributes[`reranker.output_documents.${i}.document.id`] = d));
  } else if (convention === 'genai') {
    attributes['gen_ai.operation.name'] = 'retrieval';
    attributes['gen_ai.retrieval.query.text'] = opts.query;
    attributes['gen_ai.retrieval.documents'] = JSON.stringify(opts.docs.map((id, i) => ({ id, score: 1 - i / 100 })));
  } else {
    attributes['fi.span.kind'] = 'VECTOR_DB';
    attributes['input.value'] = opts.query;
    attributes['db.vector.results.ids'] = JSON.stringify(opts.docs);
  }
  Object.entries(opts.scores ?? {}).forEach(([name, score], i) => {
    attributes[`evaluations.${i}.evaluation.name`] = name;
    attributes[`evaluations.${i}.evaluation.score`] = String(score);
  });
  return {
    Timestamp: opts.at.toISOString(),
    TraceId: opts.traceId,
    SpanId: `${opts.traceId}-r`,
    ParentSpanId: `${opts.traceId}-root`,
    SpanName: opts.retriever ?? 'kb.search',
    SpanKind: 'Internal',
    ServiceName: 'rag-agent',
    SpanAttributes: attributes,
    Duration: 40_000_000,
    StatusCode: 'Ok',
    StatusMessage: '',
  };
}

/** Each query asked `repeats` times, evenly over [from, to), answered by `answer`. */
export function askRepeatedly(opts: {
  queries: string[];
  from: Date;
  to: Date;
  repeats: number;
  answer: (query: string, repeat: number) => string[];
  tag: string;
  convention?: RetrievalConvention;
  retriever?: string;
}): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const total = opts.queries.length * opts.repeats;
  const span = opts.to.getTime() - opts.from.getTime();
  let i = 0;
  for (let r = 0; r < opts.repeats; r++) {
    for (const query of opts.queries) {
      const at = new Date(opts.from.getTime() + Math.floor(((i + 0.5) * span) / total));
      rows.push(retrievalSpanRow({ at, traceId: `${opts.tag}-${i}`, query, docs: opts.answer(query, r), convention: opts.convention, retriever: opts.retriever }));
      i++;
    }
  }
  return rows;
}
