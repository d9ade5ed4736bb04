/**
 * A backtest's span counts, read once. Every replayed cycle checks freshness and baseline coverage
 * from the spans per bucket in the rollups' manifest, over a baseline and current window that
 * slide one step at a time over the same buckets. A bucket's count does not depend on the range
 * asked, so one read of the whole replayed range answers every cycle (the buckets were built
 * before the first cycle, and a backtest does not refresh them while it replays).
 */
import type { RollupEngine } from '../rollups/engine.ts';

/** The engine, its span counts inside [fromMs, toMs) answered from one manifest read per source. */
export function spanCountsOnce(engine: RollupEngine, fromMs: number, toMs: number): RollupEngine {
  const whole = new Map<string, Promise<Map<number, number>>>();
  const once = Object.create(engine) as RollupEngine;
  once.spanCounts = async (source, from, to) => {
    if (from < fromMs || to > toMs) return engine.spanCounts(source, from, to);
    let all = whole.get(source.id);
    if (!all) {
      all = engine.spanCounts(source, fromMs, toMs);
      // A failed read is tried again by the next cycle, not remembered.
      all.catch(() => whole.delete(source.id));
      whole.set(source.id, all);
    }
    return new Map([...(await all)].filter(([bucket]) => bucket >= from && bucket < to));
  };
  return once;
}
