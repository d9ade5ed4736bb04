// Traces as real instrumentation writes them. For each library recorded by scripts/record
// (LangChain.js and LangGraph.js with OpenInference, LangChain.js with OpenLLMetry, the Vercel AI
// SDK), the extraction rules are checked on the recorded rows, then three days of traffic are built
// from them: quiet before, and in the last 50 minutes a tool's vendor breaks, the knowledge base is
// re-chunked and the prompt moves to v4. What fires, and what the library does not record, makes
// the compatibility table in the README (UPDATE_COMPAT=1 rewrites it from this run).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Store } from '../src/clickhouse/store.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';
import type { SignalResult } from '../src/core/verdict.ts';
import { createLogger } from '../src/app/app.ts';
import { computeWindows, windowParams } from '../src/core/windows.ts';
import { freshStore, testConfig, traceTable } from './helpers/spans.ts';
import { buildTraffic, LIBRARIES, type Library } from './helpers/instrumented-week.ts';
import { CONVERSATIONS } from '../scripts/record/scenario.ts';

const HOUR = 3_600_000;
const END = new Date('2026-11-20T12:00:00Z');
const DRIFT_FROM = new Date(END.getTime() - 50 * 60_000);
const QUESTIONS = new Set(CONVERSATIONS.map((c) => c.question));
const TOOLS = new Set(['lookup_order', 'refund_payment', 'update_address', 'send_email']);
const log = createLogger('fatal');

let store: Store;
before(async () => {
  ({ store } = await freshStore('recorded'));
});
after(async () => store?.close());

const tableOf = (library: Library) => `traces_${library.replaceAll('-', '_')}`;
const config = (library: Library) =>
  testConfig({
    traces: { schema: 'otel', table: tableOf(library) },
    windows: { baseline: '2d', current: '1h' },
    rollups: { enabled: false },
    rubrics: [{ name: 'helpfulness', promptVersion: 'v3', prompt: 'support-agent' }],
  });
const cycle = (library: Library, at: Date) =>
  runCycle({ config: config(library), store, sources: [{ source: otelSource('default', tableOf(library)), scope: {} }], signals: SIGNALS, log, rollups: null }, at);

/** What one library gave, per signal, in words for the README. */
type Support = Record<'tool-api' | 'retrieval-corpus' | 'prompt' | 'user input' | 'agent', string>;
const support = new Map<Library, Support>();

/** The relation a source gives a signal, over the recorded rows of one library. */
async function relation<T>(library: Library, sql: (s: ReturnType<typeof otelSource>) => string): Promise<T[]> {
  const source = otelSource('default', tableOf(library));
  const windows = computeWindows(END, config(library).windows);
  return store.query<T>(sql(source), {
    ...source.params,
    ...windowParams(windows),
    fromMs: 0,
    toMs: END.getTime() + HOUR,
    lateMs: HOUR,
  });
}

for (const library of LIBRARIES) {
  describe(`${library}: spans as the library writes them`, () => {
    before(async () => {
      await traceTable(store, tableOf(library), buildTraffic(library, { from: new Date(END.getTime() - 3 * 24 * HOUR), to: END, everyMs: 20_000, driftFrom: DRIFT_FROM }));
    });

    it('tools: names, failures, and error classes without stack traces or ids', async () => {
      const calls = await relation<{ tool: string; is_error: number; error_class: string }>(library, (s) => s.toolCalls());
      assert.ok(calls.length > 0, 'no tool calls read');
      const errors = calls.filter((c) => c.is_error === 1);
      assert.ok(errors.length > 0);
      for (const e of errors) {
        assert.doesNotMatch(e.error_class, /\n|\s+at |\/[a-z_-]+\/.*\.[jt]s|A100\d|7f3a9c2e/, e.error_class);
        assert.match(e.error_class, /^(SchemaValidationError: field "amount_cents" is required \(order <id>, request <id>\)|RateLimitError: <n> Too Many Requests, retry after <n> s)$/);
      }
      const names = new Set(calls.map((c) => c.tool));
      const named = [...names].every((n) => TOOLS.has(n));
      record(library, 'tool-api', named ? 'yes' : `partial: tools are named by their class (${[...names].join(', ')}), not their name`);
    });

    it('retrieval: document identity from id keys, metadata, output JSON or content', async () => {
      const rows = await relation<{ doc_ids: string[]; id_source: string }>(library, (s) => s.retrievals({ lowercase: true, foldWhitespace: true }));
      if (rows.length === 0) {
        record(library, 'retrieval-corpus', 'not recorded: no retriever span');
        return;
      }
      const sources = new Set(rows.map((r) => r.id_source));
      assert.deepEqual([...sources], ['metadata:id'], 'OpenInference keeps ids only in document metadata; the recorded chunks carry id and a shared-per-file source');
      assert.ok(
        rows.every((r) => r.doc_ids.length === 3 && r.doc_ids.every((id) => /^kb2?-/.test(id))),
        JSON.stringify(rows[0]),
      );
    });

    it('prompt: versions from PROMPT spans or telemetry metadata', async () => {
      const uses = await relation<{ prompt: string; version: string }>(library, (s) => s.promptUses());
      const versions = new Set(uses.map((u) => `${u.prompt}@${u.version}`));
      if (uses.length === 0) return;
      assert.deepEqual([...versions].sort(), ['support-agent@v3', 'support-agent@v4']);
    });

    it('user input: the words the user typed, not the JSON around them', async () => {
      const roots = await relation<{ input: string }>(library, (s) => s.traceRoots());
      assert.ok(roots.length > 0);
      const typed = roots.filter((r) => QUESTIONS.has(r.input)).length / roots.length;
      for (const r of roots) assert.doesNotMatch(r.input, /^[[{]/, 'JSON is not user input');
      record(
        library,
        'user input',
        typed === 1 ? 'yes' : typed > 0 ? `partial: ${Math.round(typed * 100)}% of roots` : 'not recorded: the root span carries no user text (the question is on a child span)',
      );
    });

    it('the quiet days stay quiet; in the last hours each recorded drift fires and is named', async () => {
      const quiet = await cycle(library, new Date(DRIFT_FROM.getTime() - HOUR + 3 * 60_000));
      const falseAlarms = quiet.report.signals.filter((s) => s.status === 'drift');
      assert.deepEqual(
        falseAlarms.map((s) => s.message),
        [],
      );
      assert.deepEqual(quiet.report.errors, []);

      const drifted = await cycle(library, new Date(END.getTime() + 3 * 60_000));
      assert.deepEqual(drifted.report.errors, []);
      const verdicts = drifted.report.signals;
      const drifting = (mode: string) => verdicts.filter((s) => s.status === 'drift' && s.driftMode === mode);
      const found = (signal: string) => verdicts.some((s) => s.signal === signal && s.evidence.reason !== 'no_spans');
      // Never silence: every signal module says something.
      for (const module of ['tool-api', 'retrieval-corpus', 'prompt', 'agent-step-compounding', 'user-distribution'])
        assert.ok(
          verdicts.some((s) => s.driftMode === module),
          `${module} said nothing`,
        );

      const tool = drifting('tool-api');
      assert.ok(tool.length > 0, 'the vendor break did not fire');
      assert.ok(
        tool.some((s) => s.signal === 'tool_new_error_class'),
        'the new error class is not named',
      );
      if (support.get(library)?.['tool-api'] === 'yes')
        assert.ok(
          tool.every((s) => s.subject.tool === 'refund_payment'),
          JSON.stringify(tool.map((s) => s.subject)),
        );

      const retrieval = drifting('retrieval-corpus');
      if (found('retrieval_rbo')) {
        assert.ok(
          retrieval.some((s) => s.signal === 'retrieval_rbo'),
          listVerdicts(verdicts, 'retrieval_rbo'),
        );
        record(library, 'retrieval-corpus', `yes: documents told apart by ${String(retrieval[0]!.evidence.documentIdentity)}`);
      } else assert.equal(retrieval.length, 0);

      const prompt = drifting('prompt');
      if (found('prompt_version_share')) {
        assert.ok(
          prompt.some((s) => s.signal === 'prompt_rubric_mismatch'),
          listVerdicts(verdicts, 'prompt_rubric_mismatch'),
        );
        record(library, 'prompt', 'yes');
      } else record(library, 'prompt', 'not recorded: no prompt template or version on any span');

      record(library, 'agent', found('agent_end_to_end_success') ? 'yes' : 'not recorded');
    });
  });
}

function record(library: Library, signal: keyof Support, text: string): void {
  support.set(library, { ...(support.get(library) ?? ({} as Support)), [signal]: text });
}

function listVerdicts(verdicts: readonly SignalResult[], signal: string): string {
  return verdicts
    .filter((v) => v.signal === signal)
    .map((v) => `${v.status}: ${v.message}`)
    .join('\n');
}

const LABELS: Record<Library, string> = {
  'langchain-openinference': 'LangChain.js + OpenInference',
  'langgraph-openinference': 'LangGraph.js + OpenInference',
  'langchain-openllmetry': 'LangChain.js + OpenLLMetry',
  'vercel-ai': 'Vercel AI SDK telemetry',
};
const COLUMNS: (keyof Support)[] = ['tool-api', 'retrieval-corpus', 'prompt', 'user input', 'agent'];
const README = new URL('../README.md', import.meta.url);
const START = '<!-- compatibility:start (generated by test/instrumentation.test.ts; UPDATE_COMPAT=1 npm test rewrites it) -->';
const END_MARK = '<!-- compatibility:end -->';

/** The compatibility table, from what this run observed. */
function compatibilityTable(): string {
  const rows = LIBRARIES.map((l) => `| ${LABELS[l]} | ${COLUMNS.map((c) => support.get(l)?.[c] ?? '?').join(' | ')} |`);
  return [`| library | ${COLUMNS.join(' | ')} |`, `|---|${COLUMNS.map(() => '---').join('|')}|`, ...rows].join('\n');
}

describe('the README’s compatibility table', () => {
  it('is what these recordings showed', () => {
    const table = compatibilityTable();
    const readme = readFileSync(README, 'utf8');
    const a = readme.indexOf(START);
    const b = readme.indexOf(END_MARK);
    if (process.env.UPDATE_COMPAT) {
      assert.ok(a >= 0 && b > a, 'README has no compatibility markers');
      writeFileSync(README, `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
      return;
    }
    assert.ok(a >= 0 && b > a, 'README has no compatibility markers');
    assert.equal(readme.slice(a + START.length, b).trim(), table);
  });
});
