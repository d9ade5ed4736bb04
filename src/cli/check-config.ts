/**
 * `driftwatch check-config --config FILE [--connect]`: one line per check, `ok`, `warn`, `FAIL` or `skip`.
 * Without --connect it checks what the file alone can tell (the schema already ran: keys, URL
 * schemes, UUIDs, environment variables): directories driftwatch writes, the eval-set file. With
 * --connect it reaches ClickHouse (version, tables, column types, the user's readonly level and
 * grants, and every enabled signal's queries over an empty window), Linear and Slack.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/shape.ts';
import { openStore, type Store } from '../clickhouse/store.ts';
import { clickhouseCode, firstLineOf, SourceError } from '../clickhouse/errors.ts';
import { compareVersions, MIN_VERSION, optionalTablesPresent, tableProblems } from '../sources/preflight.ts';
import { readTableEngine, shardedByTrace, type TableEngine } from '../clickhouse/table-engine.ts';
import { createNotifiers, createSources } from '../app/app.ts';
import { familiesOf, SIGNALS } from '../signals/index.ts';
import { computeWindows } from '../core/windows.ts';
import { readEvalFile } from '../signals/dataset/eval-set.ts';
import { formatDuration } from '../config/duration.ts';

type Mark = 'ok' | 'warn' | 'FAIL' | 'skip';
type Say = (line: string) => void;

const UNKNOWN_TABLE = 60;
const UNKNOWN_DATABASE = 81;
/** Access denied (old servers: 291; grants: 497 NOT_ENOUGH_PRIVILEGES; 516 is a failed login). */
const DENIED = new Set([291, 497]);

/** An empty stretch long ago: every query runs in full (grants, functions, settings) and reads nothing. */
const PROBE_AT = new Date('2001-01-01T00:00:00Z');

export async function checkConfig(config: Config, options: { connect: boolean; warnings?: readonly string[] }, say: Say): Promise<boolean> {
  let failed = false;
  const line = (mark: Mark, text: string) => {
    if (mark === 'FAIL') failed = true;
    say(`${mark.padEnd(5)} ${text}`);
  };
  line('ok', `config: valid (schedule ${config.schedule}; current window ${formatDuration(config.windows.current)}, baseline ${formatDuration(config.windows.baseline)})`);
  for (const w of options.warnings ?? []) line('warn', `config: ${w}`);
  checkPaths(config, line);
  checkEvalSet(config, line);
  if (!options.connect) {
    line('skip', 'ClickHouse, Linear and Slack not reached (add --connect)');
    return !failed;
  }
  await checkClickHouse(config, line);
  await checkSinks(config, line);
  return !failed;
}

/** The nearest existing directory at or above `path`, and whether this process may write there. */
function writable(path: string): { ok: boolean; at: string } {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    if (!statSync(at).isDirectory()) return { ok: false, at };
    accessSync(at, constants.W_OK);
    return { ok: true, at };
  } catch {
    return { ok: false, at };
  }
}

function checkPaths(config: Config, line: (m: Mark, t: string) => void): void {
  const dirs: [string, string][] = [['alerting.stateDir', config.alerting.stateDir]];
  if (!config.notify.linear) dirs.push(['notify.fileSink.path', dirname(config.notify.fileSink.path)]);
  if (!config.clickhouse.url && config.clickhouse.embedded) dirs.push(['clickhouse.embedded', config.clickhouse.embedded]);
  if (config.clickhouse.url && config.rollups.enabled && !config.rollups.database) dirs.push(['rollups.path', config.rollups.path ?? join(config.alerting.stateDir, 'rollups')]);
  for (const [key, dir] of dirs) {
    const w = writable(dir);
    if (w.ok) line('ok', `${key}: ${dir} is writable${w.at === dir ? '' : ` (will be created in ${w.at})`}`);
    else line('FAIL', `${key}: ${dir} cannot be written (${w.at} is not a writable directory for this user)`);
  }
}

function checkEvalSet(config: Config, line: (m: Mark, t: string) => void): void {
  const d = config.signals.dataset;
  if (!d.enabled) return;
  if (d.evalSet.path) {
    try {
      const items = readEvalFile(d.evalSet.path);
      const intents = new Set(items.map((i) => i.intent).filter((i) => i !== '')).size;
      line('ok', `signals.dataset.evalSet.path: ${items.length} eval items${intents > 0 ? `, ${intents} intents` : ''} in ${d.evalSet.path}`);
    } catch (err) {
      line('FAIL', `signals.dataset.evalSet.path: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else if (!d.evalSet.table) {
    line('warn', 'signals.dataset: no evalSet configured; the dataset signal will report no_data');
  }
}

async function checkClickHouse(config: Config, line: (m: Mark, t: string) => void): Promise<void> {
  let store: Store;
  try {
    store = await openStore(config.clickhouse);
  } catch (err) {
    line('FAIL', `clickhouse: ${firstLineOf(err)}`);
    return;
  }
  try {
    const down = await store.check();
    if (down) {
      line('FAIL', `clickhouse: ${down.message}`);
      return;
    }
    // currentUser() is newer than some servers an operator may point at; the configured name is who connects.
    const [row] = await store.query<{ version: string }>('SELECT version() AS version');
    const version = row?.version ?? '0';
    const user = store.kind === 'server' ? config.clickhouse.username : 'default';
    const tooOld = compareVersions(version, MIN_VERSION) < 0;
    if (!tooOld) line('ok', `clickhouse: ${store.target} answers, version ${version}, user ${user}`);
    else
      line(
        config.clickhouse.allowUnsupportedVersion ? 'warn' : 'FAIL',
        `clickhouse: ${store.target} is version ${version}; driftwatch needs ${MIN_VERSION} or newer${config.clickhouse.allowUnsupportedVersion ? ' (allowUnsupportedVersion: running anyway, unsupported)' : ''}`,
      );
    await checkUser(config, store, user, line);
    const tablesOk = await checkTables(config, store, user, line, tooOld);
    if (tooOld && !config.clickhouse.allowUnsupportedVersion) line('skip', `queries: not run on ClickHouse ${version} (older than ${MIN_VERSION})`);
    else if (!tablesOk) line('skip', 'queries: not run until the tables above are readable');
    else await checkQueries(config, store, line);
  } catch (err) {
    line('FAIL', `clickhouse: ${firstLineOf(err)}`);
  } finally {
    await store.close();
  }
}

/** The user's readonly level and what it means: readonly=1 forbids every per-query setting. */
async function checkUser(config: Config, store: Store, user: string, line: (m: Mark, t: string) => void): Promise<void> {
  if (store.kind !== 'server') return;
  const level = await store.readonlyLevel();
  const rows = await store.query<{ value: string }>("SELECT value FROM system.settings WHERE name = 'max_execution_time'");
  const limit = Number(rows[0]?.value ?? 0);
  if (level === 1) {
    line('ok', `clickhouse user ${user}: readonly=1; driftwatch sends no per-query setting (no timeout, memory limit or log comment of its own)`);
    if (limit === 0)
      line(
        'warn',
        `clickhouse user ${user}: its profile sets no max_execution_time, so a query has no server-side time limit; set one in the profile (driftwatch stops waiting after clickhouse.queryTimeout ${formatDuration(config.clickhouse.queryTimeout)})`,
      );
    if (config.clickhouse.maxMemoryUsage) line('warn', `clickhouse.maxMemoryUsage is not applied for a readonly=1 user; set max_memory_usage in the user's profile`);
  } else {
    line('ok', `clickhouse user ${user}: readonly=${level}; per-query timeout${config.clickhouse.maxMemoryUsage ? ', memory limit' : ''} and log comment are sent`);
  }
  if (config.rollups.enabled && config.rollups.database) {
    if (level > 0)
      line(
        'FAIL',
        `rollups.database ${config.rollups.database}: user ${user} is readonly=${level} and cannot create or fill rollup tables; grant CREATE DATABASE, CREATE TABLE, INSERT, SELECT, ALTER DELETE and DROP TABLE on it to a writable user, or unset rollups.database to keep rollups in the embedded engine under alerting.stateDir`,
      );
    else line('ok', `rollups.database ${config.rollups.database}: the user may write (rollup tables are created there at start)`);
  }
}

async function checkTables(config: Config, store: Store, user: string, line: (m: Mark, t: string) => void, tooOld: boolean): Promise<boolean> {
  let ok = true;
  for (const { source } of createSources(config, store)) {
    for (const [table, needed] of source.requiredColumns) {
      const name = `${store.database}.${table}`;
      try {
        // Both identifiers were validated against the config's identifier pattern.
        const columns = await store.query<{ name: string; type: string }>(`DESCRIBE TABLE ${name}`);
        await store.query(`SELECT * FROM ${name} LIMIT 0`);
        const { all: problems, fatal } = tableProblems(needed, columns, tooOld);
        if (fatal.length > 0) {
          ok = false;
          line('FAIL', `table ${name}: ${fatal.join('; ')}`);
        } else {
          line(
            'ok',
            `table ${name}: readable by ${user}, ${Object.keys(needed).length} columns as ${source.schema} expects${problems.length > 0 ? ` (types unchecked on this old server: ${problems.length} differ)` : ''}`,
          );
          await reportEngine(store, table, source.schema === 'otel' ? 'TraceId' : 'trace_id', line);
        }
      } catch (err) {
        ok = false;
        const code = clickhouseCode(err instanceof SourceError ? err.cause : err);
        if (code !== undefined && DENIED.has(code))
          line(
            'FAIL',
            `table ${name}: user ${user} may not read it (${firstLineOf(err)}); grant it: GRANT SELECT ON ${name} TO ${user} (servers before 20.x: allow the database in the user's <allow_databases>)`,
          );
        else if (code === UNKNOWN_TABLE || code === UNKNOWN_DATABASE) line('FAIL', `table ${name} does not exist (traces.${config.traces.schema === 'otel' ? 'table' : 'schema'} names it)`);
        else line('FAIL', `table ${name}: ${firstLineOf(err)}`);
      }
    }
  }
  return ok;
}

/** The table's engine; for a Distributed table its cluster, shards' table and sharding key, and what they mean here. */
async function reportEngine(store: Store, table: string, traceColumn: string, line: (m: Mark, t: string) => void): Promise<void> {
  const name = `${store.database}.${table}`;
  let engine: TableEngine | null;
  try {
    engine = await readTableEngine(store, store.database, table);
  } catch (err) {
    line('warn', `table ${name}: its engine could not be read from system.tables (${firstLineOf(err)})`);
    return;
  }
  if (!engine) return;
  if (engine.engine !== 'Distributed') {
    line('ok', `table ${name}: engine ${engine.engine}, queried on this server alone`);
    return;
  }
  const over = `Distributed over cluster ${engine.cluster ?? '?'} (${engine.local ?? '?'} on each shard)`;
  if (!engine.shardingKey) line('ok', `table ${name}: ${over}, no sharding key (writes need a one-shard cluster or go to the local tables)`);
  else if (shardedByTrace(engine.shardingKey, traceColumn)) line('ok', `table ${name}: ${over}, sharding key ${engine.shardingKey}: each trace on one shard`);
  else
    line(
      'ok',
      `table ${name}: ${over}, sharding key ${engine.shardingKey}: a trace's spans may sit on several shards; results are the same (per-trace groups merge on the node driftwatch queries), a key on ${traceColumn} keeps them together (docs/production.md, Clusters)`,
    );
}

/** Every enabled signal's queries, raw and in full, over an empty stretch of time. */
async function checkQueries(config: Config, store: Store, line: (m: Mark, t: string) => void): Promise<void> {
  const bucket = config.rollups.bucket;
  const probe: Config = {
    ...config,
    windows: { ...config.windows, current: bucket, baseline: 2 * bucket },
    signals: { ...config.signals, judge: { ...config.signals.judge, windows: { current: bucket, baseline: 2 * bucket } } },
  };
  const windows = computeWindows(PROBE_AT, probe.windows, bucket);
  // The optional tables a source reads when present (Langfuse's dataset runs) are queried too.
  const present = await optionalTablesPresent(store, createSources(config, store)[0]!.source);
  for (const { source, scope } of createSources(config, store, present)) {
    const where = scope.project ? ` (project ${scope.project})` : '';
    for (const signal of SIGNALS.filter((s) => s.enabled(config))) {
      try {
        await signal.collect({ store, source, windows, config: probe });
        line('ok', `queries of ${signal.name}${where}: run`);
      } catch (err) {
        line('FAIL', `queries of ${signal.name}${where}: ${firstLineOf(err)}`);
      }
    }
    // The rollup builds read the trace table too (and are what a warm cycle sends): each is run
    // as its SELECT over one empty bucket, the same query the daemon inserts from.
    if (!config.rollups.enabled) continue;
    const range = { fromMs: PROBE_AT.getTime(), toMs: PROBE_AT.getTime() + bucket, bucketMs: bucket };
    const families = familiesOf(SIGNALS).filter((f) => f.needed(config));
    const failed: string[] = [];
    for (const family of families) {
      const { sql, params } = family.build(source, config, range);
      try {
        await store.query(sql, params);
      } catch (err) {
        failed.push(family.name);
        line('FAIL', `rollup build ${family.name}${where}: ${firstLineOf(err)}`);
      }
    }
    if (failed.length === 0 && families.length > 0) line('ok', `rollup builds${where}: ${families.length} run (${families.map((f) => f.name).join(', ')})`);
  }
}

async function checkSinks(config: Config, line: (m: Mark, t: string) => void): Promise<void> {
  const sinks = createNotifiers(config).filter((n) => n.probe);
  if (!config.notify.linear) line('ok', `alerts go to the file sink ${config.notify.fileSink.path}`);
  // A webhook has no harmless request to try: any POST would reach the incident tool as an alert.
  if (config.notify.webhook)
    line('skip', `webhook: not called (any request would reach ${new URL(config.notify.webhook.url).host} as an alert); driftwatch's first alert will show whether it accepts`);
  for (const sink of sinks) {
    try {
      line('ok', `${sink.name}: ${await sink.probe!(AbortSignal.timeout(config.notify.timeout))}`);
    } catch (err) {
      line('FAIL', `${sink.name}: ${firstLineOf(err)}`);
    }
  }
}
