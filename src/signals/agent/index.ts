/**
 * Agent-step compounding (`driftMode: agent-step-compounding`, layer `agent`): 95% per step over
 * 8 steps is 66% end to end. Defaults: ≥50 traces per window, failure-rate increase at α=0.001
 * after BH, −5 points and ×1.25; not reported when one tool's failures explain the drop.
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { agentRowsFromRollups, agentTracesFamily } from './rollups.ts';
import { evaluateAgent } from './evaluate.ts';
import { agentWindowsSql, judgedTracesParams, type AgentWindowRow } from './sql.ts';
import { agentHourly } from './series.ts';
import { agentPatterns } from './patterns.ts';
import { agentSection } from './config.ts';
import { AGENT_DASHBOARD, AGENT_FACETS } from './facets.ts';

export const agentSignal: Signal<AgentWindowRow[]> = {
  name: 'agent',
  driftMode: 'agent-step-compounding',
  layer: 'agent',
  config: agentSection,
  enabled: (config) => config.signals.agent.enabled,
  horizon: globalWindowsHorizon,
  rollups: [agentTracesFamily],
  collect: ({ store, source, windows, config, rollups }) => {
    if (rollups) return agentRowsFromRollups(rollups, windows, config);
    const a = config.signals.agent;
    return store.query<AgentWindowRow>(agentWindowsSql(source, a), {
      ...source.params,
      ...windowParams(windows),
      ...judgedTracesParams(config),
      loopMinCalls: a.loopMinCalls,
      maxSubjects: a.maxSubjects,
    });
  },
  evaluate: (rows, config) => evaluateAgent(rows, config),
  hourly: agentHourly,
  patterns: agentPatterns,
  facets: AGENT_FACETS,
  dashboard: AGENT_DASHBOARD,
};
