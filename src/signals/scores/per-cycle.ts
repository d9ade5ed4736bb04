/**
 * What a falling rubric's patterns and explanation ask of the stores more than once a cycle (its
 * scored targets, what the window's roots carry) is read once: keyed by the cycle's context, so
 * nothing outlives the cycle. A failed read is not remembered: the next asker reads again and
 * reports its own error.
 */
import type { CollectContext } from '../../rollups/context.ts';

const reads = new WeakMap<CollectContext, Map<string, Promise<unknown>>>();

export function oncePerCycle<T>(ctx: CollectContext, key: string, read: () => Promise<T>): Promise<T> {
  const mine = reads.get(ctx) ?? new Map<string, Promise<unknown>>();
  reads.set(ctx, mine);
  const known = mine.get(key) as Promise<T> | undefined;
  if (known) return known;
  const fresh = read();
  mine.set(key, fresh);
  fresh.catch(() => mine.delete(key));
  return fresh;
}
