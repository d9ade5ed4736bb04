/**
 * Prompt drift (`driftMode: prompt`, layer `prompt`): the prompt moved (v3 → v17) while the rubric
 * still grades the old contract. Reports the prompt versions live per window and their shares;
 * drifts when more than half of live traffic (default) runs on versions a rubric was not written
 * for (exact binomial test, α=0.001 after BH, ≥50 calls).
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { promptVersionsFamily, promptVersionsFromRollups } from './rollups.ts';
import { evaluatePrompt } from './evaluate.ts';
import { promptVersionsSql, type PromptVersionRow } from './sql.ts';
import { promptHourly } from './series.ts';
import { promptSection } from './config.ts';
import { PROMPT_DASHBOARD, PROMPT_FACETS } from './facets.ts';

export const promptSignal: Signal<PromptVersionRow[]> = {
  name: 'prompt',
  driftMode: 'prompt',
  layer: 'prompt',
  config: promptSection,
  enabled: (config) => config.signals.prompt.enabled,
  horizon: globalWindowsHorizon,
  rollups: [promptVersionsFamily],
  collect: ({ store, source, windows, config, rollups }) =>
    rollups
      ? promptVersionsFromRollups(rollups, { ...windowParams(windows), maxPrompts: config.signals.prompt.maxPrompts }, 'prompt')
      : store.query<PromptVersionRow>(promptVersionsSql(source), { ...source.params, ...windowParams(windows), maxPrompts: config.signals.prompt.maxPrompts }),
  evaluate: (rows, config) => evaluatePrompt(rows, config),
  hourly: promptHourly,
  facets: PROMPT_FACETS,
  dashboard: PROMPT_DASHBOARD,
};
