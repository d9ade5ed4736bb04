/** What the agent signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const AGENT_FACETS: readonly Facet[] = [{ name: 'agent_end_to_end_success', label: 'agent end to end success', metricUnit: 'ratio' }];

export const AGENT_DASHBOARD: DashboardRow = {
  title: 'Agent layer (agent-step compounding)',
  panels: [
    {
      title: 'End-to-end success: current vs baseline',
      description: `Share of trajectories that ended well. ${VS}`,
      unit: 'percentunit',
      facet: 'agent_end_to_end_success',
      show: 'current-vs-baseline',
    },
    { title: 'Traces per window', description: 'Trajectories behind the agent verdicts.', facet: 'agent_end_to_end_success', show: 'samples' },
  ],
};
