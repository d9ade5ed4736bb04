/**
 * Retrieval-corpus queries. Per retriever and repeated query, ClickHouse picks the most frequent
 * top-k list in three windows (the two halves of the baseline and the current window) and returns
 * a bounded, deterministic sample of the queries seen in all three; plus distinct documents per
 * window and judge-score summaries. Nothing per span comes back.
 */
import type { TraceSource } from '../../sources/source.ts';
import type { RetrievalConfig } from './config.ts';
import { OVERFLOW_SUBJECT, subjectName } from '../../sources/fragments.ts';

function tagged(source: TraceSource, config: RetrievalConfig): string {
  return `
    WITH
      r AS (${source.retrievals(config.query)}),
      top_retrievers AS (SELECT retriever FROM r GROUP BY retriever ORDER BY count() DESC, retriever LIMIT {maxSubjects:UInt32}),
      all_tagged AS (
        SELECT
          if(retriever IN (SELECT retriever FROM top_retrievers), ${subjectName('retriever')}, '${OVERFLOW_SUBJECT}') AS subject,
          query_hash, doc_ids, trace_id, id_source,
          multiIf(ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}), 'c', ts >= fromUnixTimestamp64Milli({baselineMidMs:Int64}), 'b2', 'b1') AS w
        FROM r),
      tagged AS (SELECT * FROM all_tagged WHERE length(doc_ids) > 0)`;
}

/** One matched query: its modal top-k list in each window and an example current trace. */
export interface MatchedQueryRow {
  subject: string;
  query_hash: string;
  b1: string[];
  b2: string[];
  c: string[];
  example_trace: string;
  matched_total: number;
}

export const matchedQueriesSql = (source: TraceSource, config: RetrievalConfig) => `${tagged(source, config)},
    lists AS (
      SELECT subject, query_hash AS q, w, arraySlice(doc_ids, 1, {k:UInt32}) AS list, count() AS times, min(trace_id) AS ex
      FROM tagged WHERE query_hash != 0
      GROUP BY subject, q, w, list),
    ${MATCHED_FROM_LISTS}`;

/**
 * The matched queries from a CTE `lists` (subject, q, w, list, times, ex: how often query q got
 * top-k list `list` in window w, and its smallest trace id), whether scanned or merged from rollups.
 */
export const MATCHED_FROM_LISTS = `
    modal AS (
      -- ties between equally frequent lists are broken by a hash, so every replica picks the same
      SELECT subject, q, w, argMax(list, (times, cityHash64(list))) AS modal_topk, argMax(ex, (times, cityHash64(list))) AS modal_example
      FROM lists GROUP BY subject, q, w),
    per_query AS (
      SELECT subject, q,
             anyIf(modal_topk, w = 'b1') AS l1, anyIf(modal_topk, w = 'b2') AS l2, anyIf(modal_topk, w = 'c') AS lc,
             anyIf(modal_example, w = 'c') AS example_trace
      FROM modal GROUP BY subject, q
      HAVING countIf(w = 'b1') > 0 AND countIf(w = 'b2') > 0 AND countIf(w = 'c') > 0)
    SELECT subject, toString(q) AS query_hash, l1 AS b1, l2 AS b2, lc AS c, example_trace, count() OVER (PARTITION BY subject) AS matched_total
    FROM per_query
    ORDER BY subject, cityHash64(q)
    LIMIT {maxQueries:UInt32} BY subject`;

/** Retrievals and distinct document ids per retriever and window. */
export interface CorpusRow {
  subject: string;
  retrievals_c: number;
  retrievals_b: number;
  docs_c: number;
  docs_b: number;
  /** Retrieval spans whose document ids could not be read. */
  without_ids: number;
  /** Which identity most retrievals' ids are (`id`, `metadata`, `output`, `content`; '' without ids). */
  identity: string;
}

export const corpusSql = (source: TraceSource, config: RetrievalConfig) => `${tagged(source, config)}
    SELECT subject,
           countIf(w = 'c' AND length(doc_ids) > 0) AS retrievals_c, countIf(w != 'c' AND length(doc_ids) > 0) AS retrievals_b,
           uniqExactArrayIf(doc_ids, w = 'c') AS docs_c,
           uniqExactArrayIf(doc_ids, w != 'c') AS docs_b,
           countIf(length(doc_ids) = 0) AS without_ids,
           ifNull(topKIf(1)(id_source, length(doc_ids) > 0)[1], '') AS identity
    FROM all_tagged GROUP BY subject`;

/** Judge scores per name and window (current vs whole baseline). */
export interface ScoreRow {
  name: string;
  cur: number;
  n: number;
  mean: number;
  variance: number | null;
}

export const judgeScoresSql = (source: TraceSource) => `
    SELECT rubric AS name, ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur, count() AS n, avg(score) AS mean, varSamp(score) AS variance
    FROM (${source.judgements()})
    WHERE rubric IN {scoreNames:Array(String)} AND isNotNull(score)
    GROUP BY name, cur`;
