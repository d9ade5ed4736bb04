/**
 * What a falling rubric's alert needs beyond its decision, read only when it drifts: what happened
 * in the traces it scored low (`evidence.lowTraceFacts`: tools that failed, retrievers, prompts,
 * agents), and for a gap to CI production's scores per intent of the judged traces
 * (`evidence.byIntent`). The attribute stage reads both against the same cycle's other verdicts:
 * which drift is about these traces, and how much of the gap inputs the eval set lacks carry.
 */
import type { CollectContext } from '../../rollups/context.ts';
import type { SignalResult } from '../../core/verdict.ts';
import type { IntentScore } from './decompose.ts';
import { lowTraceFacts } from './trace-facts.ts';
import { FAIL_LABELS, PASS_LABELS, scoresByIntentSql, type IntentScoreRow } from './sql.ts';

export async function explainScores(verdicts: SignalResult[], ctx: CollectContext): Promise<SignalResult[]> {
  const withFacts: SignalResult[] = [];
  for (const r of await scoresByIntent(verdicts, ctx)) {
    const facts = r.status === 'drift' ? await lowTraceFacts(r, ctx) : null;
    withFacts.push(facts ? { ...r, evidence: { ...r.evidence, lowTraceFacts: facts } } : r);
  }
  return withFacts;
}

/** A drifting gap's per-intent scores, as `evidence.byIntent` (at most 200 intents, busiest first). */
async function scoresByIntent(verdicts: SignalResult[], { store, source, windows, config }: CollectContext): Promise<SignalResult[]> {
  const gaps = verdicts.filter((r) => r.signal === 'eval_gap' && r.status === 'drift' && r.subject['rubric'] !== undefined);
  if (gaps.length === 0) return verdicts;
  const withThreshold = config.rubrics.filter((r) => r.passThreshold !== undefined);
  const rows = await store.query<IntentScoreRow>(
    scoresByIntentSql(source),
    {
      ...source.params,
      rubrics: [...new Set(gaps.map((g) => g.subject['rubric']!))],
      passLabels: PASS_LABELS,
      failLabels: FAIL_LABELS,
      thresholdRubrics: withThreshold.map((r) => r.name),
      thresholdValues: withThreshold.map((r) => r.passThreshold!),
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

/** One intent's mean score, or its pass rate for a pass/fail rubric; null when it has neither. */
function intentScore(x: IntentScoreRow, passFail: boolean, declared: { passThreshold?: number | undefined; higherIsBetter: boolean } | undefined): IntentScore | null {
  const num = (v: unknown) => Number(v);
  if (passFail) {
    const threshold = declared?.passThreshold !== undefined;
    const total = threshold ? num(x.scored) : num(x.passes) + num(x.fails);
    const passes = threshold ? (declared!.higherIsBetter ? num(x.thresholdPasses) : num(x.scored) - num(x.thresholdPasses)) : num(x.passes);
    return total > 0 ? { intent: x.intent, n: total, value: passes / total } : null;
  }
  return num(x.scored) > 0 && x.mean !== null ? { intent: x.intent, n: num(x.scored), value: num(x.mean) } : null;
}
