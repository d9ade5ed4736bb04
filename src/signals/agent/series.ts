/** End-to-end success of each agent, hour by hour, from the same rollups as its verdict. */
import type { Config } from '../../config/schema.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import type { Windows } from '../../engine/windows.ts';
import { rateAt, seriesFromRows } from '../../engine/series.ts';
import { hourlySums, namedSubjects } from '../../engine/hourly-sql.ts';
import { seriesKey, type HourlySeries, type SignalResult } from '../types.ts';

export async function agentHourly(reader: RollupReader, windows: Windows, _config: Config, verdicts: readonly SignalResult[]): Promise<Map<string, HourlySeries>> {
  const rows = await hourlySums<{ n_traces: number; n_failed: number }>(reader, windows, 'agent_traces', 'agent', namedSubjects(verdicts, 'agent'), { n_traces: 'sum(traces)', n_failed: 'sum(failed)' }, 'agent');
  const out = new Map<string, HourlySeries>();
  for (const r of verdicts.filter((v) => v.signal === 'agent_end_to_end_success')) {
    const mine = rows.filter((x) => x.subject === r.subject.agent);
    out.set(seriesKey(r), seriesFromRows(windows, mine.map((x) => rateAt(x.hour, Number(x.n_traces) - Number(x.n_failed), Number(x.n_traces)))));
  }
  return out;
}
