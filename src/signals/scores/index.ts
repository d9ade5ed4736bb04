/**
 * Eval scores (layer `eval`; `driftMode` per rubric): the rubric's own automated scores in
 * production, from the evaluations teams already write (OpenInference evaluations and
 * annotations, GenAI evaluation results, Langfuse scores; human labels stay with the judge
 * signal). `eval_score` holds this window against the baseline, `eval_gap` against the latest
 * CI run of the same rubric: the product's "passes evals, fails in production". Defaults: ≥30
 * scored targets, α=0.001 after BH, Cohen's d ≥0.3 (numeric), +5 points and ×1.5 (failure rate),
 * a 5-point margin against CI.
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { judgementsFamily, withStoredJudgements } from '../judge/rollups.ts';
import { scoresSection } from './config.ts';
import { SCORES_DASHBOARD, SCORES_FACETS } from './facets.ts';
import { evaluateScores, type ScoresRows } from './evaluate.ts';
import { FAIL_LABELS, labelCountsSql, offlineTraceScoresSql, PASS_LABELS, scoreStatsSql, type LabelRow, type OfflineTraceRow, type ScoreRow } from './sql.ts';
import { OfflineResultsError, readOfflineRun, type OfflineRun } from './offline.ts';
import { scoresHourly } from './series.ts';
import { attributeScores } from './attribute.ts';
import { scoresPatterns } from './patterns.ts';
import { explainScores } from './explain.ts';

export const scoresSignal: Signal<ScoresRows> = {
  name: 'scores',
  driftMode: 'user-distribution',
  layer: 'eval',
  config: scoresSection,
  enabled: (config) => config.signals.scores.enabled,
  horizon: globalWindowsHorizon,
  rollups: [judgementsFamily],
  async collect({ store, source, windows, config, rollups }) {
    const s = config.signals.scores;
    const withThreshold = config.rubrics.filter((r) => r.passThreshold !== undefined);
    const params = {
      ...source.params,
      ...windowParams(windows),
      maxSubjects: s.maxSubjects,
      passLabels: PASS_LABELS,
      failLabels: FAIL_LABELS,
      thresholdRubrics: withThreshold.map((r) => r.name),
      thresholdValues: withThreshold.map((r) => r.passThreshold!),
    };
    const read = rollups ? { store: rollups.store, source: withStoredJudgements(source, rollups), params: { ...params, ...rollups.params } } : { store, source, params };
    const options = { comment: 'driftwatch signal scores' };
    const stats = await read.store.query<ScoreRow>(scoreStatsSql(read.source), read.params, options);
    const labels = await read.store.query<LabelRow>(labelCountsSql(read.source), read.params, options);
    // Eval runs recorded as traces: of an offline environment, or a Langfuse dataset run.
    const offlineTraces = await read.store.query<OfflineTraceRow>(offlineTraceScoresSql(read.source), read.params, options);
    const offline: OfflineRun[] = [];
    const offlineErrors: ScoresRows['offlineErrors'] = [];
    for (const entry of s.offline) {
      try {
        offline.push(readOfflineRun(entry.path, entry.name));
      } catch (err) {
        if (!(err instanceof OfflineResultsError)) throw err;
        offlineErrors.push({ name: entry.name ?? entry.path, message: err.message });
      }
    }
    return { stats: stats.map(numeric), labels, offline, offlineTraces, offlineErrors };
  },
  evaluate: (rows, config) => evaluateScores(rows, config),
  hourly: scoresHourly,
  attribute: attributeScores,
  patterns: scoresPatterns,
  explain: explainScores,
  facets: SCORES_FACETS,
  dashboard: SCORES_DASHBOARD,
};

/** ClickHouse sends 64-bit counts as text. */
const numeric = (r: ScoreRow): ScoreRow => ({
  ...r,
  cur: Number(r.cur),
  n: Number(r.n),
  scored: Number(r.scored),
  mean: r.mean === null ? null : Number(r.mean),
  variance: r.variance === null ? null : Number(r.variance),
  passes: Number(r.passes),
  fails: Number(r.fails),
  thresholdPasses: Number(r.thresholdPasses),
});
