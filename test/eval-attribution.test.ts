// A grounding rubric falls after a re-index, while a tool breaks elsewhere in the same cycle: the
// rubric's drop is named retrieval-corpus, from the retrieval drift seen on the traces it scored
// low, not tool-api. Rollups and raw scans name it alike.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Store } from '../src/clickhouse/store.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { generateRetrievalTraces } from '../src/demo/generate-retrieval.ts';
import { freshStore, testConfig, testRollups } from './helpers/spans.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
let store: Store;

before(async () => {
  ({ store } = await freshStore('unused'));
  const from = new Date(NOW.getTime() - 8 * 24 * HOUR);
  // The refund vendor breaks in the last 50 minutes (its traces carry no grounding score).
  await generateDemoTraces(store, 'mixed', { from, to: NOW, driftFrom: new Date(NOW.getTime() - 50 * 60_000), seed: 5 });
  await generateRetrievalTraces(store, 'mixed', { from, to: NOW, spans: 60_000, queries: 2_000, reindexFrom: new Date(NOW.getTime() - 70 * 60_000) });
  // The judge scores each retrieval answer's grounding: about 0.88 on the chunks it was built on,
  // about 0.55 on the re-indexed ones, as an OpenInference evaluation on a child LLM span.
  await store.command(
    `INSERT INTO default.mixed (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes, Duration, StatusCode)
     SELECT Timestamp + toIntervalMillisecond(50), TraceId, concat(SpanId, '-llm'), SpanId, 'chat', 'Internal', 'rag-agent',
            map('openinference.span.kind', 'LLM', 'evaluations.0.evaluation.name', 'groundedness', 'evaluations.0.evaluation.annotator_kind', 'LLM',
                'evaluations.0.evaluation.score', toString(round(least(1, greatest(0, if(startsWith(SpanAttributes['retrieval.documents.0.document.id'], 'v2-'), 0.55, 0.88)
                  + 0.2 * (cityHash64(TraceId, 'g') % 1000 / 1000 - 0.5))), 3))),
            1000000000, 'Ok'
     FROM default.mixed WHERE SpanName = 'kb.search'`,
  );
});
after(async () => store.close());

describe('the drift mode of a falling rubric, read from its own traces', () => {
  it('a grounding drop after a re-index is retrieval-corpus drift, though a tool broke in the same cycle; rollups and raw scans agree', async () => {
    const config = testConfig({ rubrics: [{ name: 'groundedness', driftMode: 'user-distribution' }] });
    const seen: string[] = [];
    for (const rollups of [await testRollups(store), null]) {
      const outcome = await runCycle(
        { config, store, sources: [{ source: otelSource('default', 'mixed'), scope: {} }], signals: SIGNALS, log: pino({ level: 'silent' }), rollups, now: () => NOW },
        NOW,
      );
      const drifting = outcome.report.signals.filter((s) => s.status === 'drift');
      assert.ok(
        drifting.some((s) => s.layer === 'tool'),
        'the refund tool broke in the same cycle',
      );
      assert.ok(
        drifting.some((s) => s.layer === 'retrieval'),
        'retrieval moved',
      );
      const score = outcome.report.signals.find((s) => s.signal === 'eval_score' && s.subject['rubric'] === 'groundedness');
      assert.equal(score?.status, 'drift', score?.message);
      // Configured as user-distribution: the evidence on its own traces outranks the configuration.
      assert.equal(score!.driftMode, 'retrieval-corpus', score!.message);
      assert.match(score!.message, /reads as retrieval-corpus, from the same cycle’s retrieval_\w+ drift \(kb\.search\) on \d+ of the \d+ traces it scored low/);
      const facts = score!.evidence['lowTraceFacts'] as { traces: number; retrievers: Record<string, number>; failingTools: Record<string, number> };
      assert.ok(facts.traces > 0 && (facts.retrievers['kb.search'] ?? 0) === facts.traces, JSON.stringify(facts));
      assert.deepEqual(facts.failingTools, {}, 'no tool failed in the traces it scored low');
      seen.push(score!.driftMode);
    }
    assert.deepEqual(seen, ['retrieval-corpus', 'retrieval-corpus']);
  });
});
