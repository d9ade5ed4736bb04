/**
 * Which drift mode a falling rubric means, read from the same cycle's other verdicts before its
 * configuration or its name: the judge of that rubric stopped agreeing with humans (then it is
 * the judge's own drift), or another layer of the same project drifted (retrieval moved, a prompt
 * version took over, a tool broke, end-to-end success fell, inputs shifted, the eval set stopped
 * covering them), in that order.
 */
import type { SignalResult } from '../../core/verdict.ts';
import type { Layer } from '../../core/verdict.ts';

/** The layers whose drift explains a score, the most specific first. */
const EXPLAINING: readonly Layer[] = ['retrieval', 'prompt', 'tool', 'agent', 'input', 'dataset'];

const scopeOf = (r: SignalResult) => r.subject['project'] ?? '';
const subjectText = (r: SignalResult) => Object.values(r.subject).join(' / ');

export function attributeScores(mine: readonly SignalResult[], others: readonly SignalResult[]): SignalResult[] {
  return mine.map((r) => {
    if (r.status !== 'drift') return r;
    const drifting = others.filter((o) => o.status === 'drift' && scopeOf(o) === scopeOf(r));
    const judge = drifting.find((o) => o.layer === 'judge' && o.subject['rubric'] === r.subject['rubric']);
    const layer = EXPLAINING.map((l) => drifting.find((o) => o.layer === l)).find((o) => o !== undefined);
    const by = judge ?? layer;
    if (!by) return r;
    const why = judge ? `the judge of ${r.subject['rubric']} stopped agreeing with humans in the same cycle (${by.signal})` : `the same cycle’s ${by.signal} drift (${subjectText(by)})`;
    const was = `reads as ${r.driftMode}, from ${String(r.evidence['modeFrom'])}`;
    return {
      ...r,
      driftMode: by.driftMode,
      evidence: { ...r.evidence, modeFrom: why, explainedBy: { signal: by.signal, subject: by.subject } },
      message: r.message.replace(was, `reads as ${by.driftMode}, from ${why}`),
    };
  });
}
