/** Config fragment of the dataset drift signal. */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';
import { IDENTIFIER } from '../../config/identifier.ts';

export const datasetConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the dataset drift signal (needs an eval set).'),
    evalSet: z
      .strictObject({
        path: z.string().min(1).optional().describe('JSONL or CSV file of the offline eval set, with an `input` and an optional `intent` field.'),
        table: z.string().regex(IDENTIFIER, 'must be a plain ClickHouse identifier').optional().describe('Or: a ClickHouse table (in clickhouse.database) with `input` and optional `intent` columns.'),
      })
      .refine((e) => !(e.path && e.table), { message: 'set either evalSet.path or evalSet.table, not both' })
      .prefault({})
      .describe('The offline eval set production is compared with. Without one the signal reports no_data.'),
    maxEvalItems: z.number().int().min(1).max(20_000).default(2000).describe('Eval inputs used for lexical matching (first N). Default 2000.'),
    maxInputs: z.number().int().min(10).max(100_000).default(5000).describe('Production inputs per window matched lexically (deterministic sample). Default 5000.'),
    noveltyDistance: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe(
        'Without intents: an input is uncovered when its nearest eval input is farther than this (ClickHouse ngramDistanceUTF8 over 4-grams, 0 = same). Measured on CLINC150: in-scope queries sit at a median 0.45 from the training set, out-of-scope ones at 0.59. Default 0.6.',
      ),
    minSamples: z.number().int().min(1).default(100).describe('Production inputs per window before the signal can drift. Default 100.'),
    minEvents: z.number().int().min(1).default(5).describe('Uncovered inputs needed in the current window. Default 5.'),
    alpha: z.number().min(0).max(1).default(0.001).describe('Significance of the uncovered-share increase, after BH. Default 0.001.'),
    minAbsoluteIncrease: z.number().min(0).max(1).default(0.05).describe('Practical effect: the uncovered share must grow by this much. Default 0.05.'),
    minRelativeIncrease: z.number().min(1).default(1.5).describe('Practical effect: current uncovered share / baseline share. Default 1.5.'),
  })
  .prefault({})
  .describe('Dataset drift: production brings intents (or inputs) the offline eval set does not cover.');

export type DatasetConfig = z.output<typeof datasetConfigSchema>;

/** `signals.dataset` in the config file. */
export const datasetSection: SignalSection<typeof datasetConfigSchema> = {
  key: 'dataset',
  schema: datasetConfigSchema,
  resolvePaths: (d, resolve) => ({ ...d, evalSet: { ...d.evalSet, ...(d.evalSet.path ? { path: resolve(d.evalSet.path) } : {}) } }),
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    dataset: DatasetConfig;
  }
  interface SignalsConfigInput {
    dataset?: z.input<typeof datasetConfigSchema>;
  }
}
