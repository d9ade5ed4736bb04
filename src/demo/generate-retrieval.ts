/**
 * Synthetic retrieval traffic for benchmarks and the demo, generated inside ClickHouse:
 * `queries` distinct questions asked round-robin, each answered with 10 chunk ids (OpenInference
 * flattened attributes); from `reindexFrom` on, every other query gets new chunk ids.
 * Either `spans` spread evenly over [from, to), or one span every `everyMs` as a stream that a
 * later call continues from `after` (see streams.ts).
 */
import type { Store } from '../clickhouse/store.ts';
import { otelTracesDdl } from './otel-ddl.ts';

type Pace = { spans: number } | { everyMs: number; after?: Date };

/** Writes the retrieval spans (one trace each); returns how many. */
export async function generateRetrievalTraces(store: Store, table: string, w: { from: Date; to: Date; queries: number; reindexFrom: Date | null } & Pace): Promise<number> {
  await store.command(otelTracesDdl(store.database, table));
  const span = w.to.getTime() - w.from.getTime();
  const stream = 'everyMs' in w;
  const first = stream && w.after ? Math.max(0, Math.floor((w.after.getTime() - w.from.getTime()) / w.everyMs)) : 0;
  const count = stream ? Math.max(0, Math.floor(span / w.everyMs) - first) : w.spans;
  if (count === 0) return 0;
  await store.command(
    `INSERT INTO ${store.database}.${table} (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes, Duration, StatusCode)
     WITH
       number + {first:UInt64} AS n,
       n % {queries:UInt64} AS q,
       fromUnixTimestamp64Milli({fromMs:Int64} + if({everyMs:Int64} > 0, toInt64(n) * {everyMs:Int64}, intDiv(toInt64(n) * {spanMs:Int64}, {count:UInt64}))) AS t,
       t >= fromUnixTimestamp64Milli({reindexMs:Int64}) AND q % 2 = 0 AS reindexed
     SELECT t, lower(hex(cityHash64(n, 'trace'))), lower(hex(cityHash64(n, 'span'))), '', 'kb.search', 'Internal', 'rag-agent',
       mapFromArrays(
         arrayConcat(['openinference.span.kind', 'input.value'], arrayMap(i -> concat('retrieval.documents.', toString(i), '.document.id'), range(10))),
         arrayConcat(['RETRIEVER', concat('question ', toString(q))], arrayMap(i -> concat(if(reindexed, 'v2-', 'v1-'), toString((q * 7 + i) % 100000)), range(10)))),
       40000000, 'Ok'
     FROM numbers({count:UInt64})`,
    {
      fromMs: w.from.getTime(),
      spanMs: span,
      everyMs: stream ? w.everyMs : 0,
      first,
      count,
      queries: w.queries,
      reindexMs: w.reindexFrom ? w.reindexFrom.getTime() : 8_640_000_000_000_000,
    },
  );
  return count;
}
