/**
 * What a falling rubric's alert needs beyond its decision, read only when it drifts: what happened
 * in the traces it scored low (`evidence.lowTraceFacts`: tools that failed, retrievers, prompts,
 * agents; only the kinds another drift of the cycle can be about), and for a gap to CI
 * production's scores per intent of the judged traces (`evidence.byIntent`). The attribute stage reads both against the same cycle's other verdicts:
 * which drift is about these traces, and how much of the gap inputs the eval set lacks carry.
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import type { IntentScore } from './decompose.ts';
import { factsAskedBy, lowTraceFacts } from './trace-facts.ts';
import { windowRoots } from './window-roots.ts';
import { scoresByIntentSql, type IntentScoreRow } from './sql.ts';
import { thresholdParams } from './rollups.ts';
import { passCounts } from './evaluate.ts';
import type { Rubric } from '../../config/shape.ts';

export async function explainScores(verdicts: SignalResult[], ctx: CollectContext, cycle: readonly SignalResult[]): Promise<SignalResult[]> {
  const withIntents = await scoresByIntent(verdicts, ctx);
  const facts = await lowTraceFacts(
    withIntents.filter((r) => r.status === 'drift'),
    ctx,
    factsAskedBy(cycle),
  );
  return withIntents.map((r) => {
    const mine = facts.get(r);
    return mine ? { ...r, evidence: { ...r.evidence, lowTraceFacts: mine } } : r;
  });
}

/**
 * A drifting gap's per-intent scores, as `evidence.byIntent` (at most 200 intents, busiest first;
 * judged traces whose root names none count under ''; empty when no root of the window names one).
 */
async function scoresByIntent(verdicts: SignalResult[], ctx: CollectContext): Promise<SignalResult[]> {
  const { store, source, windows, config } = ctx;
  const gaps = verdicts.filter((r) => r.signal === 'eval_gap' && r.status === 'drift' && r.subject['rubric'] !== undefined);
  if (gaps.length === 0) return verdicts;
  // Grouping the window's judgements by intent costs a pass over them; when no root of the window
  // names an intent (a cheap look at the roots) there is nothing to group by.
  if ((await windowRoots(ctx)).intents === 0) return verdicts.map((r) => (gaps.includes(r) ? { ...r, evidence: { ...r.evidence, byIntent: [] } } : r));
  const rows = await store.query<IntentScoreRow>(
    scoresByIntentSql(source),
    {
      ...source.params,
      rubrics: [...new Set(gaps.map((g) => g.subject['rubric']!))],
      ...thresholdParams(config),
      // Roots up to a trace's longest duration before the window: a judgement may come after its answer.
      fromMs: windows.current.from.getTime() - source.conventions.maxTraceDuration,
      currentFromMs: windows.current.from.getTime(),
      toMs: windows.current.to.getTime(),
    },
    { comment: 'driftwatch explain scores' },
  );
  return verdicts.map((r) => {
    if (!gaps.includes(r)) return r;
    const declared = config.rubrics.find((x) => x.name === r.subject['rubric']);
    const mine = rows.filter((x) => x.rubric === r.subject['rubric'] && x.evaluator === (r.subject['evaluator'] ?? x.evaluator));
    const byIntent = mine.map((x) => intentScore(x, r.evidence.unit === 'ratio', declared)).filter((x): x is IntentScore => x !== null);
    return { ...r, evidence: { ...r.evidence, byIntent } };
  });
}

/** One intent's mean score, or its pass rate for a pass/fail rubric (as the verdict counts it); null when it has neither. */
function intentScore(x: IntentScoreRow, passFail: boolean, declared: Rubric | undefined): IntentScore | null {
  // ClickHouse sends 64-bit counts as text.
  const counts = { passes: Number(x.passes), fails: Number(x.fails), thresholdPasses: Number(x.thresholdPasses), scored: Number(x.scored) };
  if (passFail) {
    const { passes, total } = passCounts(counts, declared);
    return total > 0 ? { intent: x.intent, n: total, value: passes / total } : null;
  }
  return counts.scored > 0 && x.mean !== null ? { intent: x.intent, n: counts.scored, value: Number(x.mean) } : null;
}
