/**
 * The rollups' manifest: one row per family, source, bucket and generation, naming the definition
 * it was built under, whether the bucket had closed and the fingerprint of its spans. Readers take
 * each bucket's newest generation from here, so a build is visible only once its manifest rows
 * are written. This module owns its tables and every query on them; the engine decides and builds.
 */
import type { Store } from '../clickhouse/store.ts';
import type { ManifestEntry } from './plan.ts';

/** Bumped when a family's stored layout changes; a new version builds new tables from scratch. */
// 2: tool_calls keeps passing example traces. 3: retrieval_corpus counts which identity told documents apart.
// 4: judgements keep the environment a judged trace ran in (eval runs are not production).
export const ROLLUP_SCHEMA_VERSION = 4;

const MANIFEST = `manifest_v${ROLLUP_SCHEMA_VERSION}`;
/** When each source's superseded rows were last deleted: a `once` run every 5 minutes from cron cleans up every 15 minutes too. */
const MAINTENANCE = `maintenance_v${ROLLUP_SCHEMA_VERSION}`;

/** One manifest row: a bucket of a family built under `generation`. */
export interface ManifestRow {
  family: string;
  source: string;
  bucket: number;
  generation: number;
  definition: string;
  closed: 0 | 1;
  fp_rows: number;
  fp_sum: string;
  built_at: string;
}

export class RollupManifest {
  constructor(
    private readonly store: Store,
    private readonly db: string,
  ) {}

  /** Creates the manifest and maintenance tables when missing. */
  async ensure(): Promise<void> {
    await this.store.command(`
      CREATE TABLE IF NOT EXISTS ${this.db}.${MANIFEST} (
        family LowCardinality(String), source String, bucket Int64, generation UInt64, definition String,
        closed UInt8, fp_rows UInt64, fp_sum UInt64, built_at DateTime64(3)
      ) ENGINE = MergeTree ORDER BY (source, family, bucket, generation)`);
    await this.store.command(`CREATE TABLE IF NOT EXISTS ${this.db}.${MAINTENANCE} (source String, at_ms Int64) ENGINE = MergeTree ORDER BY (source, at_ms)`);
  }

  /**
   * SQL for the newest generation of each bucket of `family` in [{fromMs}, {toMs}), under the
   * definition bound as {def_<family>}: what a reader joins a family's rows on.
   */
  newestGenerations(family: string): string {
    return `SELECT bucket, max(generation) FROM ${this.db}.${MANIFEST}
              WHERE source = {rollupSource:String} AND family = '${family}' AND definition = {def_${family}:String}
                AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
              GROUP BY bucket`;
  }

  /**
   * Newest entry per family and bucket in [fromMs, toMs), for each family's current definition.
   * A family's entries come back as one row of parallel arrays: a warm cycle reads every bucket of
   * the history (tens of thousands), and as one object each their transfer cost four times the
   * query.
   */
  async entries(source: string, definitions: ReadonlyMap<string, string>, fromMs: number, toMs: number): Promise<Map<string, Map<number, ManifestEntry>>> {
    const rows = await this.store.query<{ family: string; buckets: (number | string)[]; latest: (number | string)[]; closed: number[]; fp_rows: (number | string)[]; fp_sum: string[] }>(
      `SELECT family, groupArray(bucket) AS buckets, groupArray(latest) AS latest, groupArray(closed) AS closed,
              groupArray(fp_rows) AS fp_rows, groupArray(fp_sum) AS fp_sum
       FROM (
         SELECT family, bucket, max(m.generation) AS latest, argMax(m.closed, m.generation) AS closed,
                argMax(m.fp_rows, m.generation) AS fp_rows, toString(argMax(m.fp_sum, m.generation)) AS fp_sum
         FROM ${this.db}.${MANIFEST} AS m
         WHERE source = {source:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
           AND concat(family, '|', definition) IN {keys:Array(String)}
         GROUP BY family, bucket)
       GROUP BY family`,
      { source, fromMs, toMs, keys: [...definitions].map(([family, definition]) => `${family}|${definition}`) },
      { comment: 'driftwatch rollups manifest' },
    );
    const out = new Map<string, Map<number, ManifestEntry>>();
    for (const r of rows) {
      const m = new Map<number, ManifestEntry>();
      r.buckets.forEach((bucket, i) => {
        // 64-bit integers may arrive as strings (a server quotes them in JSON); these fit a double.
        m.set(Number(bucket), { latest: Number(r.latest[i]), closed: Number(r.closed[i]), fp_rows: Number(r.fp_rows[i]), fp_sum: String(r.fp_sum[i]) });
      });
      out.set(r.family, m);
    }
    return out;
  }

  /** Makes a build visible: its rows are in, now its buckets name its generation. */
  async record(rows: readonly ManifestRow[]): Promise<void> {
    await this.store.insert(`${this.db}.${MANIFEST}`, [...rows]);
  }

  /**
   * Spans per bucket of a source in [fromMs, toMs), as fingerprinted when its buckets were last
   * built or rechecked (buckets never built are absent): how much traffic there was, without
   * touching the traces.
   */
  async spanCounts(source: string, fromMs: number, toMs: number): Promise<Map<number, number>> {
    const rows = await this.store.query<{ bucket: number; spans: number }>(
      `SELECT bucket, max(fp) AS spans FROM (
         SELECT family, bucket, argMax(fp_rows, generation) AS fp FROM ${this.db}.${MANIFEST}
         WHERE source = {source:String} AND bucket >= {fromMs:Int64} AND bucket < {toMs:Int64}
         GROUP BY family, bucket)
       GROUP BY bucket`,
      { source, fromMs, toMs },
      { comment: 'driftwatch rollups span counts' },
    );
    return new Map(rows.map((r) => [Number(r.bucket), Number(r.spans)]));
  }

  /** When any replica last cleaned this source up (0: never). */
  async lastCleanup(source: string): Promise<number> {
    const [last] = await this.store.query<{ at: number }>(`SELECT max(at_ms) AS at FROM ${this.db}.${MAINTENANCE} WHERE source = {source:String}`, { source });
    return Number(last?.at ?? 0);
  }

  async markCleanup(source: string, atMs: number): Promise<void> {
    await this.store.insert(`${this.db}.${MAINTENANCE}`, [{ source, at_ms: atMs }]);
  }

  /**
   * SQL keeping, of one family's rows, those a reader may still take: the newest generation of
   * each bucket under every definition (bound as {source}).
   */
  newestPerDefinition(family: string): string {
    return `SELECT bucket, max(generation) FROM ${this.db}.${MANIFEST} WHERE source = {source:String} AND family = '${family}' GROUP BY bucket, definition`;
  }

  /** Deletes manifest rows of buckets before `keepFrom` and superseded ones older than `cutoff` (a generation). */
  async prune(source: string, families: readonly string[], cutoff: number, keepFrom: number): Promise<void> {
    await this.store.command(
      `DELETE FROM ${this.db}.${MANIFEST} WHERE source = {source:String} AND family IN {families:Array(String)} AND (bucket < {keepFrom:Int64} OR (generation < {cutoff:UInt64}
         AND (family, bucket, generation) NOT IN (SELECT family, bucket, max(generation) FROM ${this.db}.${MANIFEST} WHERE source = {source:String} GROUP BY family, bucket, definition)))`,
      { source, cutoff, keepFrom, families: [...families] },
      { comment: 'driftwatch rollups cleanup' },
    );
  }
}
