/** Config fragment of the judge–human agreement signal (the rubrics it grades are the top-level `rubrics`). */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';
import { duration } from '../../config/fields.ts';

export const judgeConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the judge–human agreement signal.'),
    windows: z
      .strictObject({
        current: duration('Current window of this signal (human labels are sparse, so it is longer than the global one).', '7d'),
        baseline: duration('Baseline window of this signal, immediately before its current window.', '28d'),
      })
      .prefault({})
      .describe('Windows of the judge signal; they end where the global current window ends.'),
    minPairs: z.number().int().min(5).default(30).describe('Judge–human pairs needed in a window; fewer is `no_data`. Default 30.'),
    maxPairs: z.number().int().min(10).max(100_000).default(5000).describe('Pairs per rubric and window sampled back to the daemon. Default 5000.'),
    alpha: z.number().min(0).max(1).default(0.01).describe('Significance of an agreement drop (z-test on bootstrap standard errors), after BH. Default 0.01.'),
    minKappaDrop: z.number().min(0).max(2).default(0.1).describe('Practical effect: κ must fall at least this much. Default 0.1.'),
    parityFraction: z.number().min(0).max(1).default(0.8).describe('Also drift when the upper bound of the judge’s κ falls below this fraction of the human–human κ. Default 0.8.'),
    interRaterKappa: z.number().min(-1).max(1).default(0.6).describe('Human–human κ used when too few targets carry two human labels. Default 0.6.'),
    bootstrap: z
      .strictObject({
        resamples: z.number().int().min(100).max(20_000).default(1000).describe('Bootstrap resamples. Default 1000.'),
        confidence: z.number().gt(0).lt(1).default(0.95).describe('Confidence of the reported intervals. Default 0.95.'),
      })
      .prefault({})
      .describe('Bootstrap over items for κ intervals and standard errors (seeded: replicas agree).'),
    promptChangeLookback: duration('A prompt version first seen this long before the current window (or inside it) explains an agreement drop as prompt drift.', '7d'),
    maxPrompts: z.number().int().min(1).max(100).default(20).describe('Prompts (template names) whose version changes may explain an agreement drop, busiest first. Default 20.'),
  })
  .prefault({})
  .describe('Judge–human agreement: is the LLM judge still agreeing with humans on production samples?');

export type JudgeConfig = z.output<typeof judgeConfigSchema>;

/** `signals.judge` in the config file. */
export const judgeSection: SignalSection<typeof judgeConfigSchema> = {
  key: 'judge',
  schema: judgeConfigSchema,
  bucketAligned: (j) => [
    [['windows', 'current'], j.windows.current],
    [['windows', 'baseline'], j.windows.baseline],
  ],
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    judge: JudgeConfig;
  }
  interface SignalsConfigInput {
    judge?: z.input<typeof judgeConfigSchema>;
  }
}
