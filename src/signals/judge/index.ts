/**
 * Judge–human agreement (layer `judge`; `driftMode` prompt or user-distribution, decided per
 * verdict): is the LLM judge still agreeing with humans on production samples? Defaults: 7-day
 * current vs 28-day baseline windows, ≥30 pairs, κ drop ≥0.1 at α=0.01 after BH, or the current κ's
 * upper bound below 0.8 × the human–human κ.
 */
import type { Signal } from '../types.ts';
import { judgePatterns } from './patterns.ts';
import { promptVersionsSql, type PromptVersionRow } from '../prompt/sql.ts';
import { promptVersionsFamily, promptVersionsFromRollups } from '../prompt/rollups.ts';
import { judgementsFamily, withStoredJudgements } from './rollups.ts';
import { evaluateJudge, type JudgeRows } from './evaluate.ts';
import { judgedTargetsSql, type JudgedTargetRow } from './sql.ts';
import { judgeWindows } from './windows.ts';
import { judgeSection } from './config.ts';
import { JUDGE_DASHBOARD, JUDGE_FACETS } from './facets.ts';

export const judgeSignal: Signal<JudgeRows> = {
  name: 'judge',
  driftMode: 'user-distribution',
  layer: 'judge',
  config: judgeSection,
  enabled: (config) => config.signals.judge.enabled,
  // Days of judgements against weeks: an hour without spans does not stall it.
  ownWindows: true,
  horizon: (config) => config.signals.judge.windows.current + config.signals.judge.windows.baseline,
  rollups: [judgementsFamily, promptVersionsFamily],
  async collect({ store, source, windows, config, rollups }) {
    const j = config.signals.judge;
    const w = judgeWindows(windows, j);
    const params = {
      ...source.params,
      fromMs: w.baseline.from.getTime(),
      currentFromMs: w.current.from.getTime(),
      toMs: w.current.to.getTime(),
      maxPairs: j.maxPairs,
      maxPrompts: j.maxPrompts,
    };
    if (rollups) {
      const options = { comment: 'driftwatch signal judge' };
      const humanLabelled = withStoredJudgements(source, rollups, "annotator = 'HUMAN'");
      const targets = await rollups.store.query<JudgedTargetRow>(judgedTargetsSql(withStoredJudgements(source, rollups), { humanLabelled }), { ...params, ...rollups.params }, options);
      const prompts = await promptVersionsFromRollups(rollups, params, 'judge');
      return { targets, prompts, windows: w };
    }
    const targets = await store.query<JudgedTargetRow>(judgedTargetsSql(source), params);
    const prompts = await store.query<PromptVersionRow>(promptVersionsSql(source), params);
    return { targets, prompts, windows: w };
  },
  evaluate: (rows, config) => evaluateJudge(rows, config),
  patterns: judgePatterns,
  facets: JUDGE_FACETS,
  dashboard: JUDGE_DASHBOARD,
};
