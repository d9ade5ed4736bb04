/**
 * The rollup engine: keeps every family's buckets up to date and tells readers which rows are
 * current.
 *
 * Each cycle builds only what is missing or may still change: buckets never built (the first
 * start backfills history, in chunks, with progress, resumable), buckets still open to late
 * spans, and closed buckets whose spans changed since (their row count and checksum, read cheaply
 * from the source, differ from what they were built from). Everything else is merged from rows
 * already stored, so a cycle's cost grows with new spans, not with history.
 *
 * Rewrites are idempotent without locks: a build writes its rows under a fresh generation, then
 * one manifest row per bucket naming that generation. Readers take each bucket's newest
 * generation in the manifest, so a build killed half-way is invisible (its manifest rows were
 * never written) and two replicas building the same bucket never count it twice. Superseded
 * generations are deleted later.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import type { QueryParams, Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import { bucketsIn, contiguousChunks, isClosed } from './buckets.ts';
import type { PlannedFamily, RollupFamily } from './family.ts';

/**
 * The definition of a build: a hash of its SQL and of the parameters that SQL reads (its time
 * range aside), in name order. A parameter the SQL does not read (a source binds its conventions
 * to every query) leaves the definition as it is, so a new convention rebuilds no family.
 */
export function familyDefinition(sourceId: string, sql: string, params: QueryParams): string {
  const used = [...new Set([...sql.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*):/g)].map((m) => m[1]!))].filter((name) => !RANGE_PARAMS.has(name) && name in params).sort();
  const bound = used.map((name) => [name, params[name]]);
  return createHash('sha256')
    .update(`${ROLLUP_SCHEMA_VERSION}\n${sourceId}\n${sql}\n${JSON.stringify(bound)}`)
    .digest('hex')
    .slice(0, 24);
}

/** Parameters every build takes for its range: not part of what it builds. */
const RANGE_PARAMS = new Set(['fromMs', 'toMs', 'bucketFromMs', 'bucketToMs']);

/** Bumped when a family's stored layout changes; a new version builds new tables from scratch. */
// 2: tool_calls keeps passing example traces. 3: retrieval_corpus counts which identity told documents apart.
// 4: judgements keep the environment a judged trace ran in (eval runs are not production).
export const ROLLUP_SCHEMA_VERSION = 4;

const MANIFEST = `manifest_v${ROLLUP_SCHEMA_VERSION}`;
/** When each source's superseded rows were last deleted: a `once` run every 5 minutes from cron cleans up every 15 minutes too. */
const MAINTENANCE = `maintenance_v${ROLLUP_SCHEMA_VERSION}`;

/** What a refresh did, for logs, metrics and the bench. */
export interface RefreshStats {
  bucketsBuilt: number;
  /** Closed buckets rebuilt because their spans changed after they closed. */
  rebuiltChanged: number;
  queries: number;
  seconds: number;
}

export interface RollupHooks {
  /** Called with the number of closed buckets rebuilt because their spans changed. */
  onChangedRebuild?(count: number): void;
  /** How often superseded rows are deleted (default 15 minutes). */
  cleanupEveryMs?: number;
  /** Generations younger than this are never deleted: another replica may still be writing one (default 10 minutes). */
  keepYoungMs?: number;
}

interface ManifestEntry {
  family: string;
  bucket: number;
  latest: number;
  closed: number;
  fp_rows: number;
  fp_sum: string;
}

interface Fingerprint {
  rows: number;
  checksum: string;
}

/** A table reference, filtered to one source's newest generation per bucket, for a reader's window. */
export interface RollupReader {
  /** The store the rollups live in: signals run their merge queries here. */
  readonly store: Store;
  /** SQL for family `name`'s current rows with bucket in [{fromMs}, {toMs}). */
  table(name: string): string;
  /** Parameters `table()` needs (source and definition of each family). */
  readonly params: QueryParams;
  /** The source these rollups were built from (its conventions say how to read their rows). */
  readonly source: TraceSource;
}

export class RollupEngine {
  private readonly db: string;
  private lastCleanup = 0;

  constructor(
    /** The store holding the traces (rollups are built from its relations). */
    private readonly traces: Store,
    /** The store holding the rollups: the same store, or an embedded engine beside a server. */
    readonly store: Store,
    database: string,
    private readonly families: readonly PlannedFamily[],
    private readonly log: Logger,
    private readonly hooks: RollupHooks = {},
  ) {
    this.db = database;
  }

  private get local(): boolean {
    return this.traces === this.store;
  }

  /** Where the rollup tables are, for people: `database driftwatch_rollups in embedded engine at …`. */
  get location(): string {
    return `database ${this.db} in ${this.store.target}`;
  }

  private tableOf(f: RollupFamily): string {
    return `${this.db}.${f.name}_v${ROLLUP_SCHEMA_VERSION}`;
  }

  /** Closes the rollup store when it is not the trace store. */
  async close(): Promise<void> {
    if (!this.local) await this.store.close();
  }

  /** Creates the database, the manifest and every family's table when missing. */
  async ensureSchema(): Promise<void> {
    await this.store.command(`CREATE DATABASE IF NOT EXISTS ${this.db}`);
    await this.store.command(`
      CREATE TABLE IF NOT EXISTS ${this.db}.${MANIFEST} (
        family LowCardinality(String), source String, bucket Int64, generation UInt64, definition String,
        closed UInt8, fp_rows UInt64, fp_sum UInt64, built_at DateTime64(3)
      ) ENGINE = MergeTree ORDER BY (source, family, bucket, generation)`);
    await this.store.command(`CREATE TABLE IF NOT EXISTS ${this.db}.${MAINTENANCE} (source String, at_ms Int64) ENGINE = MergeTree ORDER BY (source, at_ms)`);
    for (const f of this.families) {
      const columns = ['source String', 'generation UInt64', 'bucket Int64', ...f.columns.map((c) => `\`${c.name}\` ${c.type}`)].join(', ');
      await this.store.command(`CREATE TABLE IF NOT EXISTS ${this.tableOf(f)} (${columns}) ENGINE = MergeTree ORDER BY (source, bucket, ${[...f.key, 'generation'].join(', ')})`);
    }
    await this.dropOlderVersions();
  }

  /**
   * Tables of an older rollup schema version are never read again (the new version rebuilt its
   * own): dropped, so an upgrade leaves nothing behind. A user without DROP TABLE is told which.
   */
  private async dropOlderVersions(): Promise<void> {
    const tables = await this.store.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = {db:String}`, { db: this.db });
    const older = tables
      .map((t) => t.name)
      .filter((name) => {
        const version = /_v(\d+)$/.exec(name)?.[1];
        return version !== undefined && Number(version) < ROLLUP_SCHEMA_VERSION;
      });
    for (const name of older) {
      try {
        await this.store.command(`DROP TABLE IF EXISTS ${this.db}.\`${name.replaceAll('`', '')}\``);
        this.log.info({ table: `${this.db}.${name}` }, 'dropped a rollup table of an older schema version');
      } catch (err) {
        this.log.warn({ table: `${this.db}.${name}`, err }, 'a rollup table of an older schema version could not be dropped; drop it by hand');
      }
    }
  }

  /**
   * The definition of a family's rows for this source and config: a hash of the SQL that builds
   * them and its parameters. Any change (a config value that shapes the rows, a new driftwatch
   * version with other SQL) yields a new definition, whose buckets are built anew.
   */
  definition(f: RollupFamily, source: TraceSource, config: Config): string {
    const probe = f.build(source, config, { fromMs: 0, toMs: 0, bucketMs: config.rollups.bucket });
    return familyDefinition(source.id, probe.sql, probe.params);
  }

  /** The reader for one source under one config. */
  reader(source: TraceSource, config: Config): RollupReader {
    const params: QueryParams = { rollupSource: source.id };
    for (const f of this.families) params[`def_${f.name}`] = this.definition(f, source, config);
    return {
      store: this.store,
      source,
      params,
      table: (name: string) => {
        const f = this.families.find((x) => x.name === name);
        if (!f) throw new Error(`no rollup family "${name}"`);
        return `(
          SELECT * FROM ${this.tableOf(f)}
          WHERE source = {rollupSource:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
            AND (bucket, generation) IN (
              SELECT bucket, max(generation) FROM ${this.db}.${MANIFEST}
              WHERE source = {rollupSource:String} AND family = '${f.name}' AND definition = {def_${f.name}:String}
                AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
              GROUP BY bucket))`;
      },
    };
  }

  /**
   * Brings every needed family up to date for cycles whose current windows end between
   * `firstEnd` and `lastEnd` (one cycle: the same time twice; a backtest: its whole range).
   * `now` decides which buckets are still open to late spans; `only` limits it to some families.
   */
  async refresh(source: TraceSource, config: Config, firstEnd: Date, lastEnd: Date, now: Date, only?: readonly string[]): Promise<RefreshStats> {
    const started = performance.now();
    const stats: RefreshStats = { bucketsBuilt: 0, rebuiltChanged: 0, queries: 0, seconds: 0 };
    const bucketMs = config.rollups.bucket;
    const grace = config.windows.ingestLag + config.rollups.lateness;
    const families = this.families.filter((f) => f.needed(config) && (only === undefined || only.includes(f.name)));
    if (families.length === 0) return stats;
    const endMs = lastEnd.getTime();
    const ranges = new Map(families.map((f) => [f, { fromMs: firstEnd.getTime() - f.horizon(config), toMs: endMs }]));
    const fromMs = Math.min(...[...ranges.values()].map((r) => r.fromMs));
    const definitions = new Map(families.map((f) => [f, this.definition(f, source, config)]));

    const entries = await this.manifest(source, families, definitions, fromMs, endMs);
    const nowMs = now.getTime();
    // Buckets to (re)build per family before looking at fingerprints: missing or open.
    const plan = new Map<RollupFamily, Set<number>>();
    for (const f of families) {
      const { fromMs: ff, toMs } = ranges.get(f)!;
      const have = entries.get(f.name) ?? new Map<number, ManifestEntry>();
      const stale = new Set<number>();
      for (const b of bucketsIn(ff, toMs, bucketMs)) {
        const e = have.get(b);
        if (!e || e.closed === 0) stale.add(b);
      }
      plan.set(f, stale);
    }
    // Fingerprints: for every bucket about to be built (to skip empty history without a query)
    // and for recently closed buckets (to catch spans that arrived after their bucket closed).
    const recheckFrom = Math.max(fromMs, nowMs - config.rollups.recheck - grace);
    let fpFrom = recheckFrom;
    for (const s of plan.values()) for (const b of s) fpFrom = Math.min(fpFrom, b);
    const fingerprints =
      fpFrom < endMs ? await this.fingerprints(source, bucketMs, fpFrom - this.maxReach(families, config, source), endMs + this.maxReach(families, config, source)) : new Map<number, Fingerprint>();
    stats.queries++;
    const fpOf = (b: number): Fingerprint => fingerprints.get(b) ?? { rows: 0, checksum: '0' };

    let changed = 0;
    for (const f of families) {
      const have = entries.get(f.name) ?? new Map<number, ManifestEntry>();
      const reach = f.reach(config, source);
      const stale = plan.get(f)!;
      const { toMs } = ranges.get(f)!;
      for (const [b, e] of have) {
        if (e.closed === 0 || b < recheckFrom || b >= toMs) continue;
        const fp = fpOf(b);
        if (fp.rows !== Number(e.fp_rows) || fp.checksum !== String(e.fp_sum)) {
          // A trace-level family's bucket also holds spans of neighbouring buckets.
          for (const n of bucketsIn(b - reach, b + bucketMs + reach, bucketMs)) {
            if (n >= ranges.get(f)!.fromMs && n < toMs && have.get(n)?.closed === 1 && !stale.has(n)) {
              stale.add(n);
              changed++;
            }
          }
        }
      }
    }
    if (changed > 0) {
      stats.rebuiltChanged = changed;
      this.hooks.onChangedRebuild?.(changed);
      this.log.info({ source: source.id, buckets: changed }, 'rollups: rebuilding closed buckets whose spans changed');
    }

    const total = [...plan.values()].reduce((s, x) => s + x.size, 0);
    const backfill = total > (2 * 3_600_000) / bucketMs;
    let done = 0;
    let lastProgress = 0;
    for (const f of families) {
      const reach = f.reach(config, source);
      for (const chunk of contiguousChunks([...plan.get(f)!], bucketMs, config.rollups.backfillChunk)) {
        const generation = Date.now() * 1000 + randomInt(1000);
        const buckets = bucketsIn(chunk.fromMs, chunk.toMs, bucketMs);
        const around = bucketsIn(chunk.fromMs - reach, chunk.toMs + reach, bucketMs);
        if (around.some((b) => fpOf(b).rows > 0)) {
          const t = performance.now();
          await this.build(f, source, config, { ...chunk, bucketMs }, generation);
          stats.queries++;
          this.log.debug({ family: f.name, fromMs: chunk.fromMs, toMs: chunk.toMs, seconds: (performance.now() - t) / 1000 }, 'rollup chunk built');
        }
        await this.store.insert(
          `${this.db}.${MANIFEST}`,
          buckets.map((bucket) => {
            const fp = fpOf(bucket);
            return {
              family: f.name,
              source: source.id,
              bucket,
              generation,
              definition: definitions.get(f)!,
              closed: isClosed(bucket, bucketMs, reach, grace, nowMs) ? 1 : 0,
              fp_rows: fp.rows,
              fp_sum: fp.checksum,
              built_at: new Date().toISOString(),
            };
          }),
        );
        stats.bucketsBuilt += buckets.length;
        done += buckets.length;
        if (backfill && (lastProgress === 0 || performance.now() - lastProgress > 2000 || done === total)) {
          lastProgress = performance.now();
          const elapsed = (performance.now() - started) / 1000;
          const eta = done > 0 ? Math.round((elapsed * (total - done)) / done) : 0;
          this.log.info({ source: source.id, done, total, etaSeconds: eta }, `rollups backfill: ${done}/${total} buckets (${Math.round((100 * done) / total)}%), ETA ${eta}s`);
        }
      }
    }
    stats.seconds = (performance.now() - started) / 1000;
    // Buckets older than every horizon are dropped when a live cycle (not a backtest of old
    // history) cleans up; a backtest that needs them again builds them again.
    const live = endMs >= nowMs - 2 * 3_600_000;
    const keepFrom = live ? endMs - Math.max(...families.map((f) => f.horizon(config))) - 86_400_000 : Number.MIN_SAFE_INTEGER;
    await this.cleanup(source, families, nowMs, keepFrom).catch((err: unknown) => this.log.warn({ err }, 'rollups: could not delete superseded rows (they are ignored; retried later)'));
    return stats;
  }

  private maxReach(families: readonly RollupFamily[], config: Config, source: TraceSource): number {
    return Math.max(0, ...families.map((f) => f.reach(config, source)));
  }

  /**
   * Spans per bucket of a source in [fromMs, toMs), as fingerprinted when its buckets were last
   * built or rechecked (buckets never built are absent), read from the manifest alone: how much
   * traffic there was, without touching the traces.
   */
  async spanCounts(source: TraceSource, fromMs: number, toMs: number): Promise<Map<number, number>> {
    const rows = await this.store.query<{ bucket: number; spans: number }>(
      `SELECT bucket, max(fp) AS spans FROM (
         SELECT family, bucket, argMax(fp_rows, generation) AS fp FROM ${this.db}.${MANIFEST}
         WHERE source = {source:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
         GROUP BY family, bucket)
       GROUP BY bucket`,
      { source: source.id, fromMs, toMs },
      { comment: 'driftwatch rollups span counts' },
    );
    return new Map(rows.map((r) => [Number(r.bucket), Number(r.spans)]));
  }

  /** Newest manifest entry per family and bucket, for the current definitions. */
  private async manifest(source: TraceSource, families: readonly RollupFamily[], definitions: Map<RollupFamily, string>, fromMs: number, toMs: number) {
    const rows = await this.store.query<ManifestEntry>(
      `SELECT family, bucket, max(m.generation) AS latest, argMax(m.closed, m.generation) AS closed,
              argMax(m.fp_rows, m.generation) AS fp_rows, toString(argMax(m.fp_sum, m.generation)) AS fp_sum
       FROM ${this.db}.${MANIFEST} AS m
       WHERE source = {source:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
         AND concat(family, '|', definition) IN {keys:Array(String)}
       GROUP BY family, bucket`,
      { source: source.id, fromMs, toMs, keys: families.map((f) => `${f.name}|${definitions.get(f)}`) },
      { comment: 'driftwatch rollups manifest' },
    );
    const out = new Map<string, Map<number, ManifestEntry>>();
    for (const r of rows) {
      const m = out.get(r.family) ?? new Map<number, ManifestEntry>();
      m.set(Number(r.bucket), r);
      out.set(r.family, m);
    }
    return out;
  }

  private async fingerprints(source: TraceSource, bucketMs: number, fromMs: number, toMs: number): Promise<Map<number, Fingerprint>> {
    const rows = await this.traces.query<{ bucket: number; rows: number; checksum: string }>(
      `SELECT bucket, rows, toString(checksum) AS checksum FROM (${source.fingerprint()})`,
      { ...source.params, fromMs, toMs, bucketMs },
      { comment: 'driftwatch rollups fingerprint', queryIdPrefix: 'driftwatch-fingerprint' },
    );
    return new Map(rows.map((r) => [Number(r.bucket), { rows: Number(r.rows), checksum: String(r.checksum) }]));
  }

  /** Builds one chunk of one family under `generation`: in place when the rollups live with the traces. */
  private async build(f: RollupFamily, source: TraceSource, config: Config, range: { fromMs: number; toMs: number; bucketMs: number }, generation: number) {
    const { sql, params } = f.build(source, config, range);
    const columns = ['bucket', ...f.columns.map((c) => c.name)];
    const list = columns.map((c) => `\`${c}\``).join(', ');
    const options = { comment: `driftwatch rollup ${f.name}`, queryIdPrefix: `driftwatch-rollup-${f.name}` };
    if (this.local) {
      await this.store.command(
        `INSERT INTO ${this.tableOf(f)} (source, generation, ${list}) SELECT {rollupSource:String}, {generation:UInt64}, ${list} FROM (${sql}) WHERE bucket >= {bucketFromMs:Int64} AND bucket < {bucketToMs:Int64}`,
        { ...params, rollupSource: source.id, generation },
        options,
      );
      return;
    }
    // Rollups beside a server: the server aggregates, only the bucket rows travel.
    const rows = await this.traces.query<Record<string, unknown>>(`SELECT ${list} FROM (${sql}) WHERE bucket >= {bucketFromMs:Int64} AND bucket < {bucketToMs:Int64}`, params, {
      ...options,
      quote64: true,
    });
    for (let i = 0; i < rows.length; i += 50_000) {
      await this.store.insert(
        this.tableOf(f),
        rows.slice(i, i + 50_000).map((r) => ({ ...r, source: source.id, generation: String(generation) })),
      );
    }
  }

  /**
   * Deletes rows of superseded generations and of buckets before `keepFrom`, at most every 15
   * minutes. The newest generation of every definition is kept: a backtest trying another
   * threshold (another definition) beside the daemon must not delete what the daemon reads;
   * other definitions' rows go with the buckets' age. Generations younger than 10 minutes are kept: another replica may be writing one
   * whose manifest rows are not in yet.
   */
  private async cleanup(source: TraceSource, families: readonly RollupFamily[], nowMs: number, keepFrom: number): Promise<void> {
    const every = this.hooks.cleanupEveryMs ?? 15 * 60_000;
    if (nowMs - this.lastCleanup < every) return;
    const [last] = await this.store.query<{ at: number }>(`SELECT max(at_ms) AS at FROM ${this.db}.${MAINTENANCE} WHERE source = {source:String}`, { source: source.id });
    this.lastCleanup = Math.max(this.lastCleanup, Number(last?.at ?? 0));
    if (nowMs - this.lastCleanup < every) return;
    this.lastCleanup = nowMs;
    await this.store.insert(`${this.db}.${MAINTENANCE}`, [{ source: source.id, at_ms: nowMs }]);
    const cutoff = (Date.now() - (this.hooks.keepYoungMs ?? 10 * 60_000)) * 1000;
    for (const f of families) {
      await this.store.command(
        `DELETE FROM ${this.tableOf(f)} WHERE source = {source:String} AND (bucket < {keepFrom:Int64} OR (generation < {cutoff:UInt64}
           AND (bucket, generation) NOT IN (SELECT bucket, max(generation) FROM ${this.db}.${MANIFEST} WHERE source = {source:String} AND family = '${f.name}' GROUP BY bucket, definition)))`,
        { source: source.id, cutoff, keepFrom },
        { comment: 'driftwatch rollups cleanup' },
      );
    }
    await this.store.command(
      `DELETE FROM ${this.db}.${MANIFEST} WHERE source = {source:String} AND family IN {families:Array(String)} AND (bucket < {keepFrom:Int64} OR (generation < {cutoff:UInt64}
         AND (family, bucket, generation) NOT IN (SELECT family, bucket, max(generation) FROM ${this.db}.${MANIFEST} WHERE source = {source:String} GROUP BY family, bucket, definition)))`,
      { source: source.id, cutoff, keepFrom, families: families.map((f) => f.name) },
      { comment: 'driftwatch rollups cleanup' },
    );
  }
}
