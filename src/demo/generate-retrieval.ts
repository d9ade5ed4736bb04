/**
 * Synthetic retrieval traffic for benchmarks and the demo, generated inside ClickHouse:
 * `queries` distinct questions asked round-robin, each answered with 10 chunk ids (OpenInference
 * flattened attributes); from `reindexFrom` on, every other query gets new chunk ids.
 */
import type { Store } from '../clickhouse/store.ts';
import { otelTracesDdl } from './otel-ddl.ts';

export async function generateRetrievalTraces(store: Store, table: string, w: { from: Date; to: Date; spans: number; queries: number; reindexFrom: Date | null }): Promise<void> {
  await store.command(otelTracesDdl(store.database, table));
  await store.command(
    `INSERT INTO ${store.database}.${table} (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes, Duration, StatusCode)
     WITH
       number % {queries:UInt64} AS q,
       fromUnixTimestamp64Milli({fromMs:Int64} + intDiv(number * ({toMs:Int64} - {fromMs:Int64}), {spans:UInt64})) AS t,
       t >= fromUnixTimestamp64Milli({reindexMs:Int64}) AND q % 2 = 0 AS reindexed
     SELECT t, lower(hex(cityHash64(number, 'trace'))), lower(hex(cityHash64(number, 'span'))), '', 'kb.search', 'Internal', 'rag-agent',
       mapFromArrays(
         arrayConcat(['openinference.span.kind', 'input.value'], arrayMap(i -> concat('retrieval.documents.', toString(i), '.document.id'), range(10))),
         arrayConcat(['RETRIEVER', concat('question ', toString(q))], arrayMap(i -> concat(if(reindexed, 'v2-', 'v1-'), toString((q * 7 + i) % 100000)), range(10)))),
       40000000, 'Ok'
     FROM numbers({spans:UInt64})`,
    {
      fromMs: w.from.getTime(),
      toMs: w.to.getTime(),
      spans: w.spans,
      queries: w.queries,
      reindexMs: w.reindexFrom ? w.reindexFrom.getTime() : 8_640_000_000_000_000,
    },
  );
}
