/**
 * Pure verdicts of the dataset signal: the share of production traffic the eval set does not
 * cover (intents absent from it, or inputs far from every eval input), and whether it grew
 * significantly and practically over the baseline's (the shared rate-increase test, settled by
 * the decide stage). The alert lists the traces to promote into the eval set.
 */
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { measureRateIncrease, type RateFinding, type TooFew } from '../rate-increase.ts';
import { pct } from '../../core/format.ts';
import type { Judgement, SignalResult } from '../../core/verdict.ts';
import type { EvalItem } from './eval-set.ts';
import type { IntentRow, NoveltyRow } from './sql.ts';

export type DatasetRows =
  | { mode: 'missing'; reason: string }
  | { mode: 'intents'; evalSet: string; evalIntents: string[]; intents: IntentRow[] }
  | { mode: 'lexical'; evalSet: string; novelty: NoveltyRow[] };

/** How many uncovered intents of the current window the evidence names. */
const MAX_UNCOVERED_NAMES = 200;

const BASE = { signal: 'dataset_uncovered_share', driftMode: 'dataset', layer: 'dataset' } as const;

export function evaluateDataset(rows: DatasetRows, config: Config): Judgement[] {
  const d = config.signals.dataset;
  if (rows.mode === 'missing') {
    return [noData({ ...BASE, subject: { evalSet: 'none' } }, rows.reason)];
  }
  const thresholds = { minSamples: d.minSamples, minEvents: d.minEvents, alpha: d.alpha, minAbsoluteIncrease: d.minAbsoluteIncrease, minRelativeIncrease: d.minRelativeIncrease };
  if (rows.mode === 'intents') {
    const known = new Set(rows.evalIntents);
    const total = (cur: number) => rows.intents.filter((r) => r.cur === cur).reduce((s, r) => s + r.n, 0);
    const uncovered = rows.intents.filter((r) => !known.has(r.intent));
    const missing = (cur: number) => uncovered.filter((r) => r.cur === cur).reduce((s, r) => s + r.n, 0);
    const v = measureRateIncrease({ baselineEvents: missing(0), baselineTotal: total(0), currentEvents: missing(1), currentTotal: total(1) }, thresholds, 'inputs');
    const current = uncovered.filter((r) => r.cur === 1).sort((a, b) => b.n - a.n || a.intent.localeCompare(b.intent));
    const top = current.slice(0, 5);
    const traces = top.flatMap((r) => r.examples).slice(0, 10);
    return [
      verdict(
        rows.evalSet,
        v,
        { current: total(1), baseline: total(0) },
        traces,
        {
          mode: 'intents',
          uncoveredIntents: top.map((r) => ({ intent: r.intent, calls: r.n })),
          // Every intent of the current window the eval set lacks (busiest first, at most 200): a
          // falling rubric's gap to CI is split by them (the scores signal's attribute stage).
          uncoveredIntentNames: current.slice(0, MAX_UNCOVERED_NAMES).map((r) => r.intent),
          details: [
            `Intents the eval set does not have: ${top.map((r) => `${r.intent} (${r.n})`).join(', ') || 'none'}.`,
            `Promote these traces into the eval set as regression cases the next CI run must clear: ${traces.join(', ') || 'none'}.`,
          ],
        },
        `${pct(v.current ?? 0)} of traffic now has an intent the eval set ${rows.evalSet} lacks (${pct(v.baseline ?? 0)} in the baseline)${top.length > 0 ? `; top: ${top.map((r) => `${r.intent} ×${r.n}`).join(', ')}` : ''}`,
      ),
    ];
  }
  const c = rows.novelty.find((r) => r.cur === 1) ?? { cur: 1, n: 0, novel: 0, examples: [] };
  const b = rows.novelty.find((r) => r.cur === 0) ?? { cur: 0, n: 0, novel: 0, examples: [] };
  const v = measureRateIncrease({ baselineEvents: b.novel, baselineTotal: b.n, currentEvents: c.novel, currentTotal: c.n }, thresholds, 'inputs');
  return [
    verdict(
      rows.evalSet,
      v,
      { current: c.n, baseline: b.n },
      c.examples.slice(0, 10),
      {
        mode: 'lexical',
        noveltyDistance: d.noveltyDistance,
        details: [`Promote these traces (farthest from every eval input first) into the eval set as regression cases the next CI run must clear: ${c.examples.slice(0, 10).join(', ') || 'none'}.`],
      },
      `${pct(v.current ?? 0)} of sampled inputs are farther than ${d.noveltyDistance} (n-gram distance) from every input of the eval set ${rows.evalSet} (${pct(v.baseline ?? 0)} in the baseline)`,
    ),
  ];
}

/** The one shape of a dataset verdict, whichever way coverage was measured. */
function verdict(evalSet: string, v: TooFew | RateFinding, samples: SignalResult['samples'], traceIds: string[], extra: Record<string, unknown>, message: string): Judgement {
  const base = { ...BASE, subject: { evalSet }, value: v.current, baseline: v.baseline, samples };
  if (v.status === 'no_data') return noData(base, `${message}: ${v.reason}`, { unit: 'ratio', ...extra });
  return { ...base, status: 'tested', pValue: v.pValue, finding: v.finding, evidence: { traceIds, test: v.test, unit: 'ratio', ...extra }, message };
}

/** Intents mode applies when the eval set names intents and traffic carries them. */
export function evalIntents(items: readonly EvalItem[]): string[] {
  return [...new Set(items.map((i) => i.intent).filter((x) => x !== ''))];
}
