/**
 * Ranked document ids and query texts of retrieval spans in `otel_traces`, in every convention
 * driftwatch reads (README: `retrieval`): OpenInference flattened
 * `retrieval.documents.{i}.document.id` and `reranker.output_documents.{i}.document.id` (ordered
 * by i), GenAI `gen_ai.retrieval.documents` (JSON array of {id, score}) and traceAI VECTOR_DB
 * `db.vector.results.ids` (JSON array). Instrumentation that keeps no id key (OpenInference's
 * LangChain.js instrumentation keeps only a document's content and metadata) is read, in order,
 * from the documents' metadata JSON (the first of {documentIdKeys} that tells every chunk apart:
 * `doc_id`, `chunk_id`, `source+page`, …), from the same keys in `output.value`
 * (`{"documents":[{"id"…} or {"metadata":{…}}]}`), else from a hash of each chunk's content: a
 * re-chunked corpus changes content, which is exactly the drift. `id_source` says which identity
 * a span's ids are.
 */
import type { QueryNormalization } from '../source.ts';
import { normalizedQueryHash } from '../fragments.ts';

const attr = (key: string) => `SpanAttributes['${key}']`;

/** Flattened `<prefix>.{i}.document.id` values ordered by i; the patterns arrive as parameters. */
const flattened = (matchParam: string, indexParam: string) =>
  `arrayMap(x -> x.2, arraySort(x -> x.1, arrayMap(kv -> (toUInt32OrZero(extract(kv.1, {${indexParam}:String})), kv.2),
     arrayFilter(kv -> match(kv.1, {${matchParam}:String}), CAST(SpanAttributes, 'Array(Tuple(String, String))')))))`;

const jsonIds = (key: string, idField: boolean) =>
  idField ? `arrayMap(x -> trim(BOTH '"' FROM JSONExtractRaw(x, 'id')), JSONExtractArrayRaw(${attr(key)}))` : `arrayMap(x -> trim(BOTH '"' FROM x), JSONExtractArrayRaw(${attr(key)}))`;

/**
 * A key's value in a JSON object: `doc_id`, or a combination such as `source+page` (every part
 * present, joined by '+'); '' when a part is missing, null or empty.
 */
const keyValue = (json: string, key: string) =>
  `if(arrayAll(p -> JSONExtractRaw(${json}, p) NOT IN ('', 'null', '""'), splitByChar('+', ${key})),
      arrayStringConcat(arrayMap(p -> trim(BOTH '"' FROM JSONExtractRaw(${json}, p)), splitByChar('+', ${key})), '+'), '')`;

/**
 * The first of {documentIdKeys} present on every one of `docs` whose values tell apart at least
 * `distinct` documents ('' when none does). LangChain loaders put one file path (or a collection
 * name) in `source` for every chunk of a file: such a key names the file, not the chunk, and
 * would make a re-index invisible, so a key must separate as many documents as their contents do.
 */
const chosenKey = (docs: string, value: (doc: string, key: string) => string, distinct: string) =>
  `arrayFirst(k -> arrayAll(d -> ${value('d', 'k')} != '', ${docs}) AND length(arrayDistinct(arrayMap(d -> ${value('d', 'k')}, ${docs}))) >= ${distinct},
     if(length(${docs}) > 0, {documentIdKeys:Array(String)}, CAST([], 'Array(String)')))`;

const METAS = flattened('metadataDocMatch', 'retrievalDocIndex');
const CONTENTS = flattened('contentDocMatch', 'retrievalDocIndex');
const METADATA_KEY = chosenKey(METAS, keyValue, `if(length(${CONTENTS}) > 0, length(arrayDistinct(${CONTENTS})), length(arrayDistinct(${METAS})))`);
const METADATA_IDS = `arrayMap(m -> ${keyValue('m', METADATA_KEY)}, ${METAS})`;

const OUTPUT_DOCS = `JSONExtractArrayRaw(${attr('output.value')}, 'documents')`;
/** A key's value on an output document, or on its `metadata`. */
const outputValue = (d: string, key: string) => `if(${keyValue(d, key)} != '', ${keyValue(d, key)}, ${keyValue(`JSONExtractRaw(${d}, 'metadata')`, key)})`;
const OUTPUT_KEY = chosenKey(OUTPUT_DOCS, outputValue, `length(arrayDistinct(${OUTPUT_DOCS}))`);
const OUTPUT_IDS = `arrayMap(d -> ${outputValue('d', OUTPUT_KEY)}, ${OUTPUT_DOCS})`;
const CONTENT_IDS = `arrayMap(c -> concat('content:', substring(lower(hex(cityHash64(c))), 1, 12)), ${CONTENTS})`;

const HAS_METADATA = `mapContains(SpanAttributes, 'retrieval.documents.0.document.metadata')`;

/**
 * Which identity the span's document ids are, in the order DOC_IDS tries them: `id`,
 * `metadata:<key>`, `output:<key>`, `content` (no metadata) or `content:shared-keys` (metadata
 * whose keys do not tell the chunks apart).
 */
export const DOC_ID_SOURCE = `multiIf(
  mapContains(SpanAttributes, 'retrieval.documents.0.document.id') OR mapContains(SpanAttributes, 'reranker.output_documents.0.document.id')
    OR ${attr('gen_ai.retrieval.documents')} != '' OR ${attr('db.vector.results.ids')} != '', 'id',
  ${HAS_METADATA} AND ${METADATA_KEY} != '', concat('metadata:', ${METADATA_KEY}),
  ${OUTPUT_KEY} != '', concat('output:', ${OUTPUT_KEY}),
  mapContains(SpanAttributes, 'retrieval.documents.0.document.content'), if(${HAS_METADATA}, 'content:shared-keys', 'content'),
  '')`;

export const DOC_IDS = `multiIf(
  mapContains(SpanAttributes, 'retrieval.documents.0.document.id'), ${flattened('retrievalDocMatch', 'retrievalDocIndex')},
  mapContains(SpanAttributes, 'reranker.output_documents.0.document.id'), ${flattened('rerankerDocMatch', 'rerankerDocIndex')},
  ${attr('gen_ai.retrieval.documents')} != '', ${jsonIds('gen_ai.retrieval.documents', true)},
  ${attr('db.vector.results.ids')} != '', ${jsonIds('db.vector.results.ids', false)},
  ${HAS_METADATA} AND ${METADATA_KEY} != '', ${METADATA_IDS},
  ${OUTPUT_KEY} != '', ${OUTPUT_IDS},
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
