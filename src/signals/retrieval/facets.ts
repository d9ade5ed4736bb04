/** What the retrieval signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const RETRIEVAL_FACETS: readonly Facet[] = [
  { name: 'retrieval_rbo', label: 'mean RBO of repeated queries', metricUnit: 'rbo' },
  { name: 'retrieval_top1_change', label: 'top-1 change share', metricUnit: 'ratio' },
  { name: 'retrieval_distinct_documents', label: 'distinct documents', metricUnit: 'documents' },
];

export const RETRIEVAL_DASHBOARD: DashboardRow = {
  title: 'Retrieval layer (retrieval-corpus drift)',
  panels: [
    {
      title: 'Mean RBO of repeated queries: current vs noise floor',
      description: `Rank-biased overlap (0..1) of the top-k a repeated query gets now against the baseline; the baseline line is the overlap between the two baseline halves (the noise floor). ${VS}`,
      facet: 'retrieval_rbo',
      show: 'current-vs-baseline',
    },
    {
      title: 'Top-1 change share: current vs noise floor',
      description: `Share of repeated queries whose first document changed. ${VS}`,
      unit: 'percentunit',
      facet: 'retrieval_top1_change',
      show: 'current-vs-baseline',
    },
    {
      title: 'Matched repeated queries',
      description: 'Queries seen in both baseline halves and the current window; fewer than signals.retrieval.minQueries makes the verdicts no_data.',
      facet: 'retrieval_rbo',
      show: 'samples',
    },
    { title: 'Distinct documents per window', description: `Documents retrieved at least once per window. ${VS}`, facet: 'retrieval_distinct_documents', show: 'current-vs-baseline' },
  ],
};
