/**
 * Patterns of user-distribution drift in one service's inputs: for the script mix, inputs grouped
 * by their dominant script (exact); for input length, the inputs clustered by their words, so new
 * kinds of request stand out by a baselineShare near 0. Turns per session have no per-trace shape.
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { subjectName } from '../../sources/fragments.ts';
import { DOMINANT_SCRIPT, SCRIPT_COUNTS, SCRIPT_PARAMS } from './sql.ts';

const SCRIPT_OF_INPUT = `if(arrayMax(counts) = 0, 'no script', concat('script: ', ${DOMINANT_SCRIPT}))`;

export const inputPatterns: PatternSpec = {
  affected(verdict, { source }) {
    const service = verdict.subject.service;
    if (service === undefined || !['input_length', 'input_script_mix'].includes(verdict.signal)) return null;
    const byScript = verdict.signal === 'input_script_mix';
    return {
      by: byScript ? 'signature' : 'text',
      sql: `
        SELECT trace_id, ${byScript ? SCRIPT_OF_INPUT : "''"} AS signature, ${byScript ? "''" : 'text'} AS text
        FROM (
          SELECT trace_id, input, left(input, 1000) AS text, ${SCRIPT_COUNTS} AS counts
          FROM (${source.traceRoots()})
          WHERE input != '' AND ${subjectName('service')} = {patternSubject:String})
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...source.params, ...SCRIPT_PARAMS, patternSubject: service },
    };
  },
};
