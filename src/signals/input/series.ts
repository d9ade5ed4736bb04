/** The mean input length of each service, hour by hour, from the same rollups as its verdict. */
import type { Config } from '../../config/schema.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import type { Windows } from '../../engine/windows.ts';
import { seriesFromRows } from '../../engine/series.ts';
import { hourlySums, namedSubjects } from '../../engine/hourly-sql.ts';
import { seriesKey, type HourlySeries, type SignalResult } from '../types.ts';

export async function inputHourly(reader: RollupReader, windows: Windows, _config: Config, verdicts: readonly SignalResult[]): Promise<Map<string, HourlySeries>> {
  const lengths = verdicts.filter((v) => v.signal === 'input_length');
  if (lengths.length === 0) return new Map();
  const rows = await hourlySums<{ n_inputs: number; n_sum: number }>(reader, windows, 'input_lengths', 'service', namedSubjects(lengths, 'service'), { n_inputs: 'sum(inputs)', n_sum: 'sum(length_sum)' }, 'input');
  const out = new Map<string, HourlySeries>();
  for (const r of lengths) {
    const mine = rows.filter((x) => x.subject === r.subject.service);
    out.set(seriesKey(r), seriesFromRows(windows, mine.map((x) => ({ hour: Number(x.hour), value: Number(x.n_inputs) > 0 ? Number(x.n_sum) / Number(x.n_inputs) : null }))));
  }
  return out;
}
