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
import type { PlannedFamily, RollupFamily } from './family.ts';
import { ROLLUP_SCHEMA_VERSION, RollupManifest, type ManifestRow } from './manifest.ts';
import { changedSince, chunksOf, closedFlag, fingerprintRange, missingOrOpen, nextGeneration, type FamilyRange, type Fingerprint, type ManifestEntry } from './plan.ts';

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

/** A table reference, filtered to one source's newest generation per bucket, for a reader's window. */
export interface RollupReader {
  /** The store the rollups live in: signals run their merge queries here. */
  readonly store: Store;
  /**
   * SQL for family `name`'s current rows with bucket in [{fromMs}, {toMs}). `prewhere`, a
   * condition on the family's stored columns, is read before anything else (PREWHERE): a reader
   * that wants a few rows of a big family (one rubric's judgements) skips reading the rest.
   */
  table(name: string, prewhere?: string): string;
  /** Parameters `table()` needs (source and definition of each family). */
  readonly params: QueryParams;
  /** The source these rollups were built from (its conventions say how to read their rows). */
  readonly source: TraceSource;
}

export class RollupEngine {
  private readonly db: string;
  private readonly manifest: RollupManifest;
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
    this.manifest = new RollupManifest(store, database);
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
    await this.manifest.ensure();
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
      table: (name: string, prewhere?: string) => {
        const f = this.families.find((x) => x.name === name);
        if (!f) throw new Error(`no rollup family "${name}"`);
        return `(
          SELECT * FROM ${this.tableOf(f)}${prewhere ? ` PREWHERE ${prewhere}` : ''}
          WHERE source = {rollupSource:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
            AND (bucket, generation) IN (${this.manifest.newestGenerations(f.name)}))`;
      },
    };
  }

  /**
   * Brings every needed family up to date for cycles whose current windows end between
   * `firstEnd` and `lastEnd` (one cycle: the same time twice; a backtest: its whole range).
   * `now` decides everything about the data: which buckets are still open to late spans, which
   * are recent enough to recheck, what is kept and when to clean up. Generations, write tokens
   * that must differ between replicas, and build times come from the wall clock at each write. `only` limits it
   * to some families.
   */
  async refresh(source: TraceSource, config: Config, firstEnd: Date, lastEnd: Date, now: Date, only?: readonly string[]): Promise<RefreshStats> {
    const started = performance.now();
    const stats: RefreshStats = { bucketsBuilt: 0, rebuiltChanged: 0, queries: 0, seconds: 0 };
    const bucketMs = config.rollups.bucket;
    const grace = config.windows.ingestLag + config.rollups.lateness;
    const needed = this.families.filter((f) => f.needed(config) && (only === undefined || only.includes(f.name)));
    if (needed.length === 0) return stats;
    const nowMs = now.getTime();
    const endMs = lastEnd.getTime();
    const families = needed.map((f) => ({
      f,
      range: { name: f.name, fromMs: firstEnd.getTime() - f.horizon(config), toMs: endMs, reachMs: f.reach(config, source), maxChunkMs: f.maxChunkMs } satisfies FamilyRange,
    }));
    const fromMs = Math.min(...families.map(({ range }) => range.fromMs));
    const definitions = new Map(needed.map((f) => [f.name, this.definition(f, source, config)]));

    // Read what was built, plan, read the fingerprints the plan needs, plan the rest.
    const entries = await this.manifest.entries(source.id, definitions, fromMs, endMs);
    const have = (f: FamilyRange) => entries.get(f.name) ?? new Map<number, ManifestEntry>();
    const stale = new Map(families.map(({ range }) => [range.name, missingOrOpen(range, have(range), bucketMs)]));
    const recheckFrom = Math.max(fromMs, nowMs - config.rollups.recheck - grace);
    const fpRange = fingerprintRange(stale.values(), recheckFrom, endMs, Math.max(0, ...families.map(({ range }) => range.reachMs)));
    const fingerprints = fpRange ? await this.fingerprints(source, bucketMs, fpRange.fromMs, fpRange.toMs) : new Map<number, Fingerprint>();
    stats.queries++;
    const fpOf = (b: number): Fingerprint => fingerprints.get(b) ?? { rows: 0, checksum: '0' };
    for (const { range } of families) {
      const changed = changedSince(range, have(range), stale.get(range.name)!, fpOf, recheckFrom, bucketMs);
      for (const b of changed) stale.get(range.name)!.add(b);
      stats.rebuiltChanged += changed.length;
    }
    if (stats.rebuiltChanged > 0) {
      this.hooks.onChangedRebuild?.(stats.rebuiltChanged);
      this.log.info({ source: source.id, buckets: stats.rebuiltChanged }, 'rollups: rebuilding closed buckets whose spans changed');
    }

    const progress = this.progress(
      source,
      [...stale.values()].reduce((n, x) => n + x.size, 0),
      bucketMs,
      started,
    );
    for (const { f, range } of families) {
      for (const chunk of chunksOf(range, stale.get(f.name)!, fpOf, bucketMs, config.rollups.backfillChunk)) {
        // A write token, not a time decision: the wall clock at the write keeps two replicas'
        // generations apart (the refresh's own time may be a test's fixed instant), and says
        // when the build was recorded.
        const writtenAt = Date.now();
        const generation = nextGeneration(chunk.buckets, have(range), writtenAt, randomInt(1000));
        if (!chunk.empty) {
          const t = performance.now();
          await this.build(f, source, config, { fromMs: chunk.fromMs, toMs: chunk.toMs, bucketMs }, generation);
          stats.queries++;
          this.log.debug({ family: f.name, fromMs: chunk.fromMs, toMs: chunk.toMs, seconds: (performance.now() - t) / 1000 }, 'rollup chunk built');
        }
        await this.manifest.record(
          chunk.buckets.map((bucket): ManifestRow => {
            const fp = fpOf(bucket);
            return {
              family: f.name,
              source: source.id,
              bucket,
              generation,
              definition: definitions.get(f.name)!,
              closed: closedFlag(bucket, range, bucketMs, grace, nowMs),
              fp_rows: fp.rows,
              fp_sum: fp.checksum,
              built_at: new Date(writtenAt).toISOString(),
            };
          }),
        );
        stats.bucketsBuilt += chunk.buckets.length;
        progress(chunk.buckets.length);
      }
    }
    stats.seconds = (performance.now() - started) / 1000;
    // Buckets older than every horizon are dropped when a live cycle (not a backtest of old
    // history) cleans up; a backtest that needs them again builds them again.
    const live = endMs >= nowMs - 2 * 3_600_000;
    const keepFrom = live ? endMs - Math.max(...needed.map((f) => f.horizon(config))) - 86_400_000 : Number.MIN_SAFE_INTEGER;
    await this.cleanup(source, needed, nowMs, keepFrom).catch((err: unknown) => this.log.warn({ err }, 'rollups: could not delete superseded rows (they are ignored; retried later)'));
    return stats;
  }

  /** Reports a backfill's progress (more than two hours of buckets) every two seconds and at its end. */
  private progress(source: TraceSource, total: number, bucketMs: number, started: number): (built: number) => void {
    const backfill = total > (2 * 3_600_000) / bucketMs;
    let done = 0;
    let lastProgress = 0;
    return (built) => {
      done += built;
      if (!backfill || (lastProgress !== 0 && performance.now() - lastProgress <= 2000 && done !== total)) return;
      lastProgress = performance.now();
      const elapsed = (performance.now() - started) / 1000;
      const eta = done > 0 ? Math.round((elapsed * (total - done)) / done) : 0;
      this.log.info({ source: source.id, done, total, etaSeconds: eta }, `rollups backfill: ${done}/${total} buckets (${Math.round((100 * done) / total)}%), ETA ${eta}s`);
    };
  }

  /**
   * Spans per bucket of a source in [fromMs, toMs), as fingerprinted when its buckets were last
   * built or rechecked (buckets never built are absent), read from the manifest alone.
   */
  spanCounts(source: TraceSource, fromMs: number, toMs: number): Promise<Map<number, number>> {
    return this.manifest.spanCounts(source.id, fromMs, toMs);
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
    this.lastCleanup = Math.max(this.lastCleanup, await this.manifest.lastCleanup(source.id));
    if (nowMs - this.lastCleanup < every) return;
    this.lastCleanup = nowMs;
    await this.manifest.markCleanup(source.id, nowMs);
    // Generations are written on the wall clock (see refresh): those older than keepYoung by it
    // may go once superseded; a younger one may be another replica's build still being recorded.
    const cutoff = (Date.now() - (this.hooks.keepYoungMs ?? 10 * 60_000)) * 1000;
    for (const f of families) {
      await this.store.command(
        `DELETE FROM ${this.tableOf(f)} WHERE source = {source:String} AND (bucket < {keepFrom:Int64} OR (generation < {cutoff:UInt64}
           AND (bucket, generation) NOT IN (${this.manifest.newestPerDefinition(f.name)})))`,
        { source: source.id, cutoff, keepFrom },
        { comment: 'driftwatch rollups cleanup' },
      );
    }
    await this.manifest.prune(
      source.id,
      families.map((f) => f.name),
      cutoff,
      keepFrom,
    );
  }
}
