/** The tool-API signal's config fragment (its section of the config file, composed in by the registry). */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';

const fraction = (description: string, fallback: number) => z.number().min(0).max(1).default(fallback).describe(`${description} Default ${fallback}.`);

export const toolApiConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the tool-API drift signal.'),
    minSamples: z.number().int().min(1).default(50).describe('Minimum calls (traces, for the retry rate) per tool in each window before it can drift; fewer is `no_data`. Default 50.'),
    minEvents: z.number().int().min(1).default(5).describe('Minimum events (errors, retries, slow calls) in the current window before it can drift. Default 5.'),
    alpha: fraction('Significance level, after Benjamini–Hochberg correction across all tests of the cycle. A cycle runs every few minutes over overlapping windows, so this is kept strict.', 0.001),
    minAbsoluteIncrease: fraction('Practical effect: the rate must rise by at least this much (0.01 = 1 percentage point).', 0.01),
    minRelativeIncrease: z.number().min(1).default(1.5).describe('Practical effect: current rate / baseline rate must be at least this. Default 1.5.'),
    latency: z
      .strictObject({
        quantile: z.number().gt(0).lt(1).default(0.95).describe('Latency quantile compared. Default 0.95.'),
        minRatio: z.number().min(1).default(1.5).describe('Practical effect: current quantile / baseline quantile. Default 1.5.'),
        minIncreaseMs: z.number().min(0).default(100).describe('Practical effect: absolute increase of the quantile in milliseconds. Default 100.'),
      })
      .prefault({})
      .describe('Latency drift, tested as the share of current calls slower than the baseline quantile.'),
    newErrorClass: z
      .strictObject({
        minCount: z.number().int().min(1).default(3).describe('An error class never seen in the baseline drifts when it occurs at least this often. Default 3.'),
      })
      .prefault({})
      .describe('Error classes (`error.type`, else the masked status message) absent from the baseline.'),
    maxSubjects: z.number().int().min(1).max(500).default(50).describe('Tools tracked by name (busiest first); the rest are folded into `other`. Default 50.'),
  })
  .prefault({})
  .describe('Tool-API drift: error rate, retry rate, latency and new error classes per tool.');

export type ToolApiConfig = z.output<typeof toolApiConfigSchema>;

/** `signals.toolApi` in the config file. */
export const toolApiSection: SignalSection<typeof toolApiConfigSchema> = {
  key: 'toolApi',
  schema: toolApiConfigSchema,
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    toolApi: ToolApiConfig;
  }
  interface SignalsConfigInput {
    toolApi?: z.input<typeof toolApiConfigSchema>;
  }
}
