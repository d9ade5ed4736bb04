/**
 * Patterns of a tool's drift: its failing calls grouped by error class (masked by the source:
 * ids and numbers are placeholders), so a vendor's schema change shows as one new class.
 * Latency has no failing calls to group.
 */
import { subjectName } from '../../sources/fragments.ts';
import type { PatternSpec } from '../../patterns/types.ts';

const FAILING_CALLS = new Set(['tool_error_rate', 'tool_retry_rate', 'tool_new_error_class']);

export const toolApiPatterns: PatternSpec = {
  affected(verdict, { source }) {
    if (!FAILING_CALLS.has(verdict.signal) || verdict.subject.tool === undefined) return null;
    return {
      by: 'signature',
      sql: `
        SELECT trace_id, error_class AS signature, '' AS text
        FROM (${source.toolCalls()})
        WHERE is_error = 1 AND ${subjectName('tool')} = {patternSubject:String}
        ORDER BY cityHash64(trace_id), ts
        LIMIT {maxTraces:UInt32}`,
      params: { ...source.params, patternSubject: verdict.subject.tool },
    };
  },
};
