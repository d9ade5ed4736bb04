/**
 * What happened in the traces a falling rubric scored low, in the current window: the tools that
 * failed in them, the retrievers, prompts and agents they used, the services they came to. A drift
 * elsewhere in the same cycle explains the rubric only when it is about these traces (the refund
 * tool broke in the answers that scored low), not merely at the same time.
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import { lowScoringTraces } from './low-scoring.ts';

/** For each kind of fact, the values seen on a set of traces and in how many of them. */
export interface TraceFacts {
  /** Traces of the set whose root was found. */
  traces: number;
  failingTools: Record<string, number>;
  retrievers: Record<string, number>;
  prompts: Record<string, number>;
  agents: Record<string, number>;
  services: Record<string, number>;
}

/** The facts of the low-scoring traces, and of every trace the rubric scored, to compare with. */
export interface LowTraceFacts extends TraceFacts {
  scored: TraceFacts;
}

/** Of each kind, at most this many values (the most frequent) are kept. */
const VALUES_KEPT = 10;

/**
 * Per fact and value, on how many of `all` (every trace the rubric scored in the window) and of
 * `low` (those it scored low) it was seen; one pass over each relation.
 */
const FACTS = (ctx: CollectContext, all: string, low: string) => `
    SELECT fact, value, uniqExactIf(trace_id, trace_id IN ${low}) AS low, uniqExact(trace_id) AS seen
    FROM (
      SELECT 'failingTools' AS fact, tool AS value, trace_id FROM (${ctx.source.toolCalls()}) WHERE is_error = 1 AND trace_id IN ${all}
      UNION ALL
      SELECT 'retrievers', retriever, trace_id FROM (${ctx.source.retrievals({ lowercase: true, foldWhitespace: true })}) WHERE trace_id IN ${all}
      UNION ALL
      SELECT 'prompts', prompt, trace_id FROM (${ctx.source.promptUses()}) WHERE trace_id IN ${all}
      UNION ALL
      SELECT 'agents', agent, trace_id FROM (${ctx.source.traceRoots()}) WHERE trace_id IN ${all} AND agent != ''
      UNION ALL
      SELECT 'services', service, trace_id FROM (${ctx.source.traceRoots()}) WHERE trace_id IN ${all}
      UNION ALL
      SELECT 'traces', '', trace_id FROM (${ctx.source.traceRoots()}) WHERE trace_id IN ${all})
    GROUP BY fact, value`;

/** The facts of a drifting eval verdict's low-scoring traces, and of all it scored; null when it names none. */
export async function lowTraceFacts(verdict: SignalResult, ctx: CollectContext): Promise<LowTraceFacts | null> {
  const low = await lowScoringTraces(verdict, ctx, false, false, 'lowTraces');
  const all = await lowScoringTraces(verdict, ctx, false, true, 'scoredTraces');
  if (!low || !all) return null;
  const { windows, source } = ctx;
  const rows = await ctx.store.query<{ fact: string; value: string; low: number | string; seen: number | string }>(
    FACTS(ctx, all.set, low.set),
    // Spans up to a trace's longest duration before the window: a judged answer's trace began earlier.
    { ...all.params, ...low.params, fromMs: windows.current.from.getTime() - source.conventions.maxTraceDuration, currentFromMs: windows.current.from.getTime(), toMs: windows.current.to.getTime() },
    { comment: 'driftwatch explain scores' },
  );
  const pick = (count: 'low' | 'seen'): TraceFacts => {
    const facts: TraceFacts = { traces: 0, failingTools: {}, retrievers: {}, prompts: {}, agents: {}, services: {} };
    for (const kind of ['failingTools', 'retrievers', 'prompts', 'agents', 'services'] as const) {
      const top = rows
        .filter((r) => r.fact === kind && Number(r[count]) > 0)
        .sort((a, b) => Number(b[count]) - Number(a[count]) || a.value.localeCompare(b.value))
        .slice(0, VALUES_KEPT);
      facts[kind] = Object.fromEntries(top.map((r) => [r.value, Number(r[count])]));
    }
    facts.traces = Number(rows.find((r) => r.fact === 'traces')?.[count] ?? 0);
    return facts;
  };
  return { ...pick('low'), scored: pick('seen') };
}

/** Fewer low-scoring traces with a fact than this, and it explains nothing. */
export const MIN_TRACES_WITH_FACT = 3;
/** A fact on at least this share of the low-scoring traces is about them… */
export const MOST_OF_LOW = 0.5;
/** …and so is one this many times as common among them as among the traces it scored well. */
export const OVER_REPRESENTED = 1.5;

/**
 * Whether another layer's drifting verdict is about these low-scoring traces: its tool failed in
 * them, its retriever served them, their prompt moved, …, on most of them or far more often than on
 * the traces the rubric scored well (all it scored, less the low ones). A tool that fails
 * everywhere at its usual rate is no reason; one that failed only where the rubric fell is, though
 * its traces are a small share of the low-scoring ones (scores below the mean are half of any day).
 */
export function touches(other: SignalResult, facts: LowTraceFacts, rubric: string): boolean {
  const seen = (kind: 'failingTools' | 'retrievers' | 'prompts' | 'agents' | 'services', value: string | undefined) => {
    if (value === undefined || facts.traces === 0) return false;
    const low = facts[kind][value] ?? 0;
    if (low < MIN_TRACES_WITH_FACT) return false;
    const share = low / facts.traces;
    const all = facts.scored[kind][value];
    // Beyond the most frequent values kept for all it scored: nothing to compare with.
    if (all === undefined) return share >= MOST_OF_LOW;
    const wellTraces = facts.scored.traces - facts.traces;
    const well = Math.max(0, all - low);
    return share >= MOST_OF_LOW || wellTraces <= 0 || share >= OVER_REPRESENTED * (well / wellTraces);
  };
  switch (other.layer) {
    case 'tool':
      return seen('failingTools', other.subject['tool']);
    case 'retrieval':
      return seen('retrievers', other.subject['retriever']);
    case 'prompt':
      return other.subject['rubric'] === rubric || seen('prompts', other.subject['prompt']);
    case 'agent':
      return seen('agents', other.subject['agent']);
    case 'input':
      return seen('services', other.subject['service']);
    default:
      return false;
  }
}
