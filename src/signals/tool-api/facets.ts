/** What the tool-api signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';
import type { SignalResult } from '../../core/verdict.ts';

export const TOOL_API_FACETS: readonly Facet[] = [
  { name: 'tool_error_rate', label: 'error rate', metricUnit: 'ratio' },
  { name: 'tool_retry_rate', label: 'retry rate', metricUnit: 'ratio' },
  { name: 'tool_latency', label: 'latency', metricUnit: 'seconds' },
  {
    name: 'tool_new_error_class',
    label: 'new error classes',
    metricUnit: 'ratio',
    // A new class has no rate to compare: the title names the classes instead.
    headline: (r: SignalResult) =>
      `new error classes: ${((r.evidence.classes as { class: string }[] | undefined) ?? [])
        .map((c) => c.class)
        .slice(0, 2)
        .join(', ')}`,
  },
];

export const TOOL_API_DASHBOARD: DashboardRow = {
  title: 'Tool layer (tool-API drift)',
  panels: [
    { title: 'Tool error rate: current vs baseline', description: `Share of a tool's calls that failed. ${VS}`, unit: 'percentunit', facet: 'tool_error_rate', show: 'current-vs-baseline' },
    {
      title: 'Tool retry rate (share of traces): current vs baseline',
      description: `Share of traces that called a tool again after it failed. ${VS}`,
      unit: 'percentunit',
      facet: 'tool_retry_rate',
      show: 'current-vs-baseline',
    },
    {
      title: 'Tool latency quantile: current vs baseline',
      description: `The configured latency quantile (p95 by default) in seconds. ${VS}`,
      unit: 's',
      facet: 'tool_latency',
      show: 'current-vs-baseline',
    },
    { title: 'Calls per window', description: 'Calls behind the tool verdicts; fewer than signals.toolApi.minSamples makes them no_data.', facet: 'tool_error_rate', show: 'samples' },
  ],
};
