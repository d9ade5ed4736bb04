/** What the eval-score signal's verdicts are called, measured in and shown as (its facets and dashboard row). */
import type { DashboardRow, Facet } from '../../core/facet.ts';
import { VS } from '../dashboard-text.ts';

export const SCORES_FACETS: readonly Facet[] = [
  {
    name: 'eval_score',
    label: 'eval score',
    metricUnit: 'score',
    metric: {
      name: 'driftwatch_eval_score',
      help: 'A rubric’s automated score in production over the current window, in its own unit (mean score; pass rate for pass/fail rubrics).',
      of: (r) => r.value,
    },
  },
  {
    name: 'eval_gap',
    label: 'eval score against CI',
    metricUnit: 'score',
    fixedReference: true,
    metric: {
      name: 'driftwatch_eval_gap',
      help: 'How far a rubric scores below its latest CI run in production (CI minus production, in the rubric’s unit; above its margin and significant is drift).',
      of: (r) => (typeof r.evidence['gap'] === 'number' ? r.evidence['gap'] : null),
    },
  },
];

export const SCORES_DASHBOARD: DashboardRow = {
  title: 'Eval scores (passes evals, fails in production)',
  panels: [
    {
      title: 'Eval score by rubric: current vs baseline',
      description: `Each rubric’s automated score in production (mean score, or pass rate for pass/fail rubrics). ${VS}`,
      facet: 'eval_score',
      show: 'current-vs-baseline',
    },
    {
      title: 'Production against CI by rubric',
      description: 'Each rubric’s score in the current window (current) against its latest CI run (baseline); a gap beyond the rubric’s margin that is significant drifts.',
      facet: 'eval_gap',
      show: 'current-vs-baseline',
    },
    { title: 'Scored targets per window', description: 'Targets behind the eval-score verdicts; fewer than signals.scores.minSamples makes them no_data.', facet: 'eval_score', show: 'samples' },
  ],
};
