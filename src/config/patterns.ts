/** Config fragment of failure patterns: how drifting verdicts' affected traces are sampled and grouped. */
import { z } from 'zod';

export const patternsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Group the affected traces of every drifting verdict into named patterns (`evidence.patterns`). Default true.'),
    maxTraces: z
      .number()
      .int()
      .min(20)
      .max(2000)
      .default(500)
      .describe(
        'Affected traces sampled per drifting verdict in the current window, and at most as many over the baseline’s sampled hours (smallest trace-id hashes: the same sample for the same window). Clustering costs grow with its square. Default 500.',
      ),
    minClusterSize: z.number().int().min(2).max(100).default(5).describe('Smallest pattern: traces sharing a signature, or HDBSCAN’s minimum cluster size for texts. Default 5.'),
    minSamples: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe(
        'HDBSCAN’s neighbours for a text’s core distance (itself included): smaller finds more, smaller and less pure clusters. Measured on Banking77/CLINC150 (README): 5 gave the best agreement with true intents. Default 5.',
      ),
    maxPatterns: z.number().int().min(1).max(20).default(5).describe('Patterns kept per verdict, largest first. Default 5.'),
    examples: z.number().int().min(1).max(20).default(5).describe('Representative trace ids per pattern (what `driftwatch promote` writes). Default 5.'),
  })
  .prefault({})
  .describe('Failure patterns behind a drift: the affected traces of a drifting verdict grouped by exact signature (tool-call error class, failing step, intent) or by text clustering (inputs).');
