/** End-to-end success of each agent slot by slot (it drifts downwards), from the same rollups as its verdict. */
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { rateAt, seriesFromRows, type SeriesGrid } from '../../core/series.ts';
import { seriesSums, namedSubjects } from '../../rollups/series-sql.ts';
import { seriesKey, type Judgement } from '../../core/verdict.ts';
import type { HourlySeries } from '../../core/series.ts';

export async function agentHourly(reader: RollupReader, grid: SeriesGrid, _config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>> {
  const rows = await seriesSums<{ n_traces: number; n_failed: number }>(
    reader,
    grid,
    'agent_traces',
    'agent',
    namedSubjects(verdicts, 'agent'),
    { n_traces: 'sum(traces)', n_failed: 'sum(failed)' },
    'agent',
  );
  const out = new Map<string, HourlySeries>();
  for (const r of verdicts.filter((v) => v.signal === 'agent_end_to_end_success')) {
    const mine = rows.filter((x) => x.subject === r.subject.agent);
    out.set(
      seriesKey(r),
      seriesFromRows(
        grid,
        mine.map((x) => rateAt(x.at, Number(x.n_traces) - Number(x.n_failed), Number(x.n_traces))),
        'down',
      ),
    );
  }
  return out;
}
