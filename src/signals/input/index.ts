/**
 * User-distribution drift (`driftMode: user-distribution`, layer `input`): real inputs got longer,
 * changed language or turned into longer conversations than the ones the evals were written for.
 * Defaults: ≥100 inputs per window; α=0.001 after BH; PSI ≥0.2 and KS D ≥0.1 for length,
 * Jensen–Shannon ≥0.1 for script mix and turns per session.
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { inputPatterns } from './patterns.ts';
import { INPUT_FAMILIES, inputRowsFromRollups } from './rollups.ts';
import { evaluateInput, type InputRows } from './evaluate.ts';
import { lengthSql, scriptSql, SCRIPT_PARAMS, turnsSql, type CategoryRow, type LengthRow } from './sql.ts';
import { inputHourly } from './series.ts';
import { inputSection } from './config.ts';
import { INPUT_DASHBOARD, INPUT_FACETS } from './facets.ts';

export const inputSignal: Signal<InputRows> = {
  name: 'input',
  driftMode: 'user-distribution',
  layer: 'input',
  config: inputSection,
  enabled: (config) => config.signals.input.enabled,
  horizon: globalWindowsHorizon,
  rollups: INPUT_FAMILIES,
  async collect({ store, source, windows, config, rollups }) {
    if (rollups) return inputRowsFromRollups(rollups, windows, config);
    const params = { ...source.params, ...SCRIPT_PARAMS, ...windowParams(windows), maxSubjects: config.signals.input.maxSubjects };
    const length = await store.query<LengthRow>(lengthSql(source), params);
    const scripts = await store.query<CategoryRow>(scriptSql(source), params);
    const turns = await store.query<CategoryRow>(turnsSql(source), params);
    return { length, scripts, turns };
  },
  evaluate: (rows, config) => evaluateInput(rows, config),
  hourly: inputHourly,
  patterns: inputPatterns,
  facets: INPUT_FACETS,
  dashboard: INPUT_DASHBOARD,
};
