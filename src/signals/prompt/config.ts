/** Config fragment of the prompt drift signal. */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';

export const promptConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the prompt drift signal.'),
    minSamples: z.number().int().min(1).default(50).describe('LLM calls with a known prompt version needed in the current window. Default 50.'),
    mostly: z.number().gt(0).lt(1).default(0.5).describe('Drift when more than this share of live traffic runs on versions a rubric was not written for. Default 0.5.'),
    alpha: z.number().min(0).max(1).default(0.001).describe('Significance that the off-version share exceeds `mostly` (exact binomial), after BH. Default 0.001.'),
    maxVersions: z.number().int().min(1).max(50).default(5).describe('Versions per prompt reported by name; the rest are `other`. Default 5.'),
    maxPrompts: z.number().int().min(1).max(100).default(20).describe('Prompts (template names) reported by name; the rest are `other`. Default 20.'),
  })
  .prefault({})
  .describe('Prompt drift: live traffic runs on a prompt version its rubrics were not written for. Rubrics are declared under the top-level rubrics.');

export type PromptConfig = z.output<typeof promptConfigSchema>;

/** `signals.prompt` in the config file. */
export const promptSection: SignalSection<typeof promptConfigSchema> = {
  key: 'prompt',
  schema: promptConfigSchema,
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    prompt: PromptConfig;
  }
  interface SignalsConfigInput {
    prompt?: z.input<typeof promptConfigSchema>;
  }
}
