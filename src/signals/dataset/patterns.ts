/**
 * Patterns of dataset drift: the uncovered inputs. With intents, grouped by intent (exact); without,
 * the inputs farther than `noveltyDistance` from every eval input are clustered by their words.
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { evalIntents } from './evaluate.ts';
import { lexicalEvalInputs, loadEvalSet } from './eval-set.ts';
import { NEAREST_EVAL_DISTANCE } from './sql.ts';

export const datasetPatterns: PatternSpec = {
  async affected(verdict, { store, source, config }) {
    const d = config.signals.dataset;
    const loaded = await loadEvalSet(store, d);
    if (!loaded) return null;
    const params = { ...source.params };
    if (verdict.evidence.mode === 'intents') {
      return {
        by: 'signature',
        sql: `
          SELECT trace_id, intent AS signature, lowerUTF8(left(input, 1000)) AS text
          FROM (${source.traceRoots()})
          WHERE intent != '' AND intent NOT IN {evalIntents:Array(String)}
          ORDER BY cityHash64(trace_id)
          LIMIT {maxTraces:UInt32}`,
        params: { ...params, evalIntents: evalIntents(loaded.items) },
      };
    }
    // Candidates first (a bounded sample), then the distance to every eval input on those only.
    return {
      by: 'text',
      sql: `
        SELECT trace_id, '' AS signature, text
        FROM (
          SELECT trace_id, lowerUTF8(left(input, 1000)) AS text
          FROM (${source.traceRoots()})
          WHERE input != ''
          ORDER BY cityHash64(trace_id)
          LIMIT {maxCandidates:UInt32})
        WHERE ${NEAREST_EVAL_DISTANCE} > {noveltyDistance:Float64}
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...params, evalInputs: lexicalEvalInputs(loaded.items, d), noveltyDistance: d.noveltyDistance },
    };
  },
};
