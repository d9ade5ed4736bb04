/**
 * Patterns of a judge that stopped agreeing with humans: the disagreeing targets of one rubric
 * grouped by what each side said (`judge: pass · human: fail`), over the judge's own windows
 * (days against weeks; human labels are sparse, so the whole baseline is read, from the stored
 * judgements when rollups keep them).
 */
import type { PatternSpec } from '../../patterns/types.ts';
import { withStoredJudgements } from './rollups.ts';
import { judgeWindows } from './windows.ts';
import { TARGET_VERDICTS } from './sql.ts';

export const judgePatterns: PatternSpec = {
  affected(verdict, { store, source, rollups }) {
    const rubric = verdict.subject.rubric;
    if (verdict.signal !== 'judge_human_agreement' || rubric === undefined) return null;
    const stored = rollups !== undefined;
    const judgements = stored ? withStoredJudgements(source, rollups) : source;
    return {
      by: 'signature',
      sql: `
        WITH j AS (${judgements.judgements()})
        SELECT trace_id, concat('judge: ', judge, ' · human: ', humans[1]) AS signature, '' AS text
        FROM (
          SELECT target, ${TARGET_VERDICTS}, min(trace_id) AS trace_id, min(ts) AS first
          FROM j
          WHERE rubric = {patternSubject:String}
          GROUP BY target
          HAVING length(humans) > 0 AND judge_n > 0
             AND first >= fromUnixTimestamp64Milli({fromMs:Int64}) AND first < fromUnixTimestamp64Milli({toMs:Int64}))
        WHERE judge != humans[1]
        ORDER BY cityHash64(trace_id)
        LIMIT {maxTraces:UInt32}`,
      params: { ...source.params, ...(stored ? rollups.params : {}), patternSubject: rubric },
      ...(stored ? { store: rollups.store } : { store }),
    };
  },
  ranges(windows, config) {
    const w = judgeWindows(windows, config.signals.judge);
    return { current: w.current, baseline: [w.baseline] };
  },
};
