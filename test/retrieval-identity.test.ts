// Retrieval drift when every chunk shares one `source` (a LangChain loader's file path or
// collection name). The spans are the real LangChain.js + OpenInference recording, with each
// document's metadata rewritten to what such a loader writes: {source: 'kb', doc_id: …}. A re-index
// of half the queries must drift and name the identity it compared by; the same traffic without a
// re-index must not; with only `source` in the metadata the chunks are told apart by content.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../src/clickhouse/store.ts';
import { retrievalSignal } from '../src/signals/retrieval/index.ts';
import type { Signal } from '../src/signals/types.ts';
import type { SignalResult } from '../src/core/verdict.ts';
import { cycleOn, freshStore, testConfig, traceTable } from './helpers/spans.ts';
import { conversations, copyTrace, readRecording, type Row } from './helpers/instrumented-week.ts';

const HOUR = 3_600_000;
const END = new Date('2026-11-20T12:00:00Z');
const DRIFT_FROM = new Date(END.getTime() - 50 * 60_000);
const SIGNALS = [retrievalSignal as Signal<never>];

type Metadata = (id: string) => Record<string, unknown>;
const SHARED_SOURCE_WITH_CHUNK_KEY: Metadata = (id) => ({ source: 'kb', doc_id: id });
const SHARED_SOURCE_ONLY: Metadata = () => ({ source: 'kb' });

/** A recorded row with every document's metadata (span attributes and output JSON) replaced. */
function withMetadata(row: Row, metadata: Metadata): Row {
  const attrs = { ...(row.SpanAttributes as Record<string, string>) };
  for (const [key, value] of Object.entries(attrs)) {
    if (/^retrieval\.documents\.\d+\.document\.metadata$/.test(key)) attrs[key] = JSON.stringify(metadata(JSON.parse(value).id));
  }
  const output = attrs['output.value'];
  if (output?.startsWith('{"documents"')) {
    const parsed = JSON.parse(output) as { documents: { pageContent: string; metadata: { id: string } }[] };
    attrs['output.value'] = JSON.stringify({ documents: parsed.documents.map((d) => ({ ...d, metadata: metadata(d.metadata.id) })) });
  }
  return { ...row, SpanAttributes: attrs };
}

/**
 * Three days of the recorded conversations in turn; from `reindexFrom` on, the even-numbered
 * questions get the re-chunked knowledge base of the drifted recording, the others stay.
 */
function traffic(metadata: Metadata, reindexFrom: Date | null): Row[] {
  const normal = conversations(readRecording('langchain-openinference', 'normal'));
  const reindexed = conversations(readRecording('langchain-openinference', 'drifted'));
  const rows: Row[] = [];
  let k = 0;
  for (let t = END.getTime() - 3 * 24 * HOUR; t < END.getTime(); t += 20_000, k++) {
    const j = k % normal.length;
    const pool = reindexFrom && t >= reindexFrom.getTime() && j % 2 === 0 ? reindexed : normal;
    rows.push(...copyTrace(pool[j]!, t, `identity:${k}`).map((r) => withMetadata(r, metadata)));
  }
  return rows;
}

let store: Store;
before(async () => {
  ({ store } = await freshStore('identity_placeholder'));
  await traceTable(store, 'chunk_keys_reindexed', traffic(SHARED_SOURCE_WITH_CHUNK_KEY, DRIFT_FROM));
  await traceTable(store, 'chunk_keys_stationary', traffic(SHARED_SOURCE_WITH_CHUNK_KEY, null));
  await traceTable(store, 'source_only_reindexed', traffic(SHARED_SOURCE_ONLY, DRIFT_FROM));
});
after(async () => store?.close());

const config = (table: string, documentIdKeys?: string[]) =>
  testConfig({
    traces: { schema: 'otel', table, ...(documentIdKeys ? { conventions: { documentIdKeys } } : {}) },
    windows: { baseline: '2d', current: '1h' },
    signals: { retrieval: { minQueries: 5 } },
  });

async function verdicts(table: string, at: Date, documentIdKeys?: string[]): Promise<SignalResult[]> {
  const outcome = await cycleOn(store, config(table, documentIdKeys), table, SIGNALS, at);
  assert.deepEqual(outcome.report.errors, []);
  return outcome.report.signals.filter((s) => s.driftMode === 'retrieval-corpus');
}
const rbo = (vs: SignalResult[]) => {
  const v = vs.find((s) => s.signal === 'retrieval_rbo');
  assert.ok(v, JSON.stringify(vs.map((s) => s.signal)));
  return v;
};
const AFTER = new Date(END.getTime() + 3 * 60_000);

describe('retrieval identity when chunks share a source', () => {
  it('a re-index of half the queries drifts, compared by the chunk key, and the evidence says so', async () => {
    const v = rbo(await verdicts('chunk_keys_reindexed', AFTER));
    assert.equal(v.status, 'drift', v.message);
    assert.equal(v.evidence.documentIdSource, 'metadata:doc_id');
    assert.match(String(v.evidence.documentIdentity), /metadata key doc_id/);
    assert.ok((v.value as number) < 0.9, `mean RBO ${v.value}`);
  });

  it('the same traffic without a re-index stays quiet, with many distinct documents', async () => {
    const vs = await verdicts('chunk_keys_stationary', AFTER);
    assert.deepEqual(
      vs.filter((s) => s.status === 'drift').map((s) => s.message),
      [],
    );
    assert.equal(rbo(vs).evidence.documentIdSource, 'metadata:doc_id');
    const docs = vs.find((s) => s.signal === 'retrieval_distinct_documents');
    assert.ok(docs && (docs.value as number) > 1, `a shared source would count one document: ${docs?.value}`);
  });

  it('under the old default [id, source] the shared source is not taken as identity', async () => {
    const v = rbo(await verdicts('chunk_keys_reindexed', AFTER, ['id', 'source']));
    assert.equal(v.evidence.documentIdSource, 'content:shared-keys');
    assert.match(String(v.evidence.documentIdentity), /no key of their metadata tells the chunks apart/);
    assert.equal(v.status, 'drift', 'the re-chunked contents still move');
  });

  it('with only a shared source, the chunks are compared by content', async () => {
    const v = rbo(await verdicts('source_only_reindexed', AFTER));
    assert.equal(v.evidence.documentIdSource, 'content:shared-keys');
    assert.equal(v.status, 'drift', v.message);
  });

  it('the quiet days before the re-index stay quiet', async () => {
    const vs = await verdicts('chunk_keys_reindexed', new Date(DRIFT_FROM.getTime() - HOUR + 3 * 60_000));
    assert.deepEqual(
      vs.filter((s) => s.status === 'drift').map((s) => s.message),
      [],
    );
  });
});
