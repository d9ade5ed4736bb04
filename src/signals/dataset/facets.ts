/** What the dataset signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const DATASET_FACETS: readonly Facet[] = [{ name: 'dataset_uncovered_share', label: 'dataset uncovered share', metricUnit: 'ratio' }];

export const DATASET_DASHBOARD: DashboardRow = {
  title: 'Dataset layer (dataset drift)',
  panels: [
    {
      title: 'Traffic the eval set does not cover',
      description: `Share of production inputs whose intent (or nearest eval input) the eval set lacks. ${VS}`,
      unit: 'percentunit',
      facet: 'dataset_uncovered_share',
      show: 'current-vs-baseline',
    },
    { title: 'Inputs compared per window', description: 'Inputs behind the dataset verdict.', facet: 'dataset_uncovered_share', show: 'samples' },
  ],
};
