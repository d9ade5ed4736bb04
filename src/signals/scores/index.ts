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
import { judgementsFamily } from '../judge/rollups.ts';
import { rawReader } from '../../rollups/raw-reader.ts';
import { evalScoresFamily, mergeScores } from './rollups.ts';
import { scoresSection } from './config.ts';
import { SCORES_DASHBOARD, SCORES_FACETS } from './facets.ts';
import { evaluateScores, type ScoresRows } from './evaluate.ts';
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
  // The stored judgements serve the patterns and explanations of a drifting rubric.
  rollups: [evalScoresFamily, judgementsFamily],
  async collect({ store, source, windows, config, rollups }) {
    const s = config.signals.scores;
    // Without stored rollups the same bucket rows are built from raw judgements over the windows.
    const reader = rollups ?? rawReader(store, source, config, [evalScoresFamily], { fromMs: windows.baseline.from.getTime(), toMs: windows.current.to.getTime() });
    // Production's scores per window, and eval runs recorded as traces (an offline environment, a Langfuse dataset run).
    const { stats, labels, offlineTraces } = await mergeScores(reader, { ...source.params, ...windowParams(windows), maxSubjects: s.maxSubjects });
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
    return { stats, labels, offline, offlineTraces, offlineErrors };
  },
  evaluate: (rows, config) => evaluateScores(rows, config),
  hourly: scoresHourly,
  attribute: attributeScores,
  patterns: scoresPatterns,
  explain: explainScores,
  facets: SCORES_FACETS,
  dashboard: SCORES_DASHBOARD,
};
