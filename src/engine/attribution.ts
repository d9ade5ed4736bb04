/**
 * The cycle's last stage before the report: signals that name their verdicts' drift mode from the
 * rest of the cycle (src/signals/types.ts `attribute`) see every other verdict, once every verdict
 * is decided. A verdict belongs to the signal that declares its facet.
 */
import type { SignalResult } from '../core/verdict.ts';
import type { Signal } from '../signals/types.ts';

export function attributeModes(signals: readonly Signal<never>[], results: readonly SignalResult[]): SignalResult[] {
  let out = [...results];
  for (const signal of signals) {
    if (!signal.attribute) continue;
    const facets = new Set(signal.facets.map((f) => f.name));
    const mine = out.filter((r) => facets.has(r.signal));
    if (mine.length === 0) continue;
    const attributed = signal.attribute(
      mine,
      out.filter((r) => !facets.has(r.signal)),
    );
    const replaced = new Map(mine.map((r, i) => [r, attributed[i]!] as const));
    out = out.map((r) => replaced.get(r) ?? r);
  }
  return out;
}
