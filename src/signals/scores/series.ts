/**
 * Each rubric's automated score slot by slot, from the judgements rollup: the mean score of
 * numeric rubrics (it drifts downwards, upwards when lower is better), the pass rate of pass/fail
 * ones. A target re-judged within the window counts each time here (the verdict takes its latest).
 */
import { OFFLINE_JUDGEMENT } from '../../sources/fragments.ts';
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { gridParams, SLOT_OF_BUCKET } from '../../rollups/series-sql.ts';
import { rateAt, seriesFromRows, type HourlySeries, type SeriesGrid } from '../../core/series.ts';
import { seriesKey, type SignalResult } from '../../core/verdict.ts';
import { FAIL_LABELS, PASS_LABELS, THRESHOLD } from './sql.ts';

interface SlotRow {
  rubric: string;
  evaluator: string;
  at: number;
  scored: number;
  mean: number | null;
  passes: number;
  fails: number;
  threshold_passes: number;
}

export async function scoresHourly(reader: RollupReader, grid: SeriesGrid, config: Config, verdicts: readonly SignalResult[]): Promise<Map<string, HourlySeries>> {
  const mine = verdicts.filter((v) => v.signal === 'eval_score' && v.status !== 'no_data');
  const out = new Map<string, HourlySeries>();
  if (mine.length === 0) return out;
  const withThreshold = config.rubrics.filter((r) => r.passThreshold !== undefined);
  const rows = await reader.store.query<SlotRow>(
    `SELECT rubric, identifier AS evaluator, ${SLOT_OF_BUCKET} AS at,
            countIf(isNotNull(score)) AS scored, if(scored > 0, avgIf(assumeNotNull(score), isNotNull(score)), NULL) AS mean,
            countIf(lower(label) IN {passLabels:Array(String)}) AS passes, countIf(lower(label) IN {failLabels:Array(String)}) AS fails,
            countIf(isNotNull(score) AND assumeNotNull(score) >= ${THRESHOLD}) AS threshold_passes
     FROM ${reader.table('judgements')}
     WHERE annotator != 'HUMAN' AND rubric IN {rubrics:Array(String)} AND NOT ${OFFLINE_JUDGEMENT}
     GROUP BY rubric, evaluator, at`,
    {
      ...reader.params,
      ...gridParams(grid),
      offlineEnvironments: reader.source.conventions.offlineEnvironments,
      rubrics: [...new Set(mine.map((v) => v.subject['rubric']!))],
      passLabels: PASS_LABELS,
      failLabels: FAIL_LABELS,
      thresholdRubrics: withThreshold.map((r) => r.name),
      thresholdValues: withThreshold.map((r) => r.passThreshold!),
    },
    { comment: 'driftwatch series scores' },
  );
  for (const v of mine) {
    const declared = config.rubrics.find((r) => r.name === v.subject['rubric']);
    const slots = rows.filter((r) => r.rubric === v.subject['rubric'] && r.evaluator === (v.subject['evaluator'] ?? ''));
    if (v.evidence['kind'] === 'pass') {
      const threshold = declared?.passThreshold !== undefined;
      const points = slots.map((r) => {
        const scored = Number(r.scored);
        const passes = threshold ? (declared!.higherIsBetter ? Number(r.threshold_passes) : scored - Number(r.threshold_passes)) : Number(r.passes);
        return rateAt(r.at, passes, threshold ? scored : Number(r.passes) + Number(r.fails));
      });
      out.set(seriesKey(v), seriesFromRows(grid, points, 'down'));
    } else if (v.evidence['kind'] === 'numeric') {
      const points = slots.map((r) => ({ at: Number(r.at), value: r.mean === null ? null : Number(r.mean), samples: Number(r.scored) }));
      out.set(seriesKey(v), seriesFromRows(grid, points, declared?.higherIsBetter === false ? 'up' : 'down'));
    }
  }
  return out;
}
