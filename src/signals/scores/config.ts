/**
 * The eval-score signal's config fragment. What each rubric is (its direction, pass threshold,
 * margin against CI, drift mode) is declared once, in the top-level `rubrics`.
 */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';

export const scoresConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Watch each rubric’s own automated scores in production, and hold them against its CI run.'),
    minSamples: z.number().int().min(2).default(30).describe('Scored targets per rubric in each window (and in the CI run) before it can drift; fewer is `no_data`. Default 30.'),
    alpha: z
      .number()
      .min(0)
      .max(1)
      .default(0.001)
      .describe('Significance of a score drop (one-sided Welch t-test; Fisher’s exact test for pass rates; χ² for label mixes), after BH across the cycle. Default 0.001.'),
    minEffect: z
      .number()
      .min(0)
      .default(0.3)
      .describe('Practical effect of a numeric drop between windows: the mean must fall at least this many pooled standard deviations (Cohen’s d). Default 0.3.'),
    minFailIncrease: z.number().min(0).max(1).default(0.05).describe('Practical effect for pass/fail rubrics: the failure rate must rise at least this much (0.05 = 5 points). Default 0.05.'),
    minFailRatio: z.number().min(1).default(1.5).describe('…and by at least this factor. Default 1.5.'),
    minJs: z.number().min(0).max(1).default(0.1).describe('Practical effect for label rubrics: the Jensen–Shannon distance of the label mixes. Default 0.1.'),
    maxSubjects: z.number().int().min(1).max(100).default(20).describe('Rubrics tracked by name, most scored first; the rest are `other`. Default 20.'),
    offline: z
      .array(
        z
          .strictObject({
            path: z
              .string()
              .min(1)
              .describe('A CI results file: promptfoo `--output results.json`, a DeepEval test run JSON, or JSON Lines of {rubric, score | pass | label, item?}. Relative to the config file.'),
            name: z.string().min(1).optional().describe('What to call this run in alerts. Default: the file name.'),
          })
          .describe('One CI run’s results file.'),
      )
      .default([])
      .describe('The CI runs of the same rubrics: each rubric’s latest run is what production is held against (eval_gap).'),
  })
  .prefault({})
  .describe(
    'Eval scores: each rubric’s automated scores in production (OpenInference evaluations, GenAI evaluation results, Langfuse scores), against their own past and against the CI run of the same rubric.',
  );

export type ScoresConfig = z.output<typeof scoresConfigSchema>;

/** `signals.scores` in the config file. */
export const scoresSection: SignalSection<typeof scoresConfigSchema> = {
  key: 'scores',
  schema: scoresConfigSchema,
  resolvePaths: (s, resolve) => ({ ...s, offline: s.offline.map((o) => ({ ...o, path: resolve(o.path) })) }),
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    scores: ScoresConfig;
  }
  interface SignalsConfigInput {
    scores?: z.input<typeof scoresConfigSchema>;
  }
}
