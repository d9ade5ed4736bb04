/**
 * Patterns of an agent's falling end-to-end success: its failed traces grouped by where they
 * failed: the first step that failed (kind and tool), or, when no step failed, the last tool
 * called before the trace ended (a hand-off to a human, a wrong final action).
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { OVERFLOW_SUBJECT } from '../../sources/fragments.ts';
import { judgedTracesCte, judgedTracesParams } from './sql.ts';

export const agentPatterns: PatternSpec = {
  affected(verdict, { source, config }) {
    const agent = verdict.subject.agent;
    if (verdict.signal !== 'agent_end_to_end_success' || agent === undefined || agent === OVERFLOW_SUBJECT) return null;
    return {
      by: 'signature',
      sql: `${judgedTracesCte(source, config.signals.agent, true)}
        SELECT trace_id,
               multiIf(failed_steps > 0, concat('failed at ', first_failed),
                       last_tool != '', concat('ended after tool ', last_tool),
                       'ended without a tool call') AS signature,
               '' AS text
        FROM judged
        WHERE NOT ok AND agent_name = {patternSubject:String}
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...source.params, ...judgedTracesParams(config), patternSubject: agent },
    };
  },
};
