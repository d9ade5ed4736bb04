/**
 * Ranked document ids and query texts of retrieval spans in `otel_traces`, in every convention
 * driftwatch reads (README: `retrieval`): OpenInference flattened
 * `retrieval.documents.{i}.document.id` and `reranker.output_documents.{i}.document.id` (ordered
 * by i), GenAI `gen_ai.retrieval.documents` (JSON array of {id, score}) and traceAI VECTOR_DB
 * `db.vector.results.ids` (JSON array). Instrumentation that keeps no id key (OpenInference's
 * LangChain.js instrumentation keeps only a document's content and metadata) is read, in order,
 * from the documents' metadata JSON (the first of {documentIdKeys}, e.g. `id`, `source`), from the
 * ids in `output.value` (`{"documents":[{"id"…} or {"metadata":{…}}]}`), else from a hash of each
 * chunk's content: a re-chunked corpus changes content, which is exactly the drift. `id_source`
 * says which identity a span's ids are.
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

/** The first non-empty {documentIdKeys} value of a JSON object (numbers as their text). */
const keyOf = (json: string) => `arrayFirst(v -> v != '', arrayMap(k -> trim(BOTH '"' FROM JSONExtractRaw(${json}, k)), {documentIdKeys:Array(String)}))`;
const METADATA_IDS = `arrayMap(m -> ${keyOf('m')}, ${flattened('metadataDocMatch', 'retrievalDocIndex')})`;
const OUTPUT_DOCS = `JSONExtractArrayRaw(${attr('output.value')}, 'documents')`;
const OUTPUT_IDS = `arrayMap(d -> if(${keyOf('d')} != '', ${keyOf('d')}, ${keyOf("JSONExtractRaw(d, 'metadata')")}), ${OUTPUT_DOCS})`;
const CONTENT_IDS = `arrayMap(c -> concat('content:', substring(lower(hex(cityHash64(c))), 1, 12)), ${flattened('contentDocMatch', 'retrievalDocIndex')})`;
const allNonEmpty = (ids: string) => `(length(${ids}) > 0 AND arrayAll(x -> x != '', ${ids}))`;

/** Which identity the span's document ids are, in the order DOC_IDS tries them. */
export const DOC_ID_SOURCE = `multiIf(
  mapContains(SpanAttributes, 'retrieval.documents.0.document.id') OR mapContains(SpanAttributes, 'reranker.output_documents.0.document.id')
    OR ${attr('gen_ai.retrieval.documents')} != '' OR ${attr('db.vector.results.ids')} != '', 'id',
  mapContains(SpanAttributes, 'retrieval.documents.0.document.metadata') AND ${allNonEmpty(METADATA_IDS)}, 'metadata',
  ${allNonEmpty(OUTPUT_IDS)}, 'output',
  mapContains(SpanAttributes, 'retrieval.documents.0.document.content'), 'content',
  '')`;

export const DOC_IDS = `multiIf(
  mapContains(SpanAttributes, 'retrieval.documents.0.document.id'), ${flattened('retrievalDocMatch', 'retrievalDocIndex')},
  mapContains(SpanAttributes, 'reranker.output_documents.0.document.id'), ${flattened('rerankerDocMatch', 'rerankerDocIndex')},
  ${attr('gen_ai.retrieval.documents')} != '', ${jsonIds('gen_ai.retrieval.documents', true)},
  ${attr('db.vector.results.ids')} != '', ${jsonIds('db.vector.results.ids', false)},
  mapContains(SpanAttributes, 'retrieval.documents.0.document.metadata') AND ${allNonEmpty(METADATA_IDS)}, ${METADATA_IDS},
  ${allNonEmpty(OUTPUT_IDS)}, ${OUTPUT_IDS},
  mapContains(SpanAttributes, 'retrieval.documents.0.document.content'), ${CONTENT_IDS},
  CAST([], 'Array(String)'))`;

export const RETRIEVAL_PARAMS = {
  retrievalDocMatch: '^retrieval\\.documents\\.[0-9]+\\.document\\.id$',
  retrievalDocIndex: '^retrieval\\.documents\\.([0-9]+)\\.',
  rerankerDocMatch: '^reranker\\.output_documents\\.[0-9]+\\.document\\.id$',
  rerankerDocIndex: '^reranker\\.output_documents\\.([0-9]+)\\.',
  metadataDocMatch: '^retrieval\\.documents\\.[0-9]+\\.document\\.metadata$',
  contentDocMatch: '^retrieval\\.documents\\.[0-9]+\\.document\\.content$',
};

/** The query text, normalized as configured and hashed; 0 when the span carries none. */
export function queryHash(n: QueryNormalization): string {
  const text = `coalesce(nullIf(${attr('gen_ai.retrieval.query.text')}, ''), nullIf(${attr('reranker.query')}, ''), nullIf(${attr('input.value')}, ''), nullIf(${attr('gen_ai.retrieval.query')}, ''), '')`;
  return normalizedQueryHash(text, n);
}
