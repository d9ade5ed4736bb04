/**
 * Patterns of a tool's drift: its failing calls grouped by error class (masked by the source:
 * ids and numbers are placeholders), so a vendor's schema change shows as one new class. From the
 * rollups' per-class counts when there are rollups, else from a sample of the failing calls.
 * Latency has no failing calls to group.
 */
import { subjectName } from '../../sources/fragments.ts';
import type { PatternSpec } from '../../patterns/types.ts';
import type { SignalResult } from '../../core/verdict.ts';
import type { SignatureCount } from '../../patterns/group.ts';
import { mergedExamples } from '../../rollups/family.ts';
import { windowParams } from '../../core/windows.ts';

const FAILING_CALLS = new Set(['tool_error_rate', 'tool_retry_rate', 'tool_new_error_class']);

/** The tool whose failing calls a verdict is about; undefined for latency and the rest. */
const failingTool = (verdict: SignalResult) => (FAILING_CALLS.has(verdict.signal) ? verdict.subject.tool : undefined);

export const toolApiPatterns: PatternSpec = {
  // With rollups: the per-bucket counts of each error class, exact over both windows.
  counted(verdict, { rollups, windows }) {
    const tool = failingTool(verdict);
    if (tool === undefined) return null;
    return rollups.store.query<SignatureCount>(
      `SELECT error_class AS signature, sumIf(count, bucket >= {currentFromMs:Int64}) AS current, sumIf(count, bucket < {currentFromMs:Int64}) AS baseline,
              ${mergedExamples('examples', 20, 'bucket >= {currentFromMs:Int64}')} AS traceIds
       FROM ${rollups.table('tool_error_classes')}
       WHERE tool = {patternSubject:String}
       GROUP BY error_class`,
      { ...rollups.params, ...windowParams(windows), patternSubject: tool },
      { comment: 'driftwatch patterns tool-api' },
    );
  },
  affected(verdict, { source }) {
    const tool = failingTool(verdict);
    if (tool === undefined) return null;
    return {
      by: 'signature',
      sql: `
        SELECT trace_id, error_class AS signature, '' AS text
        FROM (${source.toolCalls()})
        WHERE is_error = 1 AND ${subjectName('tool')} = {patternSubject:String}
        ORDER BY cityHash64(trace_id), ts
        LIMIT {maxTraces:UInt32}`,
      params: { ...source.params, patternSubject: tool },
    };
  },
};
