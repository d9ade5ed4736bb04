/**
 * Rollup rows computed from raw spans on the fly, for `rollups.enabled: false`: a family's table is
 * its own build query over the grid's buckets. The series behind the seasonal check and the onset
 * are then the same with stored rollups or without (only slower), so a verdict does not depend on
 * whether rollups are kept.
 */
import type { Config } from '../config/shape.ts';
import type { QueryParams, Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { RollupReader } from './engine.ts';
import type { RollupFamily } from './family.ts';

const PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*):/g;

/**
 * A reader whose tables are `families` built from `source` over [grid.fromMs, grid.toMs). Each
 * build's parameters are renamed apart (`raw_<family>_<name>`), so they never meet the series
 * query's own (`fromMs` is the grid's there, the relation's range here).
 */
export function rawReader(store: Store, source: TraceSource, config: Config, families: readonly RollupFamily[], grid: { fromMs: number; toMs: number }): RollupReader {
  const params: QueryParams = {};
  const tables = new Map<string, string>();
  return {
    store,
    source,
    params,
    table(name: string): string {
      const known = tables.get(name);
      if (known) return known;
      const family = families.find((f) => f.name === name);
      if (!family) throw new Error(`no rollup family "${name}"`);
      const built = family.build(source, config, { fromMs: grid.fromMs, toMs: grid.toMs, bucketMs: config.rollups.bucket });
      const prefix = `raw_${name}_`;
      for (const [key, value] of Object.entries(built.params)) params[`${prefix}${key}`] = value;
      // The grid's bounds are whole buckets the caller chose, not text from anywhere else.
      const sql = `(SELECT * FROM (${built.sql.replace(PARAMETER, `{${prefix}$1:`)}) WHERE bucket >= ${Math.trunc(grid.fromMs)} AND bucket < ${Math.trunc(grid.toMs)})`;
      tables.set(name, sql);
      return sql;
    },
  };
}
