/** What the input signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const INPUT_FACETS: readonly Facet[] = [
  { name: 'input_length', label: 'input length', metricUnit: 'characters' },
  { name: 'input_script_mix', label: 'input script mix', metricUnit: 'ratio' },
  { name: 'input_turns_per_session', label: 'input turns per session', metricUnit: 'turns' },
];

export const INPUT_DASHBOARD: DashboardRow = {
  title: 'Input layer (user-distribution drift)',
  panels: [
    {
      title: 'Mean input length (characters)',
      description: `Mean length of user inputs; the verdict compares whole distributions (KS and PSI). ${VS}`,
      facet: 'input_length',
      show: 'current-vs-baseline',
    },
    { title: 'Non-Latin share of inputs', description: `Share of inputs mostly in a non-Latin script. ${VS}`, unit: 'percentunit', facet: 'input_script_mix', show: 'current-vs-baseline' },
    { title: 'Turns per session', description: `Median user turns per session. ${VS}`, facet: 'input_turns_per_session', show: 'current-vs-baseline' },
  ],
};
