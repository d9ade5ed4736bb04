/** The retrieval-corpus signal's config fragment. */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';

export const retrievalConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the retrieval-corpus drift signal.'),
    k: z.number().int().min(1).max(100).default(10).describe('Depth of the ranked list compared (top-k). Default 10.'),
    rboP: z.number().gt(0).lt(1).default(0.9).describe('Top-weightedness of rank-biased overlap; 0.9 puts ≈86% of the weight on the top 10. Default 0.9.'),
    minQueries: z.number().int().min(5).default(20).describe('Repeated queries needed in both halves of the baseline and in the current window before the signal can drift. Default 20.'),
    maxQueries: z.number().int().min(10).max(100_000).default(2000).describe('Matched queries per retriever sampled back to the daemon. Default 2000.'),
    alpha: z.number().min(0).max(1).default(0.001).describe('Significance level of the paired sign tests, after Benjamini–Hochberg across the cycle. Default 0.001.'),
    minRboDrop: z.number().min(0).max(1).default(0.1).describe('Practical effect: mean RBO must fall this far below the noise floor. Default 0.1.'),
    minTop1Increase: z.number().min(0).max(1).default(0.1).describe('Practical effect: the share of queries whose top-1 changed must exceed the noise floor by this much. Default 0.1.'),
    maxSubjects: z.number().int().min(1).max(100).default(20).describe('Retrievers (span names) tracked by name, busiest first; the rest are folded into `other`. Default 20.'),
    query: z
      .strictObject({
        lowercase: z.boolean().default(true).describe('Lower-case query texts before matching.'),
        foldWhitespace: z.boolean().default(true).describe('Fold runs of whitespace and trim before matching.'),
      })
      .prefault({})
      .describe('How queries are matched across windows: a hash of the normalized text.'),
    judge: z
      .strictObject({
        contextRelevance: z.array(z.string().min(1)).default(['context_relevance']).describe('Judge score names that grade the retrieved context.'),
        groundedness: z.array(z.string().min(1)).default(['groundedness', 'faithfulness']).describe('Judge score names that grade the answer against its context.'),
        minScores: z.number().int().min(2).default(30).describe('Scores needed in each window to judge a layer. Default 30.'),
        minDrop: z.number().min(0).default(0.05).describe('Practical effect: mean score drop (in score units) that counts as a drop. Default 0.05.'),
        alpha: z.number().min(0).max(1).default(0.01).describe('Significance of a score drop (one-sided Welch t-test). Default 0.01.'),
      })
      .prefault({})
      .describe('Which layer moved: judge scores for context relevance and groundedness, when the traces carry them.'),
  })
  .prefault({})
  .describe('Retrieval-corpus drift: the same queries now retrieve different documents (top-k shift against a measured noise floor).');

export type RetrievalConfig = z.output<typeof retrievalConfigSchema>;

/** `signals.retrieval` in the config file. */
export const retrievalSection: SignalSection<typeof retrievalConfigSchema> = {
  key: 'retrieval',
  schema: retrievalConfigSchema,
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    retrieval: RetrievalConfig;
  }
  interface SignalsConfigInput {
    retrieval?: z.input<typeof retrievalConfigSchema>;
  }
}
