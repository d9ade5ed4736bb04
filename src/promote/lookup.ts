/** The user inputs (and intents) of chosen traces, read from their root spans in the pattern's window. */
import type { Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';

export interface TraceInput {
  trace_id: string;
  input: string;
  intent: string;
}

export async function inputsOf(store: Store, source: TraceSource, traceIds: readonly string[], window: { from: Date; to: Date }): Promise<TraceInput[]> {
  // Aliases other than the relation's column names: an alias would shadow the column in WHERE.
  const rows = await store.query<{ trace_id: string; root_input: string; root_intent: string }>(
    `SELECT trace_id, any(input) AS root_input, any(intent) AS root_intent
     FROM (${source.traceRoots()})
     WHERE trace_id IN {traceIds:Array(String)} AND input != ''
     GROUP BY trace_id`,
    { ...source.params, fromMs: window.from.getTime(), toMs: window.to.getTime(), traceIds: [...traceIds] },
  );
  return rows.map((r) => ({ trace_id: r.trace_id, input: r.root_input, intent: r.root_intent }));
}
