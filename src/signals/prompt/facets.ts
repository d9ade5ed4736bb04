/** What the prompt signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const PROMPT_FACETS: readonly Facet[] = [
  { name: 'prompt_rubric_mismatch', label: 'traffic on versions the rubric was not written for', metricUnit: 'ratio' },
  { name: 'prompt_version_share', label: 'traffic share', metricUnit: 'ratio' },
];

export const PROMPT_DASHBOARD: DashboardRow = {
  title: 'Prompt layer (prompt drift)',
  panels: [
    {
      title: 'Prompt version shares (current window)',
      description: 'Share of LLM calls per prompt version, reported, not tested: a new version is normal; the rubric panel beside it is what drifts.',
      unit: 'percentunit',
      facet: 'prompt_version_share',
      show: 'value',
    },
    {
      title: "Traffic off each rubric's prompt version",
      description: `Share of live traffic on prompt versions a rubric was not written for. ${VS}`,
      unit: 'percentunit',
      facet: 'prompt_rubric_mismatch',
      show: 'current-vs-baseline',
    },
  ],
};
