/** Config fragment of the user-distribution (input) signal. */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';
import { duration } from '../../config/fields.ts';

export const inputConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the user-distribution drift signal.'),
    minSamples: z.number().int().min(10).default(100).describe('User inputs (or sessions, for turns) per window before a feature can drift. Default 100.'),
    alpha: z.number().min(0).max(1).default(0.001).describe('Significance of each feature test, after BH across the cycle. Default 0.001.'),
    minPsi: z.number().min(0).default(0.2).describe('Practical effect on input length: population stability index over baseline deciles. Default 0.2.'),
    minKsD: z.number().min(0).max(1).default(0.1).describe('Practical effect on input length: KS distance. Default 0.1.'),
    minJs: z.number().min(0).max(1).default(0.1).describe('Practical effect on script mix and turns per session: Jensen–Shannon distance. Default 0.1.'),
    maxSubjects: z.number().int().min(1).max(100).default(20).describe('Services tracked by name, busiest first; the rest are `other`. Default 20.'),
    sessionWindow: duration('A session counts in the window its first turn falls in, with its turns up to this long after that first turn.', '1h'),
  })
  .prefault({})
  .describe('User-distribution drift: real inputs got longer, changed language or became longer conversations.');

export type InputConfig = z.output<typeof inputConfigSchema>;

/** `signals.input` in the config file. */
export const inputSection: SignalSection<typeof inputConfigSchema> = {
  key: 'input',
  schema: inputConfigSchema,
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    input: InputConfig;
  }
  interface SignalsConfigInput {
    input?: z.input<typeof inputConfigSchema>;
  }
}
