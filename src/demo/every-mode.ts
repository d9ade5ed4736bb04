/**
 * The demo's fleet: six agents in one `otel_traces` table, each meeting one drift mode at a known
 * time before the demo started, from real public data (src/demo/data/SOURCE.md):
 *
 * - airline-agent: the refund vendor's API changed (tool-api), and the judge's `resolution`
 *   scores of those answers fell below their CI run (eval_score, eval_gap);
 * - rag-agent: the knowledge base was re-indexed (retrieval-corpus);
 * - booking-agent: grok-4 swapped for grok-3-mini, real tau2-bench trajectories (agent-step-compounding);
 * - assistant: users now ask 2025's Arena-Hard prompts instead of 2024's (user-distribution);
 * - bank: Banking77 traffic moves to intents the eval set lacks (dataset);
 * - support-agent: the prompt moved from v3 to v17 and the judge stopped agreeing with humans
 *   (LLMBar verdicts, GPT-4's then ChatGPT's) while the rubric was written for v3 (prompt).
 *
 * Every agent is a stream (streams.ts), so the running demo continues each one minute by minute.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../clickhouse/store.ts';
import type { DriftMode } from '../core/verdict.ts';
import { generateDemoTraces } from './generate.ts';
import { generateRetrievalTraces } from './generate-retrieval.ts';
import { otelTracesDdl } from './otel-ddl.ts';
import { draws, pick, type SpanRow, spanRow, type StreamSpan, unit } from './streams.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One injected drift: what changed, when (before the demo's start), and where it shows. */
export interface DemoEpisode {
  mode: DriftMode;
  /** Minutes before the demo started. */
  minutesAgo: number;
  service: string;
  what: string;
  /** The verdicts that show it, with their subject. */
  look: string;
}

export const DEMO_EPISODES: readonly DemoEpisode[] = [
  {
    mode: 'tool-api',
    minutesAgo: 50,
    service: 'airline-agent',
    what: "the refund vendor's API changed: refund_payment fails with SchemaValidationError and is retried",
    look: 'tool_error_rate, tool_retry_rate, tool_latency, tool_new_error_class (refund_payment); eval_score, eval_gap (resolution)',
  },
  {
    mode: 'retrieval-corpus',
    minutesAgo: 70,
    service: 'rag-agent',
    what: 'the knowledge base was re-indexed: the same questions get other chunks',
    look: 'retrieval_rbo, retrieval_top1_change (kb.search)',
  },
  {
    mode: 'agent-step-compounding',
    minutesAgo: 90,
    service: 'booking-agent',
    what: 'the agent model moved from grok-4 to grok-3-mini: end-to-end success fell',
    look: 'agent_end_to_end_success (booking-agent)',
  },
  { mode: 'user-distribution', minutesAgo: 120, service: 'assistant', what: "users now ask 2025's Arena-Hard prompts: longer, in more languages", look: 'input_length, input_script_mix (assistant)' },
  { mode: 'dataset', minutesAgo: 120, service: 'bank', what: 'customers ask about intents the eval set never had', look: 'dataset_uncovered_share (eval.jsonl)' },
  {
    mode: 'prompt',
    minutesAgo: 8 * 24 * 60,
    service: 'support-agent',
    what: 'the prompt moved from v3 to v17; the judge stopped agreeing with humans',
    look: 'prompt_rubric_mismatch, judge_human_agreement (preference)',
  },
];

const onset = (start: Date, mode: DriftMode) => new Date(start.getTime() - DEMO_EPISODES.find((e) => e.mode === mode)!.minutesAgo * MINUTE);

/** One booking-agent trajectory every 40 s: enough for the agent signal's 50 traces an hour. */
export const BOOKING_EVERY_MS = 40_000;

/** The demo's traffic: a week (and the judge's five weeks of sparse labels) up to the start, continued after it. */
export interface FleetSpan {
  /** When the demo started: the episodes' times count back from it. */
  start: Date;
  /** Write up to here (exclusive). */
  to: Date;
  /** Only what happens from here on (the demo's minute-by-minute continuation). */
  after?: Date;
}

/** Where the week starts: 7 days and an hour before the start, so the first baseline is whole. */
export const weekFrom = (start: Date) => new Date(start.getTime() - 7 * DAY - HOUR);

type Data = {
  requests: string[];
  verdicts: { before: [string, string][]; after: [string, string][] };
  trajectories: { before: Trajectory[]; after: Trajectory[] };
  prompts: { before: string[]; after: string[] };
  banking: { covered: [string, string][]; uncovered: [string, string][]; evalSet: [string, string][] };
};
type Trajectory = { task: string; success: boolean; steps: [string | null, boolean][] };

let cached: Data | null = null;
function data(): Data {
  const read = (file: string) => JSON.parse(readFileSync(new URL(`data/${file}`, import.meta.url), 'utf8'));
  cached ??= {
    requests: read('airline-requests.json'),
    verdicts: read('judge-verdicts.json'),
    trajectories: read('trajectories.json'),
    prompts: read('user-prompts.json'),
    banking: read('banking.json'),
  };
  return cached;
}

/** Writes the fleet's traffic of `span` into `table` (created if missing); returns the traces written. */
export async function writeFleet(store: Store, table: string, span: FleetSpan): Promise<number> {
  await store.command(otelTracesDdl(store.database, table));
  const { start, to, after } = span;
  const from = weekFrom(start);
  const d = data();
  const airline = await generateDemoTraces(store, table, {
    from,
    to,
    after,
    driftFrom: onset(start, 'tool-api'),
    scores: { rubric: 'resolution' },
    inputs: { usual: d.requests, peak: d.requests, peakShare: 0, offPeakShare: 0 },
  });
  const retrieval = await generateRetrievalTraces(store, table, { from, to, after, everyMs: 10_000, queries: 2_000, reindexFrom: onset(start, 'retrieval-corpus') });
  const rows: SpanRow[] = [
    ...bookingAgent({ from, to, after, everyMs: BOOKING_EVERY_MS }, onset(start, 'agent-step-compounding'), d),
    ...assistant({ from, to, after, everyMs: 30_000 }, onset(start, 'user-distribution'), d),
    ...bank({ from, to, after, everyMs: 30_000 }, onset(start, 'dataset'), d),
    ...supportAgent({ from, to, after, everyMs: 30_000 }, onset(start, 'prompt')),
    // Human labels are sparse: one judged answer every 75 minutes over the judge's 35 days.
    ...judgedAnswers({ from: new Date(start.getTime() - 35 * DAY - HOUR), to, after, everyMs: 75 * MINUTE }, onset(start, 'prompt'), d),
  ];
  for (let i = 0; i < rows.length; i += 20_000) await store.insert(table, rows.slice(i, i + 20_000));
  const roots = rows.filter((r) => r.ParentSpanId === '').length;
  return airline + retrieval + roots;
}

/**
 * Only the booking agent's traffic (the tau2-bench trajectories, one every 40 s, grok-3-mini's from
 * `swap` on): the false-alarm bench times how soon agent-step compounding is seen.
 */
export async function writeBookingAgent(store: Store, table: string, s: StreamSpan, swap: Date): Promise<void> {
  await store.command(otelTracesDdl(store.database, table));
  const rows = bookingAgent(s, swap, data());
  for (let i = 0; i < rows.length; i += 20_000) await store.insert(table, rows.slice(i, i + 20_000));
}

/** tau2-bench airline trajectories, one every 40 s: grok-4's before the swap, grok-3-mini's after. */
function bookingAgent(s: StreamSpan, swap: Date, d: Data): SpanRow[] {
  return draws(s).flatMap(({ n, at }) => {
    const t = pick(at < swap ? d.trajectories.before : d.trajectories.after, n, 1);
    const traceId = `bk-${n}`;
    const root = `${traceId}-0`;
    const service = 'booking-agent';
    return [
      spanRow({
        at,
        traceId,
        spanId: root,
        name: 'agent.run',
        service,
        attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': service, 'input.value': pick(d.requests, n, 2), metadata: JSON.stringify({ task: t.task }) },
        durationMs: (t.steps.length + 1) * 1000,
        error: t.success ? undefined : 'the task was not completed',
      }),
      ...t.steps.map(([tool, failed], i) =>
        spanRow({
          at: new Date(at.getTime() + (i + 1) * 1000),
          traceId,
          spanId: `${traceId}-${i + 1}`,
          parent: root,
          name: tool ?? 'chat',
          service,
          attributes: tool ? { 'openinference.span.kind': 'TOOL', 'tool.name': tool } : { 'openinference.span.kind': 'LLM' },
          durationMs: 900,
          error: failed ? 'failed' : undefined,
        }),
      ),
    ];
  });
}

/** A trace of one span (a request's root, or a lone LLM call): draw n of the stream tagged `tag`. */
function oneSpanTrace(tag: string, { n, at }: { n: number; at: Date }, span: { name: string; service: string; attributes: Record<string, string>; durationMs: number }): SpanRow {
  return spanRow({ at, traceId: `${tag}-${n}`, spanId: `${tag}-${n}-0`, ...span });
}

/** A general assistant's users: Arena-Hard 2024 prompts before the shift, 2025's after. */
function assistant(s: StreamSpan, shift: Date, d: Data): SpanRow[] {
  return draws(s).map((draw) =>
    oneSpanTrace('as', draw, {
      name: 'agent.run',
      service: 'assistant',
      attributes: { 'openinference.span.kind': 'AGENT', 'input.value': pick(draw.at < shift ? d.prompts.before : d.prompts.after, draw.n, 3) },
      durationMs: 2000,
    }),
  );
}

/** A bank's support agent: 3% of questions in intents the eval set lacks, 40% after the shift. */
function bank(s: StreamSpan, shift: Date, d: Data): SpanRow[] {
  return draws(s).map((draw) => {
    const [text, intent] = pick(unit(draw.n, 4) < (draw.at < shift ? 0.03 : 0.4) ? d.banking.uncovered : d.banking.covered, draw.n, 5);
    return oneSpanTrace('bn', draw, {
      name: 'agent.run',
      service: 'bank',
      attributes: { 'openinference.span.kind': 'AGENT', 'input.value': text, metadata: JSON.stringify({ intent, locale: 'en' }) },
      durationMs: 2000,
    });
  });
}

const promptAttributes = (at: Date, bump: Date) => ({ 'gen_ai.prompt.template.name': 'support-agent', 'llm.prompt_template.version': at < bump ? 'v3' : 'v17' });

/** The support agent's LLM calls, one every 30 s, on the prompt version of the day. */
function supportAgent(s: StreamSpan, bump: Date): SpanRow[] {
  return draws(s).map((draw) =>
    oneSpanTrace('sp', draw, {
      name: 'chat',
      service: 'support-agent',
      attributes: { 'openinference.span.kind': 'LLM', ...promptAttributes(draw.at, bump) },
      durationMs: 1000,
    }),
  );
}

/** LLMBar items judged by the LLM judge beside a human gold label: GPT-4's verdicts before the prompt bump, ChatGPT's after. */
function judgedAnswers(s: StreamSpan, bump: Date, d: Data): SpanRow[] {
  return draws(s).map((draw) => {
    const pool = draw.at < bump ? d.verdicts.before : d.verdicts.after;
    const [human, judge] = pool[draw.n % pool.length]!;
    return oneSpanTrace('jd', draw, {
      name: 'chat',
      service: 'support-agent',
      attributes: {
        'openinference.span.kind': 'LLM',
        ...promptAttributes(draw.at, bump),
        'annotations.0.annotation.name': 'preference',
        'annotations.0.annotation.annotator_kind': 'HUMAN',
        'annotations.0.annotation.identifier': 'gold',
        'annotations.0.annotation.label': human,
        'evaluations.0.evaluation.name': 'preference',
        'evaluations.0.evaluation.annotator_kind': 'LLM',
        'evaluations.0.evaluation.identifier': 'judge',
        'evaluations.0.evaluation.label': judge,
      },
      durationMs: 1000,
    });
  });
}

/**
 * The demo's CI run of the rubric: 200 eval items the judge scored about 0.9 (production scores
 * about 0.86 before the vendor broke, within the 5-point margin; well below after).
 */
export function demoCiResults(): string {
  return Array.from({ length: 200 }, (_, i) => {
    const noise = (((Math.sin(i + 1) * 10_000) % 1) + 1) % 1;
    return JSON.stringify({ rubric: 'resolution', score: Math.round(Math.min(1, Math.max(0, 0.9 + 0.24 * (noise - 0.5))) * 1000) / 1000, item: `eval-${i}` });
  }).join('\n');
}

/** The fleet's config beyond the trace table: its rubrics, the CI run and the eval set (paths relative to the config file). */
export const DEMO_SIGNALS_YAML = `# The rubrics the judges grade with: 'resolution' (what a drop means is read from the same
# cycle's other verdicts) and 'preference', written for version v3 of the support-agent prompt.
rubrics:
  - name: resolution
  - name: preference
    prompt: support-agent
    promptVersion: v3
signals:
  scores:
    offline:
      - path: ci-results.jsonl
        name: ci (demo)
  dataset:
    evalSet:
      path: eval.jsonl
`;

/** Writes the files DEMO_SIGNALS_YAML names into `dir`: the CI run and the bank's eval set (Banking77 training questions of the intents it covers). */
export function writeDemoFiles(dir: string): void {
  writeFileSync(join(dir, 'ci-results.jsonl'), `${demoCiResults()}\n`);
  writeFileSync(
    join(dir, 'eval.jsonl'),
    `${data()
      .banking.evalSet.map(([input, intent]) => JSON.stringify({ input, intent }))
      .join('\n')}\n`,
  );
}
