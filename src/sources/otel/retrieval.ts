/**
 * Ranked document ids and query texts of retrieval spans in `otel_traces`, in every convention
 * driftwatch reads (README: `retrieval`): OpenInference flattened
 * `retrieval.documents.{i}.document.id` and `reranker.output_documents.{i}.document.id` (ordered
 * by i), GenAI `gen_ai.retrieval.documents` (JSON array of {id, score}) and traceAI VECTOR_DB
 * `db.vector.results.ids` (JSON array).
 */
import type { QueryNormalization } from '../source.ts';
import { normalizedQueryHash } from '../fragments.ts';

const attr = (key: string) => `SpanAttributes['${key}']`;

/** Flattened `<prefix>.{i}.document.id` values ordered by i; the patterns arrive as parameters. */
const flattened = (matchParam: string, indexParam: string) =>
  `arrayMap(x -> x.2, arraySort(x -> x.1, arrayMap(kv -> (toUInt32OrZero(extract(kv.1, {${indexParam}:String})), kv.2),
     arrayFilter(kv -> match(kv.1, {${matchParam}:String}), CAST(SpanAttributes, 'Array(Tuple(String, String))')))))`;

const jsonIds = (key: string, idField: boolean) =>
  idField
    ? `arrayMap(x -> trim(BOTH '"' FROM JSONExtractRaw(x, 'id')), JSONExtractArrayRaw(${attr(key)}))`
    : `arrayMap(x -> trim(BOTH '"' FROM x), JSONExtractArrayRaw(${attr(key)}))`;

export const DOC_IDS = `multiIf(
  mapContains(SpanAttributes, 'retrieval.documents.0.document.id'), ${flattened('retrievalDocMatch', 'retrievalDocIndex')},
  mapContains(SpanAttributes, 'reranker.output_documents.0.document.id'), ${flattened('rerankerDocMatch', 'rerankerDocIndex')},
  ${attr('gen_ai.retrieval.documents')} != '', ${jsonIds('gen_ai.retrieval.documents', true)},
  ${attr('db.vector.results.ids')} != '', ${jsonIds('db.vector.results.ids', false)},
  CAST([], 'Array(String)'))`;

export const RETRIEVAL_PARAMS = {
  retrievalDocMatch: '^retrieval\\.documents\\.[0-9]+\\.document\\.id$',
  retrievalDocIndex: '^retrieval\\.documents\\.([0-9]+)\\.',
  rerankerDocMatch: '^reranker\\.output_documents\\.[0-9]+\\.document\\.id$',
  rerankerDocIndex: '^reranker\\.output_documents\\.([0-9]+)\\.',
};

/** The query text, normalized as configured and hashed; 0 when the span carries none. */
export function queryHash(n: QueryNormalization): string {
  const text = `coalesce(nullIf(${attr('gen_ai.retrieval.query.text')}, ''), nullIf(${attr('reranker.query')}, ''), nullIf(${attr('input.value')}, ''), nullIf(${attr('gen_ai.retrieval.query')}, ''), '')`;
  return normalizedQueryHash(text, n);
}
