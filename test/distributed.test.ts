// Every query driftwatch sends to the trace table, planned by the real engine over a
// `Distributed` table made from the exporter's DDL (two shards, sharded by rand(), so a trace's
// spans may sit on both). The shards are not reachable here, so each query is only planned
// (EXPLAIN) or, where planning runs the GLOBAL IN subquery, must fail reaching the shards, never in the
// analysis (code 288 is the double-distributed IN ClickHouse refuses). The plans say where each
// query aggregates: docs/production.md's cluster table is this test's output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { otelTracesDdl } from '../src/demo/otel-ddl.ts';
import { otelSource } from '../src/sources/otel/index.ts';
import { SIGNALS } from '../src/signals/index.ts';
import { familiesOf } from '../src/signals/index.ts';
import { computeWindows } from '../src/core/windows.ts';
import { parseTableEngine } from '../src/clickhouse/table-engine.ts';
import type { QueryParams, Store } from '../src/clickhouse/store.ts';
import { inputsOf } from '../src/promote/lookup.ts';
import type { SignalResult } from '../src/core/verdict.ts';
import { testConfig } from './helpers/spans.ts';

/** Connection refused / all tries failed: the query got past analysis and went for the shards. */
const REACHED_SHARDS = /Code: (279|210)\b/;

let dir: string;
let session: Session;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftwatch-distributed-'));
  const shard = (db: string) => `<shard><replica><host>127.0.0.1</host><port>1</port><default_database>${db}</default_database></replica></shard>`;
  writeFileSync(join(dir, 'config.xml'), `<clickhouse><remote_servers><traces>${shard('shard1')}${shard('shard2')}</traces></remote_servers></clickhouse>`);
  session = new Session(join(dir, 'chdb'), { connectionArgs: [`--config-file=${join(dir, 'config.xml')}`, '--connect_timeout_with_failover_ms=50', '--connections_with_failover_max_tries=1'] });
  for (const db of ['shard1', 'shard2']) {
    session.query(`CREATE DATABASE ${db}`);
    session.query(otelTracesDdl(db, 'otel_traces'));
  }
  session.query("CREATE TABLE default.otel_traces AS shard1.otel_traces ENGINE = Distributed('traces', '', 'otel_traces', rand())");
});

after(() => {
  session?.cleanup?.();
  rmSync(dir, { recursive: true, force: true });
});

type Where = 'shards aggregate' | 'this node aggregates span rows' | 'reads no trace table' | 'gathers trace ids from the shards first (GLOBAL IN)';

/** Plans `sql` over the Distributed table; throws what the engine said when analysis refuses it. */
function where(sql: string, params: QueryParams): Where {
  const bound = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? `[${v.map((x) => (typeof x === 'string' ? `'${x.replace(/'/g, "\\'")}'` : x)).join(',')}]` : String(v)]),
  );
  let plan: string;
  try {
    plan = session.queryBind(`EXPLAIN ${sql}`, bound, 'TSVRaw');
  } catch (err) {
    const message = (err as Error).message;
    if (REACHED_SHARDS.test(message)) return 'gathers trace ids from the shards first (GLOBAL IN)';
    throw err;
  }
  if (!plan.includes('ReadFromRemote')) return 'reads no trace table';
  return /(^|\s)Aggregating\b/m.test(plan) ? 'this node aggregates span rows' : 'shards aggregate';
}

describe('queries over a Distributed trace table (sharded by rand())', () => {
  it('the engine is read as Distributed with its sharding key', () => {
    const [engine, full] = session.query("SELECT engine, engine_full FROM system.tables WHERE database = 'default' AND name = 'otel_traces'", 'TSVRaw').trim().split('\t');
    assert.deepEqual(parseTableEngine(engine!, full!), { engine: 'Distributed', cluster: 'traces', local: 'otel_traces', shardingKey: 'rand()' });
  });

  it('a plain IN over the same Distributed table is what the engine refuses (the form the sources avoid)', () => {
    assert.throws(() => session.query('EXPLAIN SELECT count() FROM default.otel_traces WHERE TraceId IN (SELECT TraceId FROM default.otel_traces)'), /Code: 288/);
  });

  it('every rollup build and every raw signal query passes the analysis, and the plans say where they aggregate', async (t) => {
    const config = testConfig({ clickhouse: { embedded: join(dir, 'unused') }, signals: { agent: { enabled: true } } });
    const source = otelSource('default', 'otel_traces');
    const rows: [string, Where][] = [];
    for (const family of familiesOf(SIGNALS)) {
      const { sql, params } = family.build(source, config, { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 0, 1, 1), bucketMs: config.rollups.bucket });
      rows.push([`rollup ${family.name}`, where(sql, params)]);
    }
    // The raw path (rollups off, and patterns): each query a signal's collect sends, planned instead of run.
    let current = '';
    const planning: Store = {
      kind: 'embedded',
      target: 'planner',
      database: 'default',
      query: async <T>(sql: string, params: QueryParams = {}) => {
        rows.push([`${current} raw`, where(sql, params)]);
        return [] as T[];
      },
      command: async () => undefined,
      insert: async () => undefined,
      check: async () => null,
      readonlyLevel: async () => 0,
      close: async () => undefined,
    };
    const windows = computeWindows(new Date(Date.UTC(2026, 0, 8)), config.windows, config.rollups.bucket);
    for (const signal of SIGNALS.filter((s) => s.enabled(config))) {
      current = signal.name;
      await signal.collect({ store: planning, source, windows, config });
    }
    // Failure patterns: each signal's affected-traces query for a drifting verdict it samples.
    const drifting = (signal: string, subject: Record<string, string>, evidence: Record<string, unknown> = {}) =>
      ({ signal, subject, status: 'drift', evidence: { traceIds: [], ...evidence } }) as unknown as SignalResult;
    const verdicts = [
      drifting('tool_error_rate', { tool: 'refund' }),
      drifting('agent_end_to_end_success', { agent: 'support' }),
      drifting('input_length', { service: 'assistant' }),
      drifting('input_script_mix', { service: 'assistant' }),
      drifting('judge_human_agreement', { rubric: 'preference' }),
    ];
    const ctx = { store: planning, source, windows, config };
    let patternQueries = 0;
    for (const signal of SIGNALS.filter((s) => s.patterns)) {
      for (const verdict of verdicts) {
        const q = await signal.patterns!.affected(verdict, ctx);
        if (!q || q.store) continue;
        patternQueries++;
        rows.push([`${signal.name} patterns (${verdict.signal})`, where(q.sql, { ...q.params, fromMs: 0, toMs: 1, maxTraces: 10, maxCandidates: 40 })]);
      }
    }
    assert.ok(patternQueries >= 4, `${patternQueries} pattern queries planned`);
    current = 'promote';
    await inputsOf(planning, source, ['t1'], { from: new Date(0), to: new Date(1) });
    for (const [name, at] of rows) t.diagnostic(`${name}: ${at}`);
    assert.ok(rows.length >= familiesOf(SIGNALS).length + 5, `${rows.length} queries planned`);
    assert.ok(rows.some(([, at]) => at === 'shards aggregate'));
  });
});
