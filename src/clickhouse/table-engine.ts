/**
 * What a trace table is made of, as `check-config --connect` reports it: its engine and, for a
 * `Distributed` table, the cluster, the local table on each shard and the sharding key. Every
 * query driftwatch runs is correct whatever the key (per-trace groups are merged on the node it
 * queries; the subquery over the table is a GLOBAL IN), but a key by trace id keeps each trace on
 * one shard, which the operator should know before choosing one.
 */
import type { Store } from './store.ts';

export interface TableEngine {
  engine: string;
  /** Distributed only. */
  cluster?: string;
  local?: string;
  /** Distributed only; absent when the table has none (then the cluster must have one shard). */
  shardingKey?: string;
}

/** Reads the engine of `database.table` from system.tables (null when the table is not there). */
export async function readTableEngine(store: Store, database: string, table: string): Promise<TableEngine | null> {
  const rows = await store.query<{ engine: string; engine_full: string }>('SELECT engine, engine_full FROM system.tables WHERE database = {database:String} AND name = {table:String}', {
    database,
    table,
  });
  const row = rows[0];
  return row ? parseTableEngine(row.engine, row.engine_full) : null;
}

/** Parses `engine_full`; only a Distributed table's arguments are read. */
export function parseTableEngine(engine: string, engineFull: string): TableEngine {
  if (engine !== 'Distributed') return { engine };
  const open = engineFull.indexOf('(');
  const args = open < 0 ? [] : splitArguments(engineFull.slice(open + 1, closingParen(engineFull, open)));
  const unquote = (s: string | undefined) => (s === undefined ? undefined : s.replace(/^'(.*)'$/s, '$1').replace(/\\'/g, "'"));
  const [cluster, database, table, shardingKey] = args;
  const db = unquote(database);
  return {
    engine,
    cluster: unquote(cluster),
    local: table === undefined ? undefined : `${db ? `${db}.` : ''}${unquote(table)}`,
    ...(shardingKey === undefined ? {} : { shardingKey }),
  };
}

/** Whether the sharding key depends on the trace id column alone, so each trace lives on one shard. */
export function shardedByTrace(key: string | undefined, traceColumn: string): boolean {
  if (!key) return false;
  const code = key.replace(/'(?:\\.|[^'\\])*'/g, "''");
  const columns: string[] = [];
  for (const m of code.matchAll(/`([^`]+)`|[A-Za-z_][A-Za-z0-9_]*/g)) {
    const after = code.slice(m.index + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // a function's name
    columns.push(m[1] ?? m[0]);
  }
  return columns.length > 0 && columns.every((c) => c === traceColumn);
}

/** Top-level comma-separated arguments, quotes and parentheses respected. */
function splitArguments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\') current += text[++i] ?? '';
      else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return text.length;
}
