/**
 * Retrieval statistics per bucket and retriever: how often each (query, top-k list) pair was
 * returned, with its smallest trace id, so the modal list of a query in any window is a merge of
 * counts; and per retriever the retrievals with and without document ids and a KMV sketch of
 * distinct document ids (exact below 1,024 documents, ≈3% beyond).
 */
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, byWindow, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import { KMV_K, kmvEstimate, kmvHashSql } from '../../rollups/sketch.ts';
import type { Windows } from '../../core/windows.ts';
import { baselineMidMs, windowParams } from '../../core/windows.ts';
import type { Config } from '../../config/shape.ts';
import type { TraceSource } from '../../sources/source.ts';
import { withStoredJudgements } from '../judge/rollups.ts';
import { judgeScoresSql, MATCHED_FROM_LISTS, type CorpusRow, type MatchedQueryRow, type ScoreRow } from './sql.ts';
import type { RetrievalRows } from './evaluate.ts';
import { subjectName } from '../../sources/fragments.ts';

const RETRIEVER = subjectName('retriever');

export const retrievalListsFamily: RollupFamily = {
  name: 'retrieval_lists',
  columns: [
    { name: 'retriever', type: 'String' },
    { name: 'query_hash', type: 'UInt64' },
    { name: 'topk', type: 'Array(String)' },
    { name: 'n', type: 'UInt64' },
    { name: 'example', type: 'String' },
  ],
  key: ['retriever', 'query_hash'],
  reach: () => 0,
  build: (source, config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, ${RETRIEVER} AS retriever, query_hash, arraySlice(doc_ids, 1, {k:UInt32}) AS topk, count() AS n, min(trace_id) AS example
      FROM (${source.retrievals(config.signals.retrieval.query)})
      WHERE length(doc_ids) > 0 AND query_hash != 0
      GROUP BY bucket, retriever, query_hash, topk`,
    params: { ...source.params, ...rangeParams(range), k: config.signals.retrieval.k },
  }),
};

export const retrievalCorpusFamily: RollupFamily = {
  name: 'retrieval_corpus',
  columns: [
    { name: 'retriever', type: 'String' },
    { name: 'retrievals', type: 'UInt64' },
    { name: 'with_ids', type: 'UInt64' },
    { name: 'doc_kmv', type: 'Array(Float64)' },
    { name: 'identities', type: 'Map(String, UInt64)' },
  ],
  key: ['retriever'],
  reach: () => 0,
  build: (source, config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, ${RETRIEVER} AS retriever, count() AS retrievals, countIf(length(doc_ids) > 0) AS with_ids,
             arraySlice(arraySort(groupUniqArrayArray(arrayMap(d -> ${kmvHashSql('d')}, doc_ids))), 1, ${KMV_K}) AS doc_kmv,
             sumMapIf(map(id_source, toUInt64(1)), length(doc_ids) > 0) AS identities
      FROM (${source.retrievals(config.signals.retrieval.query)})
      GROUP BY bucket, retriever`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

interface CorpusWindowRow {
  subject: string;
  cur: number;
  n_all: number;
  n_ids: number;
  kmv: number[];
  identities: Record<string, number>;
}

/** The retrieval rows for `windows`, merged from the rollups (the raw-scan row shapes). */
export async function retrievalRowsFromRollups(reader: RollupReader, source: TraceSource, windows: Windows, config: Config): Promise<RetrievalRows> {
  const r = config.signals.retrieval;
  const params = {
    ...reader.params,
    ...windowParams(windows),
    baselineMidMs: baselineMidMs(windows, config.rollups.bucket),
    maxQueries: r.maxQueries,
    maxSubjects: r.maxSubjects,
    scoreNames: [...r.judge.contextRelevance, ...r.judge.groundedness],
  };
  const options = { comment: 'driftwatch signal retrieval' };
  const corpusRows = await reader.store.query<CorpusWindowRow>(
    `WITH b AS ${reader.table('retrieval_corpus')},
          top AS (SELECT retriever FROM b GROUP BY retriever ORDER BY sum(retrievals) DESC, retriever LIMIT {maxSubjects:UInt32})
     SELECT if(retriever IN (SELECT retriever FROM top), retriever, 'other') AS subject, bucket >= {currentFromMs:Int64} AS cur,
            sum(retrievals) AS n_all, sum(with_ids) AS n_ids,
            arraySlice(arraySort(arrayDistinct(arrayFlatten(groupArray(doc_kmv)))), 1, ${KMV_K}) AS kmv,
            sumMap(identities) AS identities
     FROM b GROUP BY subject, cur`,
    params,
    options,
  );
  const top = [...new Set(corpusRows.map((c) => c.subject))].filter((s) => s !== 'other');
  const matched = await reader.store.query<MatchedQueryRow>(
    `WITH
       lists AS (
         SELECT if(retriever IN {top:Array(String)}, retriever, 'other') AS subject, query_hash AS q,
                multiIf(bucket >= {currentFromMs:Int64}, 'c', bucket >= {baselineMidMs:Int64}, 'b2', 'b1') AS w,
                topk AS list, sum(n) AS times, min(example) AS ex
         FROM ${reader.table('retrieval_lists')}
         GROUP BY subject, q, w, list),
       ${MATCHED_FROM_LISTS}`,
    { ...params, top },
    options,
  );
  // Only the context rubrics' judgements are read (the week's other judgements can be millions).
  const scores = await reader.store.query<ScoreRow>(judgeScoresSql(withStoredJudgements(source, reader, 'rubric IN {scoreNames:Array(String)}')), params, options);
  return { matched, corpus: corpusFromWindows(corpusRows), scores };
}

function sumCounts(...maps: (Record<string, number> | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m ?? {})) out[k] = (out[k] ?? 0) + Number(v);
  return out;
}

/** The most common identity (ties: the raw scan's topK order is by count, then first seen; here by name). */
function dominant(counts: Record<string, number>): string {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

function corpusFromWindows(rows: readonly CorpusWindowRow[]): CorpusRow[] {
  return byWindow(rows, (r) => r.subject).map(({ subject, c, b }) => {
    return {
      subject,
      retrievals_c: Number(c?.n_ids ?? 0),
      retrievals_b: Number(b?.n_ids ?? 0),
      docs_c: kmvEstimate(c?.kmv ?? []),
      docs_b: kmvEstimate(b?.kmv ?? []),
      without_ids: Number(c?.n_all ?? 0) - Number(c?.n_ids ?? 0) + Number(b?.n_all ?? 0) - Number(b?.n_ids ?? 0),
      identity: dominant({ ...sumCounts(c?.identities, b?.identities) }),
    };
  });
}
