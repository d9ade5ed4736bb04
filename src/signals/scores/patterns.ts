/**
 * Patterns behind a falling rubric: the traces it scored low (below the baseline's or CI's mean,
 * failed, or off the usual label), grouped by what their users asked, so a pattern names the kind
 * of input production brings that the eval set does not score well. With rollups the low-scoring
 * traces come from the stored judgements (a week of judgements is not re-read from raw spans) and
 * only their roots are read from the trace store; without them, both from raw spans. The
 * baseline's are read only when the current window's low-scoring traces carry text.
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { lowScoringTraces } from './low-scoring.ts';
import { windowRoots } from './window-roots.ts';

export const scoresPatterns: PatternSpec = {
  async affected(verdict, ctx) {
    // No root of the window carries a user input: there is no text to group.
    if ((await windowRoots(ctx)).inputs === 0) return null;
    const low = await lowScoringTraces(verdict, ctx, 'current');
    if (!low) return null;
    return {
      by: 'text',
      sql: `
        SELECT trace_id, '' AS signature, lowerUTF8(left(input, 1000)) AS text
        FROM (${ctx.source.traceRoots()})
        WHERE input != '' AND trace_id IN {lowTraces:Array(String)}
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...ctx.source.params, lowTraces: low },
      // The baseline's low-scoring traces are a week's sample: read only when there is text to group.
      baselineParams: async () => ({ ...ctx.source.params, lowTraces: (await lowScoringTraces(verdict, ctx, 'baseline')) ?? [] }),
      store: ctx.store,
    };
  },
};
