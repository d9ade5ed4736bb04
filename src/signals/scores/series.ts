/**
 * Each rubric's automated score slot by slot, from the eval-scores rollup (the same bucket rows
 * the verdicts merge): the mean score of numeric rubrics (it drifts downwards, upwards when lower
 * is better), the pass rate of pass/fail ones.
 */
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { gridParams, SLOT_OF_BUCKET } from '../../rollups/series-sql.ts';
import { rateAt, seriesFromRows, type HourlySeries, type SeriesGrid } from '../../core/series.ts';
import { seriesKey, type Judgement } from '../../core/verdict.ts';

interface SlotRow {
  rubric: string;
  evaluator: string;
  at: number;
  s_scored: number;
  mean: number | null;
  s_passes: number;
  s_fails: number;
  s_threshold: number;
}

export async function scoresHourly(reader: RollupReader, grid: SeriesGrid, config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>> {
  const mine = verdicts.filter((v) => v.signal === 'eval_score' && v.status !== 'no_data');
  const out = new Map<string, HourlySeries>();
  if (mine.length === 0) return out;
  const rows = await reader.store.query<SlotRow>(
    `SELECT rubric, evaluator, ${SLOT_OF_BUCKET} AS at,
            sum(scored) AS s_scored, if(s_scored > 0, sum(score_sum) / s_scored, NULL) AS mean,
            sum(passes) AS s_passes, sum(fails) AS s_fails, sum(threshold_passes) AS s_threshold
     FROM ${reader.table('eval_scores')}
     WHERE rubric IN {rubrics:Array(String)} AND NOT ${OFFLINE_JUDGEMENT}
     GROUP BY rubric, evaluator, at`,
    {
      ...reader.params,
      ...gridParams(grid),
      offlineEnvironments: reader.source.conventions.offlineEnvironments,
      rubrics: [...new Set(mine.map((v) => v.subject['rubric']!))],
    },
    { comment: 'driftwatch series scores' },
  );
  for (const v of mine) {
    const declared = config.rubrics.find((r) => r.name === v.subject['rubric']);
    const slots = rows.filter((r) => r.rubric === v.subject['rubric'] && r.evaluator === (v.subject['evaluator'] ?? ''));
    if (v.evidence['kind'] === 'pass') {
      const threshold = declared?.passThreshold !== undefined;
      const points = slots.map((r) => {
        const scored = Number(r.s_scored);
        const passes = threshold ? (declared!.higherIsBetter ? Number(r.s_threshold) : scored - Number(r.s_threshold)) : Number(r.s_passes);
        return rateAt(r.at, passes, threshold ? scored : Number(r.s_passes) + Number(r.s_fails));
      });
      out.set(seriesKey(v), seriesFromRows(grid, points, 'down'));
    } else if (v.evidence['kind'] === 'numeric') {
      const points = slots.map((r) => ({ at: Number(r.at), value: r.mean === null ? null : Number(r.mean), samples: Number(r.s_scored) }));
      out.set(seriesKey(v), seriesFromRows(grid, points, declared?.higherIsBetter === false ? 'up' : 'down'));
    }
  }
  return out;
}
