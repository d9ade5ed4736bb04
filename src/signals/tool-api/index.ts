/**
 * Tool-API drift (`driftMode: tool-api`, layer `tool`): a tool's vendor changed its schema, error
 * codes or rate limits, so errors, retries and latency climb and new error classes appear.
 * Defaults: ≥50 calls per window, ≥5 events, one-sided Fisher's exact test at α=0.001 after BH,
 * +1 point and ×1.5; latency p95 ×1.5 and +100 ms.
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { collectToolApiFromRollups, TOOL_API_FAMILIES } from './rollups.ts';
import { toolApiHourly } from './series.ts';
import { toolApiPatterns } from './patterns.ts';
import { evaluateToolApi, type ToolApiRows } from './evaluate.ts';
import { callStatsSql, newErrorClassesSql, retryStatsSql, type CallStatsRow, type NewErrorClassRow, type RetryStatsRow } from './sql.ts';
import { toolApiSection } from './config.ts';
import { TOOL_API_DASHBOARD, TOOL_API_FACETS } from './facets.ts';

export const toolApiSignal: Signal<ToolApiRows> = {
  name: 'tool-api',
  driftMode: 'tool-api',
  layer: 'tool',
  config: toolApiSection,
  enabled: (config) => config.signals.toolApi.enabled,
  horizon: globalWindowsHorizon,
  rollups: TOOL_API_FAMILIES,
  async collect({ store, source, windows, config, rollups }) {
    if (rollups) return collectToolApiFromRollups(rollups, windows, config);
    const t = config.signals.toolApi;
    const params = { ...source.params, ...windowParams(windows), maxSubjects: t.maxSubjects, quantile: t.latency.quantile };
    const calls = await store.query<CallStatsRow>(callStatsSql(source), params);
    const retries = await store.query<RetryStatsRow>(retryStatsSql(source), params);
    const newClasses = await store.query<NewErrorClassRow>(newErrorClassesSql(source), params);
    return { calls, retries, newClasses };
  },
  evaluate: (rows, config) => evaluateToolApi(rows, config),
  hourly: toolApiHourly,
  patterns: toolApiPatterns,
  facets: TOOL_API_FACETS,
  dashboard: TOOL_API_DASHBOARD,
};
