/** Start-up checks: the server is new enough, and the trace tables exist with the columns driftwatch reads. */
import type { Logger } from 'pino';
import type { TraceSource } from './source.ts';
import { clickhouseCode, SourceError } from '../clickhouse/errors.ts';
import { matchesKind, type ColumnKind } from '../clickhouse/column-types.ts';

const UNKNOWN_TABLE = 60;
import type { Store } from '../clickhouse/store.ts';

/** The oldest ClickHouse whose SQL (Map columns, lambdas, parametric aggregates, LIMIT BY) driftwatch relies on. */
export const MIN_VERSION = '24.3';

/** Compares dotted versions numerically; negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One line per missing column or column of the wrong kind (pure). */
export function columnProblems(needed: Readonly<Record<string, ColumnKind>>, columns: readonly { name: string; type: string }[]): string[] {
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(needed)) {
    const type = types.get(name);
    if (type === undefined) problems.push(`${name}: missing (expected ${kind})`);
    else if (!matchesKind(kind, type)) problems.push(`${name}: is ${type}, expected ${kind}`);
  }
  return problems;
}

/**
 * A table's column problems, and those that stop driftwatch: on a server too old for Map columns
 * the types cannot match, so there only missing columns are fatal.
 */
export function tableProblems(needed: Readonly<Record<string, ColumnKind>>, columns: readonly { name: string; type: string }[], unsupported: boolean): { all: string[]; fatal: string[] } {
  const all = columnProblems(needed, columns);
  return { all, fatal: unsupported ? all.filter((p) => p.includes(': missing')) : all };
}

/** Throws a SourceError with one clear line when the store cannot serve driftwatch. */
export async function preflight(store: Store, source: TraceSource, options: { allowUnsupportedVersion: boolean }, log: Logger): Promise<{ version: string; optionalTables: string[] }> {
  const [row] = await store.query<{ version: string }>('SELECT version() AS version');
  const version = row?.version ?? '0';
  const unsupported = compareVersions(version, MIN_VERSION) < 0;
  if (unsupported) {
    const message = `ClickHouse at ${store.target} is version ${version}; driftwatch needs ${MIN_VERSION} or newer`;
    if (!options.allowUnsupportedVersion) throw new SourceError('version', `${message} (clickhouse.allowUnsupportedVersion: true runs it anyway, unsupported)`);
    log.warn({ version, minimum: MIN_VERSION }, `${message}; running anyway because clickhouse.allowUnsupportedVersion is set`);
  }
  for (const [table, needed] of source.requiredColumns) {
    // DESCRIBE works on every server driftwatch may meet, including ones without query parameters;
    // both identifiers were validated against the config's identifier pattern.
    let columns: { name: string; type: string }[];
    try {
      columns = await store.query<{ name: string; type: string }>(`DESCRIBE TABLE ${store.database}.${table}`);
    } catch (err) {
      if (err instanceof SourceError && clickhouseCode(err.cause) === UNKNOWN_TABLE) {
        throw new SourceError('schema', `table ${store.database}.${table} does not exist in ClickHouse at ${store.target} (traces.table names it)`);
      }
      throw err;
    }
    // A server too old for Map columns cannot have the right types; run anyway only when told to.
    const { all: problems, fatal } = tableProblems(needed, columns, unsupported);
    if (fatal.length > 0) {
      throw new SourceError('schema', `table ${store.database}.${table} does not have the columns traces.schema ${source.schema} reads:\n${fatal.map((p) => `  ${p}`).join('\n')}`);
    }
    if (problems.length > 0) log.warn({ table, problems }, `table ${store.database}.${table} has columns of other types than driftwatch reads; running anyway (unsupported server)`);
  }
  const found = await optionalTablesPresent(store, source);
  if (Object.keys(source.optionalTables ?? {}).length > 0) {
    const also = found.map((t) => `${t} (${source.optionalTables![t]})`).join(', ');
    log.info(
      { schema: source.schema, tables: [...source.requiredColumns.keys()], alsoFound: found },
      `${source.schema} tables found: ${[...source.requiredColumns.keys()].join(', ')}${found.length > 0 ? `; also ${also}` : ''}`,
    );
  }
  return { version, optionalTables: found };
}

/** Which of the source's optional tables the store's database has. */
export async function optionalTablesPresent(store: Store, source: TraceSource): Promise<string[]> {
  const optional = Object.keys(source.optionalTables ?? {});
  if (optional.length === 0) return [];
  // system.tables is read without parameters so that this works on every server.
  const tables = new Set((await store.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase()')).map((t) => t.name));
  return optional.filter((t) => tables.has(t));
}
