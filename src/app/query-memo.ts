/**
 * Query results kept for one replayed instant of a backtest sweep: every variant's cycle at that
 * instant asks the same questions of the trace and rollup stores (the same SQL with the same
 * parameters) unless its config changes them, so each distinct question is asked once. A key that
 * changes a query (a window, a family definition) simply misses; nothing is shared by assumption.
 */
import type { QueryParams, Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Config } from '../config/shape.ts';
import type { RollupEngine, RollupReader } from '../rollups/engine.ts';

export class QueryMemo {
  private readonly results = new Map<string, Promise<unknown>>();

  /** The same store, answering a repeated SELECT from memory; statements and inserts pass through. */
  store(store: Store): Store {
    return {
      ...store,
      query: <T>(sql: string, params?: QueryParams, options?: Parameters<Store['query']>[2]) =>
        this.kept(`q\u0000${store.target}\u0000${sql}\u0000${stableJson(params)}`, () => store.query<T>(sql, params, options)),
    };
  }

  /** The engine, its readers' stores and span counts memoized (a backtest never refreshes through it). */
  rollups(engine: RollupEngine): RollupEngine {
    const memo = Object.create(engine) as RollupEngine;
    memo.reader = (source: TraceSource, config: Config): RollupReader => {
      const reader = engine.reader(source, config);
      return { ...reader, store: this.store(reader.store) };
    };
    memo.spanCounts = (source, fromMs, toMs) => this.kept(`s\u0000${source.id}\u0000${fromMs}\u0000${toMs}`, () => engine.spanCounts(source, fromMs, toMs));
    return memo;
  }

  /** Forgets everything: the next replayed instant asks other questions. */
  clear(): void {
    this.results.clear();
  }

  private kept<T>(key: string, ask: () => Promise<T>): Promise<T> {
    let result = this.results.get(key) as Promise<T> | undefined;
    if (!result) {
      result = ask();
      // A failed question is asked again by the next variant rather than failing it from memory.
      result.catch(() => this.results.delete(key));
      this.results.set(key, result);
    }
    // Each variant gets its own copy: a signal that sorts or annotates its rows cannot reach another's.
    return result.then((rows) => structuredClone(rows));
  }
}

/** JSON with object keys sorted, so the same parameters always make the same key. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
