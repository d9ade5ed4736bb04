/**
 * What happened in the traces a falling rubric scored low, in the current window: the tools that
 * failed in them, the retrievers, prompts and agents they used, the services they came to. A drift
 * elsewhere in the same cycle explains the rubric only when it is about these traces (the refund
 * tool broke in the answers that scored low), not merely at the same time.
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import { lowScoringTraces } from './low-scoring.ts';

/**
 * For each kind of fact, the values seen on a set of traces and in how many of them; a kind no
 * other drift of the cycle asked about is not read, and empty.
 */
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

/** A kind of fact about traces; `touches` reads one per layer. */
export type FactKind = 'failingTools' | 'retrievers' | 'prompts' | 'agents' | 'services';

/** The fact each other layer's drift is checked against. */
const FACT_OF_LAYER: Partial<Record<SignalResult['layer'], FactKind>> = { tool: 'failingTools', retrieval: 'retrievers', prompt: 'prompts', agent: 'agents', input: 'services' };

/**
 * The kinds of fact the cycle's drifting verdicts of other layers can be checked against: no other
 * kind is read (each is a pass over a relation). Empty when no such layer drifts.
 */
export function factsAskedBy(cycle: readonly SignalResult[]): Set<FactKind> {
  return new Set(cycle.flatMap((r) => (r.status === 'drift' && FACT_OF_LAYER[r.layer] ? [FACT_OF_LAYER[r.layer]!] : [])));
}

/**
 * Per fact and value, on how many traces of each verdict's two sets it was seen: `low_k` of its
 * low-scoring traces, `seen_k` of all its rubric scored in the window. One pass over each relation
 * a kind asked for needs, for every drifting verdict of the cycle.
 */
const FACTS = (ctx: CollectContext, sets: number, kinds: ReadonlySet<FactKind>) => {
  const scored = 'trace_id IN {scored:Array(String)}';
  const branches = [
    kinds.has('failingTools') ? `SELECT 'failingTools' AS fact, tool AS value, trace_id FROM (${ctx.source.toolCalls()}) WHERE is_error = 1 AND ${scored}` : null,
    kinds.has('retrievers') ? `SELECT 'retrievers' AS fact, retriever AS value, trace_id FROM (${ctx.source.retrievals({ lowercase: true, foldWhitespace: true })}) WHERE ${scored}` : null,
    kinds.has('prompts') ? `SELECT 'prompts' AS fact, prompt AS value, trace_id FROM (${ctx.source.promptUses()}) WHERE ${scored}` : null,
    // The roots once for their facts and the count of traces: each copy of a relation costs the
    // engine its analysis, about as much as reading an hour of it.
    `SELECT root.1 AS fact, root.2 AS value, trace_id FROM (${ctx.source.traceRoots()})
      ARRAY JOIN [('agents', agent), ('services', service), ('traces', '')] AS root
      WHERE ${scored} AND root.1 IN {rootFacts:Array(String)} AND NOT (root.1 = 'agents' AND root.2 = '')`,
  ].filter((b): b is string => b !== null);
  return `
    SELECT fact, value, ${Array.from({ length: sets }, (_, k) => `uniqExactIf(trace_id, trace_id IN {low_${k}:Array(String)}) AS low_${k}, uniqExactIf(trace_id, trace_id IN {all_${k}:Array(String)}) AS seen_${k}`).join(', ')}
    FROM (${branches.join('\n      UNION ALL\n      ')})
    GROUP BY fact, value`;
};

/**
 * The facts of each drifting eval verdict's low-scoring traces, and of all its rubric scored, in
 * one query: the count of traces always, and the kinds asked for; verdicts that name no traces are
 * absent from the map.
 */
export async function lowTraceFacts(verdicts: readonly SignalResult[], ctx: CollectContext, kinds: ReadonlySet<FactKind>): Promise<Map<SignalResult, LowTraceFacts>> {
  const facts = new Map<SignalResult, LowTraceFacts>();
  const sets: { verdict: SignalResult; low: string[]; all: string[] }[] = [];
  for (const verdict of verdicts) {
    const low = await lowScoringTraces(verdict, ctx, 'current');
    const all = await lowScoringTraces(verdict, ctx, 'current', true);
    if (low && all) sets.push({ verdict, low, all });
  }
  if (sets.length === 0) return facts;
  const { windows, source } = ctx;
  const rows = await ctx.store.query<Record<string, string | number>>(
    FACTS(ctx, sets.length, kinds),
    {
      ...source.params,
      ...Object.fromEntries(
        sets.flatMap((x, k) => [
          [`low_${k}`, x.low],
          [`all_${k}`, x.all],
        ]),
      ),
      scored: [...new Set(sets.flatMap((x) => x.all))],
      rootFacts: ['traces', ...[...kinds].filter((k) => k === 'agents' || k === 'services')],
      // Spans up to a trace's longest duration before the window: a judged answer's trace began earlier.
      fromMs: windows.current.from.getTime() - source.conventions.maxTraceDuration,
      currentFromMs: windows.current.from.getTime(),
      toMs: windows.current.to.getTime(),
    },
    { comment: 'driftwatch explain scores' },
  );
  sets.forEach((x, k) => facts.set(x.verdict, { ...pick(rows, `low_${k}`), scored: pick(rows, `seen_${k}`) }));
  return facts;
}

/** One column's counts as facts: per kind the most frequent values, and the traces found. */
function pick(rows: readonly Record<string, string | number>[], count: string): TraceFacts {
  const facts: TraceFacts = { traces: 0, failingTools: {}, retrievers: {}, prompts: {}, agents: {}, services: {} };
  for (const kind of ['failingTools', 'retrievers', 'prompts', 'agents', 'services'] as const) {
    const top = rows
      .filter((r) => r['fact'] === kind && Number(r[count]) > 0)
      .sort((a, b) => Number(b[count]) - Number(a[count]) || String(a['value']).localeCompare(String(b['value'])))
      .slice(0, VALUES_KEPT);
    facts[kind] = Object.fromEntries(top.map((r) => [String(r['value']), Number(r[count])]));
  }
  facts.traces = Number(rows.find((r) => r['fact'] === 'traces')?.[count] ?? 0);
  return facts;
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
