/**
 * What the current window's roots carry, read once per cycle for every falling rubric: how many
 * name an intent (a gap is split by intent only when some do) and how many carry a user input
 * (patterns group low-scoring traces by input only when some do; GenAI instrumentations record
 * no message content by default). One pass over the roots in place of one per question and verdict.
 */
import type { CollectContext } from '../../rollups/context.ts';
import { oncePerCycle } from './per-cycle.ts';

export interface WindowRoots {
  intents: number;
  inputs: number;
}

/** The current window's roots (from a trace's longest duration before it: a judged answer's trace began earlier). */
export function windowRoots(ctx: CollectContext): Promise<WindowRoots> {
  const { store, source, windows } = ctx;
  return oncePerCycle(ctx, 'window roots', () =>
    store
      .query<{ intents: number | string; inputs: number | string }>(
        `SELECT countIf(intent != '') AS intents, countIf(input != '') AS inputs FROM (${source.traceRoots()})`,
        { ...source.params, fromMs: windows.current.from.getTime() - source.conventions.maxTraceDuration, toMs: windows.current.to.getTime() },
        { comment: 'driftwatch explain scores' },
      )
      // ClickHouse sends 64-bit counts as text.
      .then(([row]) => ({ intents: Number(row?.intents ?? 0), inputs: Number(row?.inputs ?? 0) })),
  );
}
