/** What the judge signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const JUDGE_FACETS: readonly Facet[] = [{ name: 'judge_human_agreement', label: 'judge–human κ', metricUnit: 'kappa' }];

export const JUDGE_DASHBOARD: DashboardRow = {
  title: 'Judge layer (judge–human agreement)',
  panels: [
    {
      title: 'Judge–human κ per rubric: current vs baseline',
      description: `Cohen's κ between the LLM judge and human labels, over the judge signal's own (longer) windows. ${VS}`,
      facet: 'judge_human_agreement',
      show: 'current-vs-baseline',
    },
    {
      title: 'Judge–human pairs counted',
      description: 'Targets labelled by both the judge and a human; fewer than signals.judge.minPairs makes the verdict no_data.',
      facet: 'judge_human_agreement',
      show: 'samples',
    },
  ],
};
