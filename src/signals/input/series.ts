/**
 * Input verdicts slot by slot, from the same rollups: each service's mean input length, and its
 * share of non-Latin inputs (every script but Latin, and inputs without letters count as Latin,
 * as in the verdict).
 */
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { rateAt, seriesFromRows, type SeriesGrid } from '../../core/series.ts';
import { seriesSums, namedSubjects } from '../../rollups/series-sql.ts';
import { seriesKey, type Judgement } from '../../core/verdict.ts';
import type { HourlySeries } from '../../core/series.ts';

export async function inputHourly(reader: RollupReader, grid: SeriesGrid, _config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>> {
  const out = new Map<string, HourlySeries>();
  const lengths = verdicts.filter((v) => v.signal === 'input_length');
  if (lengths.length > 0) {
    const rows = await seriesSums<{ n_inputs: number; n_sum: number }>(
      reader,
      grid,
      'input_lengths',
      'service',
      namedSubjects(lengths, 'service'),
      { n_inputs: 'sum(inputs)', n_sum: 'sum(length_sum)' },
      'input',
    );
    for (const r of lengths) {
      const mine = rows.filter((x) => x.subject === r.subject.service);
      out.set(
        seriesKey(r),
        seriesFromRows(
          grid,
          mine.map((x) => ({ at: Number(x.at), value: Number(x.n_inputs) > 0 ? Number(x.n_sum) / Number(x.n_inputs) : null, samples: Number(x.n_inputs) })),
          'both',
        ),
      );
    }
  }
  const scripts = verdicts.filter((v) => v.signal === 'input_script_mix');
  if (scripts.length > 0) {
    const rows = await seriesSums<{ n_all: number; n_latin: number }>(
      reader,
      grid,
      'input_scripts',
      'service',
      namedSubjects(scripts, 'service'),
      { n_all: 'sum(n)', n_latin: "sumIf(n, category IN ('latin', 'none'))" },
      'input',
    );
    for (const r of scripts) {
      const mine = rows.filter((x) => x.subject === r.subject.service);
      out.set(
        seriesKey(r),
        seriesFromRows(
          grid,
          mine.map((x) => rateAt(x.at, Number(x.n_all) - Number(x.n_latin), Number(x.n_all))),
          'both',
        ),
      );
    }
  }
  return out;
}
