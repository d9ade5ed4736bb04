/**
 * One client API over two connections: the embedded engine (chDB, plugged into @clickhouse/client
 * through chdb/connection) and a ClickHouse server over HTTP. Every query goes through `query`,
 * which sets the settings driftwatch depends on, a timeout, and classifies failures once.
 */
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../config/shape.ts';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { classify, firstLineOf, SourceError } from './errors.ts';
import { rowsWithNumbers } from './int64.ts';
import { clientLogOption } from './client-log.ts';
import type { Logger } from 'pino';

/** Query parameters: every value reaches SQL through these, typed in the SQL text as {name:Type}. */
export type QueryParams = Record<string, string | number | boolean | string[] | number[]>;

/** What a query says about itself, so a shared cluster's operators can see who asked what. */
export interface QueryOptions {
  timeoutMs?: number;
  /** Sent as `log_comment` (lands in system.query_log): e.g. `driftwatch rollup tool_calls`. */
  comment?: string;
  /** Sent as the query id; a prefix, made unique per query. */
  queryIdPrefix?: string;
  /** 64-bit integers as strings (for rows that travel on to another store: hashes lose bits as JSON numbers). */
  quote64?: boolean;
}

/** The trace store driftwatch reads from. */
export interface Store {
  readonly kind: 'embedded' | 'server';
  /** Where it points, safe to print (no password). */
  readonly target: string;
  readonly database: string;
  /** Runs a SELECT and returns its rows. */
  query<T>(sql: string, params?: QueryParams, options?: QueryOptions): Promise<T[]>;
  /** Runs a statement with no result (DDL, INSERT … SELECT). */
  command(sql: string, params?: QueryParams, options?: QueryOptions): Promise<void>;
  /** Inserts rows as JSONEachRow. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** Null when the store answers a trivial query, else why not (unreachable, timed out, auth…). */
  check(): Promise<SourceError | null>;
  /**
   * The server's `readonly` setting for this user (0 for the embedded engine). At 1 no query may
   * carry a setting, so none is sent: no per-query timeout, memory limit or log comment (the
   * user's profile sets them), and 64-bit integers are read through the `JSON` format's types.
   */
  readonlyLevel(): Promise<number>;
  close(): Promise<void>;
}

// 64-bit integers as JSON numbers: every count driftwatch reads fits well inside 2^53.
const SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

/**
 * Opens the store the config names. The embedded engine's directory is created if missing. With
 * `log`, the client's own warnings and errors are written through it; without, they are dropped.
 */
export async function openStore(config: Config['clickhouse'], log?: Logger): Promise<Store> {
  const clientLog = log ? clientLogOption(log) : { level: ClickHouseLogLevel.OFF };
  const timeoutMs = config.queryTimeout;
  if (config.url) {
    const url = new URL(config.url);
    url.username = '';
    url.password = '';
    url.search = ''; // may carry ?password=
    const target = url.toString().replace(/\/$/, '');
    const client = createClient({
      url: config.url,
      username: config.username,
      password: config.password,
      database: config.database,
      request_timeout: timeoutMs + 5_000,
      log: clientLog,
    });
    return wrap(client, 'server', target, config.database, timeoutMs, [config.password], config.maxMemoryUsage);
  }
  const dir = config.embedded ?? '.driftwatch/chdb';
  createEmbeddedDir(dir);
  const holder = embeddedHolder(dir);
  // Refused before the engine tries: its own refusal is a raw line on stderr no one can catch.
  if (holder !== null)
    throw new SourceError(
      'unreachable',
      `the embedded engine at ${dir} is held by process ${holder} (a driftwatch daemon or demo, one process per engine directory): stop it, or read its last report with curl http://<its host:port>/report.json`,
    );
  const { createChdbConnection } = await loadEmbeddedEngine(dir);
  let connection: ReturnType<typeof createChdbConnection>;
  try {
    connection = createChdbConnection({ path: dir });
  } catch (err) {
    // The engine locks its directory: one process per directory (a running daemon or demo holds it).
    throw new SourceError('unreachable', `the embedded engine at ${dir} cannot be opened: ${firstLineOf(err)}. ${HELD_HINT}`, { cause: err });
  }
  const client = createClient({ connection, log: clientLog } as never);
  return wrap(client, 'embedded', `embedded engine at ${dir}`, config.database, timeoutMs, [], config.maxMemoryUsage);
}

const HELD_HINT = 'Another driftwatch process (a daemon or the demo) may hold it: stop that process, or read its last report with curl http://<its host:port>/report.json';

/**
 * The process that holds the embedded engine's directory: the engine keeps an exclusive flock on
 * its `status` file while it runs, and Linux lists held locks in /proc/locks (pid, device, inode).
 * Null when nothing holds it, or where /proc/locks cannot be read (then the engine's own check,
 * and its raw line on stderr, is what remains).
 */
export function embeddedHolder(dir: string, locks: () => string = () => readFileSync('/proc/locks', 'utf8')): number | null {
  try {
    const inode = statSync(join(dir, 'status')).ino;
    for (const line of locks().split('\n')) {
      const m = /^\d+:\s+FLOCK\s+\S+\s+WRITE\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
      if (m && Number(m[2]) === inode && Number(m[1]) !== process.pid) return Number(m[1]);
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * Creates the embedded engine's directory, but not a chain of them: a typo in
 * `clickhouse.embedded` must fail, not leave a stray tree behind. Only driftwatch's own
 * `.driftwatch` folder is created as a parent.
 */
function createEmbeddedDir(dir: string): void {
  const parent = dirname(resolve(dir));
  if (!existsSync(parent)) {
    if (basename(parent) !== '.driftwatch') {
      throw new SourceError('unreachable', `the embedded engine's directory ${resolve(dir)} cannot be created: its parent ${parent} does not exist (check clickhouse.embedded)`);
    }
    mkdirSync(parent, { recursive: true });
  }
  mkdirSync(dir, { recursive: true });
}

/**
 * The embedded engine's package, loaded on first use so a server-only deployment never maps it;
 * it is an optional dependency (`npm ci --omit=optional` and the server-only image leave it out).
 */
async function loadEmbeddedEngine(dir: string): Promise<typeof import('chdb/connection')> {
  try {
    return (await import('chdb/connection')) as typeof import('chdb/connection');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new SourceError(
      'unreachable',
      `the embedded engine (npm package chdb) is not installed here, but ${dir} asks for it: this is a server-only install. Set clickhouse.url to a ClickHouse server, and keep rollups there too (rollups.database) or turn them off (rollups.enabled: false); or install chdb`,
      { cause: err },
    );
  }
}

/** Opens an embedded engine at `dir` (the rollup store beside a trace server). */
export async function openEmbeddedStore(dir: string, database: string, queryTimeout: number): Promise<Store> {
  return openStore({ embedded: dir, database, queryTimeout, username: 'default', password: '', allowUnsupportedVersion: false });
}

let querySeq = 0;
const PING_TIMEOUT_MS = 10_000;

/** Our own deadline passed: the server accepted the request and did not answer in time. */
function timedOut(target: string, ms: number, cause: unknown): SourceError {
  return new SourceError('timeout', `ClickHouse at ${target} did not answer within ${ms / 1000} s`, { cause });
}

function wrap(client: ClickHouseClient, kind: Store['kind'], target: string, database: string, defaultTimeoutMs: number, secrets: string[], maxMemoryUsage?: number): Store {
  const perQuery = (options: QueryOptions) => ({
    ...(options.comment ? { log_comment: options.comment } : {}),
    ...(maxMemoryUsage ? { max_memory_usage: String(maxMemoryUsage) } : {}),
  });
  const queryId = (options: QueryOptions) => (options.queryIdPrefix ? { query_id: `${options.queryIdPrefix}-${process.pid}-${Date.now()}-${++querySeq}` } : {});
  // Asked once per store; a failed probe is asked again (the query that follows reports the failure).
  let readonly: Promise<number> | undefined;
  const readonlyLevel = (): Promise<number> => {
    if (kind !== 'server') return Promise.resolve(0);
    const ms = Math.min(PING_TIMEOUT_MS, defaultTimeoutMs);
    const signal = AbortSignal.timeout(ms);
    readonly ??= (async () => {
      const result = await client.query({ query: "SELECT value FROM system.settings WHERE name = 'readonly'", format: 'JSONEachRow', abort_signal: signal });
      const [row] = await result.json<{ value: string }>();
      return Number(row?.value ?? 0);
    })().catch((err: unknown) => {
      readonly = undefined;
      throw signal.aborted ? timedOut(target, ms, err) : classify(err, target, secrets);
    });
    return readonly;
  };
  return {
    kind,
    target,
    database,
    async query<T>(sql: string, params: QueryParams = {}, options: QueryOptions = {}) {
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      const noSettings = (await readonlyLevel()) === 1;
      // A server that accepts and never answers is cut off by the signal; the embedded engine
      // stops itself at max_execution_time (aborting it mid-query can take the process down).
      const signal = kind === 'server' ? AbortSignal.timeout(timeoutMs) : undefined;
      try {
        if (noSettings) {
          // Without settings the server quotes 64-bit integers; `JSON` names the types to undo it.
          const result = await client.query({ query: sql, query_params: params, format: 'JSON', ...(signal ? { abort_signal: signal } : {}), ...queryId(options) });
          const answer = await result.json<T>();
          return options.quote64 ? answer.data : rowsWithNumbers<T>(answer as never);
        }
        const result = await client.query({
          query: sql,
          query_params: params,
          format: 'JSONEachRow',
          ...(signal ? { abort_signal: signal } : {}),
          ...queryId(options),
          clickhouse_settings: {
            ...SETTINGS,
            ...(options.quote64 ? { output_format_json_quote_64bit_integers: 1 } : {}),
            max_execution_time: Math.ceil(timeoutMs / 1000),
            ...perQuery(options),
          },
        });
        return await result.json<T>();
      } catch (err) {
        throw signal?.aborted ? timedOut(target, timeoutMs, err) : classify(err, target, secrets);
      }
    },
    async command(sql: string, params: QueryParams = {}, options: QueryOptions = {}) {
      // Statements (DDL, a rollup backfill's INSERT … SELECT) may rightly run long, so they have no
      // default deadline. An explicit one applies to a server only: aborting the embedded engine
      // mid-statement can take the whole process down.
      const timeoutMs = kind === 'server' ? options.timeoutMs : undefined;
      const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
      try {
        await client.command({ query: sql, query_params: params, ...(signal ? { abort_signal: signal } : {}), ...queryId(options), clickhouse_settings: { ...SETTINGS, ...perQuery(options) } });
      } catch (err) {
        throw signal?.aborted ? timedOut(target, timeoutMs!, err) : classify(err, target, secrets);
      }
    },
    async insert(table: string, rows: readonly object[]) {
      if (rows.length === 0) return;
      try {
        // ISO-8601 times with a zone (`…Z`) are unambiguous whatever the server's timezone.
        await client.insert({ table, values: rows as object[], format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } });
      } catch (err) {
        throw classify(err, target, secrets);
      }
    },
    async check() {
      const pingMs = Math.min(PING_TIMEOUT_MS, defaultTimeoutMs);
      const signal = AbortSignal.timeout(pingMs);
      try {
        const result = await client.query({ query: 'SELECT 1', format: 'JSONEachRow', abort_signal: signal });
        await result.json();
        return null;
      } catch (err) {
        return signal.aborted ? timedOut(target, pingMs, err) : classify(err, target, secrets);
      }
    },
    readonlyLevel,
    async close() {
      await client.close();
    },
  };
}

/**
 * The same store, with every query marked as part of one unit of work (`driftwatch cycle … signal
 * tool-api`): its log_comment and query-id prefix, so an operator of a shared cluster can find
 * driftwatch's queries in system.query_log and kill them by prefix.
 */
export function tagged(store: Store, comment: string, queryIdPrefix: string): Store {
  return {
    ...store,
    query: (sql, params, options = {}) => store.query(sql, params, { ...options, comment, queryIdPrefix }),
    command: (sql, params, options = {}) => store.command(sql, params, { ...options, comment, queryIdPrefix }),
  };
}
