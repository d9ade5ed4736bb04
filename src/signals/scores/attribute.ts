/**
 * Which drift mode a falling rubric means, read from the same cycle's other verdicts before its
 * configuration or its name: the judge of that rubric stopped agreeing with humans (then it is
 * the judge's own drift); a gap to CI carried mostly by inputs the eval set does not cover (the
 * dataset verdict names them; then it is dataset drift); or another layer of the same project
 * drifted on the traces it scored low (retrieval moved, a prompt version took over, a tool broke,
 * end-to-end success fell, inputs shifted, the eval set stopped covering them), in that order. A
 * drift elsewhere at the same time (another tool, another retriever) is not an explanation.
 */
import type { SignalResult } from '../../core/verdict.ts';
import type { Layer } from '../../core/verdict.ts';
import { describeSplit, splitGap, type GapSplit, type IntentScore } from './decompose.ts';
import { touches, type LowTraceFacts } from './trace-facts.ts';

/** The layers whose drift explains a score, the most specific first. */
const EXPLAINING: readonly Layer[] = ['retrieval', 'prompt', 'tool', 'agent', 'input', 'dataset'];

/** A gap whose uncovered inputs carry at least this share of it is the eval set's drift. */
const MIX_DECIDES = 0.5;

/** How many of a gap's intents its evidence keeps once the split is made (busiest first). */
const INTENTS_KEPT = 10;

const scopeOf = (r: SignalResult) => r.subject['project'] ?? '';
const subjectText = (r: SignalResult) => Object.values(r.subject).join(' / ');

export function attributeScores(mine: readonly SignalResult[], others: readonly SignalResult[]): SignalResult[] {
  return mine.map((r) => {
    if (r.status !== 'drift') return r;
    const withSplit = splitOf(r, others);
    const split = withSplit.evidence['gapSplit'] as GapSplit | undefined;
    const drifting = others.filter((o) => o.status === 'drift' && scopeOf(o) === scopeOf(r));
    const judge = drifting.find((o) => o.layer === 'judge' && o.subject['rubric'] === r.subject['rubric']);
    const total = split ? split.mix + split.within : 0;
    const byMix = !judge && split && total > 0 && split.mix / total >= MIX_DECIDES;
    // With what happened in the traces it scored low, only a drift about those traces explains it;
    // without (a backtest, or the facts could not be read), any drift of the same project.
    const facts = r.evidence['lowTraceFacts'] as LowTraceFacts | undefined;
    const about = facts ? drifting.filter((o) => touches(o, facts, r.subject['rubric'] ?? '')) : drifting;
    const layer = EXPLAINING.map((l) => about.find((o) => o.layer === l)).find((o) => o !== undefined);
    const was = `reads as ${r.driftMode}, from ${String(r.evidence['modeFrom'])}`;
    if (byMix) {
      const why = `inputs the eval set ${split.evalSet} does not cover carrying ${Math.round((split.mix / total) * 100)}% of the gap`;
      return { ...withSplit, driftMode: 'dataset', evidence: { ...withSplit.evidence, modeFrom: why }, message: withSplit.message.replace(was, `reads as dataset, from ${why}`) };
    }
    const by = judge ?? layer;
    if (!by) return withSplit;
    const why = judge
      ? `the judge of ${r.subject['rubric']} stopped agreeing with humans in the same cycle (${by.signal})`
      : `the same cycle’s ${by.signal} drift (${subjectText(by)})${facts && onLow(by, facts) !== null ? ` on ${onLow(by, facts)} of the ${facts.traces} traces it scored low` : ''}`;
    return {
      ...withSplit,
      driftMode: by.driftMode,
      evidence: { ...withSplit.evidence, modeFrom: why, explainedBy: { signal: by.signal, subject: by.subject } },
      message: withSplit.message.replace(was, `reads as ${by.driftMode}, from ${why}`),
    };
  });
}

/**
 * A drifting gap with production's scores per intent (`evidence.byIntent`), split by the same
 * project's dataset verdict into inputs the eval set lacks and covered inputs scoring worse.
 */
function splitOf(r: SignalResult, others: readonly SignalResult[]): SignalResult {
  const byIntent = r.evidence['byIntent'] as IntentScore[] | undefined;
  if (r.signal !== 'eval_gap' || !byIntent || r.baseline === null) return r;
  const kept = { ...r, evidence: { ...r.evidence, byIntent: byIntent.slice(0, INTENTS_KEPT) } };
  const dataset = others.find((o) => o.layer === 'dataset' && scopeOf(o) === scopeOf(r) && Array.isArray(o.evidence['uncoveredIntentNames']));
  if (!dataset) return kept;
  // Production is worse than CI by `gap` = sign × (CI − production): the sign is the rubric's direction.
  const sign = r.value !== null && Number(r.evidence['gap']) * (r.baseline - r.value) < 0 ? -1 : 1;
  const split = splitGap(r.baseline, byIntent, new Set(dataset.evidence['uncoveredIntentNames'] as string[]), sign, dataset.subject['evalSet'] ?? 'eval set');
  if (!split) return kept;
  const line = describeSplit(split, r.evidence.unit === 'ratio' ? 'ratio' : 'score');
  return { ...kept, evidence: { ...kept.evidence, gapSplit: split, details: [...(kept.evidence.details ?? []), line] }, message: `${r.message}. ${line}` };
}

/** On how many of the low-scoring traces the explaining drift was seen (null: not counted per trace, a rubric's own prompt mismatch). */
function onLow(by: SignalResult, facts: LowTraceFacts): number | null {
  const key = { tool: ['failingTools', 'tool'], retrieval: ['retrievers', 'retriever'], prompt: ['prompts', 'prompt'], agent: ['agents', 'agent'], input: ['services', 'service'] } as const;
  const k = key[by.layer as keyof typeof key];
  const value = k ? by.subject[k[1]] : undefined;
  return k && value !== undefined ? (facts[k[0]][value] ?? null) : null;
}
