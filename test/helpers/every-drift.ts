/**
 * One otel_traces table in which every drift mode is under way as of `now`: the demo's refund
 * vendor change (tool-api), a re-index (retrieval-corpus), a judge swap after a prompt bump
 * (prompt), Arena-Hard 2025 prompts replacing 2024's (user-distribution), grok-3-mini replacing
 * grok-4 (agent-step-compounding) and Banking77 traffic shifting to intents the eval set lacks
 * (dataset); the judge's scores of the demo's answers fall below their CI run (eval_score,
 * eval_gap). Used where the whole metric surface must be populated (Prometheus in the loop).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/clickhouse/store.ts';
import { computeWindows } from '../../src/core/windows.ts';
import { generateDemoTraces } from '../../src/demo/generate.ts';
import { demoCiResults } from '../../src/demo/command.ts';
import { generateRetrievalTraces } from '../../src/demo/generate-retrieval.ts';
import { judgeWindows } from '../../src/signals/judge/windows.ts';
import { insertRows, rng, testConfig } from './spans.ts';
import { judgedSpanRow, readLlmBar, spread } from './judge-fixtures.ts';
import { readTau2, replay } from './agent-fixtures.ts';
import { readArenaHard, readBanking77, rootRow } from './input-fixtures.ts';

const HOUR = 3_600_000;

/** Seeds `table` and writes the eval set; returns the config fragment the signals need. */
export async function seedEveryDrift(store: Store, table: string, dir: string, now: Date) {
  const defaults = testConfig();
  const w = computeWindows(now, defaults.windows);
  const jw = judgeWindows(w, defaults.signals.judge);
  // The judge scores the demo's answers for 'resolution' (eval_score and eval_gap against its CI run).
  await generateDemoTraces(store, table, { from: new Date(now.getTime() - 8 * 24 * HOUR), to: now, driftFrom: new Date(now.getTime() - 50 * 60_000), scores: { rubric: 'resolution' } });
  await generateRetrievalTraces(store, table, { from: new Date(now.getTime() - 7 * 24 * HOUR - HOUR), to: now, spans: 60_000, queries: 2_000, reindexFrom: new Date(now.getTime() - 70 * 60_000) });

  const rows: Record<string, unknown>[] = [];
  // Judge: GPT-4 verdicts before, ChatGPT verdicts now on LLMBar's adversarial set, prompt v3 → v17.
  const bump = new Date(jw.current.from.getTime() - 24 * HOUR);
  const judged = (file: string, from: Date, to: Date, tag: string) => {
    const items = readLlmBar(file);
    return spread(from, to, items.length).map((at, i) =>
      judgedSpanRow({
        at,
        traceId: `${tag}-${i}`,
        spanId: `${tag}-${i}-s`,
        prompt: 'support-agent',
        promptVersion: at >= bump ? 'v17' : 'v3',
        verdicts: [
          { rubric: 'preference', annotator: 'HUMAN', identifier: 'gold', label: items[i]!.human },
          { rubric: 'preference', annotator: 'LLM', identifier: 'judge', label: items[i]!.judge },
        ],
      }),
    );
  };
  rows.push(...judged('adversarial-neighbor.GPT-4.vanilla.result.json', jw.baseline.from, jw.baseline.to, 'jb'));
  rows.push(...judged('adversarial-neighbor.ChatGPT.vanilla.result.json', jw.current.from, jw.current.to, 'jc'));
  rows.push(...spread(w.current.from, w.current.to, 100).map((at, i) => judgedSpanRow({ at, traceId: `llm-${i}`, spanId: `llm-${i}-s`, prompt: 'support-agent', promptVersion: 'v17', verdicts: [] })));
  // Agent: grok-4 trajectories before, grok-3-mini now.
  rows.push(...replay(readTau2('airline_grok-4_20251013T114345.json'), w.baseline.from, w.baseline.to, 8, 'ab'));
  rows.push(...replay(readTau2('airline_grok-3-mini_20251013T113336.json'), w.current.from, w.current.to, 8, 'ac'));
  // Inputs: Arena-Hard 2024 before, 2025 now.
  const v1 = readArenaHard('v0.1');
  const v2 = readArenaHard('v2.0');
  rows.push(...spread(w.baseline.from, w.baseline.to, v1.length).map((at, i) => rootRow({ at, traceId: `ib-${i}`, input: v1[i]!, service: 'assistant' })));
  rows.push(...spread(w.current.from, w.current.to, v2.length).map((at, i) => rootRow({ at, traceId: `ic-${i}`, input: v2[i]!, service: 'assistant' })));
  // Dataset: Banking77 traffic moving to intents the eval set lacks.
  const banking = readBanking77('test');
  const intents = [...new Set(banking.map((q) => q.intent))].sort();
  const covered = new Set(intents.slice(0, 60));
  const random = rng(3);
  const pick = (share: number) => {
    const pool = random() < share ? banking.filter((q) => !covered.has(q.intent)) : banking.filter((q) => covered.has(q.intent));
    return pool[Math.floor(random() * pool.length)]!;
  };
  rows.push(
    ...spread(w.baseline.from, w.baseline.to, 2000)
      .map((at, i) => ({ ...pick(0.03), at, i }))
      .map((q) => rootRow({ at: q.at, traceId: `db-${q.i}`, input: q.text, intent: q.intent, service: 'bank' })),
  );
  rows.push(
    ...spread(w.current.from, w.current.to, 300)
      .map((at, i) => ({ ...pick(0.4), at, i }))
      .map((q) => rootRow({ at: q.at, traceId: `dc-${q.i}`, input: q.text, intent: q.intent, service: 'bank' })),
  );
  await insertRows(store, rows, table);

  const ciResults = join(dir, 'ci-results.jsonl');
  writeFileSync(ciResults, demoCiResults());
  const evalSet = join(dir, 'eval.jsonl');
  writeFileSync(
    evalSet,
    readBanking77('train')
      .filter((q) => covered.has(q.intent))
      .map((q) => JSON.stringify({ input: q.text, intent: q.intent }))
      .join('\n'),
  );
  return {
    evalSet,
    yaml: `rubrics:
  - {name: preference, promptVersion: v3, prompt: support-agent}
  - {name: resolution}
signals:
  scores:
    offline: [{path: ${ciResults}, name: ci}]
  dataset:
    evalSet: {path: ${evalSet}}
`,
  };
}
