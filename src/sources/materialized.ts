/**
 * Work shared across the cycles of a backtest: every relation a source answers is computed once
 * for the whole replayed range into a narrow table, and each cycle reads its windows from those
 * tables instead of parsing span attributes again. The tables are dropped when the backtest ends.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { QueryParams, Store } from '../clickhouse/store.ts';
import type { TraceSource } from './source.ts';

export interface MaterializedSource {
  source: TraceSource;
  drop(): Promise<void>;
}

const range = `ts >= fromUnixTimestamp64Milli({fromMs:Int64}) AND ts < fromUnixTimestamp64Milli({toMs:Int64})`;

/**
 * Materializes `inner`'s relations for [fromMs, toMs) (plus the agent's late-span allowance).
 * The parameters a relation needs besides the range come from the config, exactly as the signals
 * pass them.
 */
export async function materialize(store: Store, inner: TraceSource, config: Config, fromMs: number, toMs: number): Promise<MaterializedSource> {
  const prefix = `driftwatch_backtest_${randomBytes(4).toString('hex')}`;
  const params: QueryParams = {
    ...inner.params,
    fromMs,
    toMs,
    lateMs: config.signals.agent.maxTraceDuration,
    intentKey: config.signals.dataset.intentKey,
    humanServices: config.signals.judge.humanServices,
  };
  const created: string[] = [];
  const table = async (name: string, sql: string, orderBy = 'ts') => {
    const full = `${store.database}.${prefix}_${name}`;
    await store.command(`CREATE TABLE ${full} ENGINE = MergeTree ORDER BY ${orderBy} AS SELECT * FROM (${sql})`, params);
    created.push(full);
    return full;
  };
  const drop = async () => {
    for (const t of created) await store.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  };
  try {
    const tools = await table('tool_calls', inner.toolCalls());
    const retrievals = await table('retrievals', inner.retrievals(config.signals.retrieval.query));
    const judgements = await table('judgements', inner.judgements());
    const spans = await table('trace_spans', inner.traceSpans());
    const roots = await table('trace_roots', inner.traceRoots());
    const prompts = await table('prompt_uses', inner.promptUses());
    const windowed = (t: string) => `SELECT * FROM ${t} WHERE ${range}`;
    const source: TraceSource = {
      schema: inner.schema,
      requiredColumns: inner.requiredColumns,
      params: inner.params,
      toolCalls: () => windowed(tools),
      retrievals: () => windowed(retrievals),
      judgements: () => windowed(judgements),
      traceSpans: () => `
        SELECT * FROM ${spans}
        WHERE ts >= fromUnixTimestamp64Milli({fromMs:Int64}) AND ts < fromUnixTimestamp64Milli({toMs:Int64}) + toIntervalMillisecond({lateMs:Int64})
          AND trace_id IN (SELECT trace_id FROM ${spans} WHERE is_root AND ${range})`,
      traceRoots: () => windowed(roots),
      promptUses: () => windowed(prompts),
    };
    return { source, drop };
  } catch (err) {
    await drop();
    throw err;
  }
}
