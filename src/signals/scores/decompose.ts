/**
 * How much of a gap to CI inputs the eval set never had explain: production's score is a mix of
 * covered and uncovered inputs, so the gap splits exactly into
 *
 *   within = CI − covered                       (inputs the eval set has, scoring worse than in CI)
 *   mix    = uncoveredShare × (covered − uncovered)  (inputs it lacks, scoring worse than covered ones)
 *
 * with within + mix = CI − production, in the rubric's "worse" direction. Pure.
 */

/** Production's score on one intent in the current window: its scored targets and their mean (or pass rate). */
export interface IntentScore {
  intent: string;
  n: number;
  value: number;
}

export interface GapSplit {
  /** The eval set whose coverage decided which intents are uncovered. */
  evalSet: string;
  /** Scored targets whose trace names an intent (the split is over these). */
  withIntent: number;
  /** Scored targets whose trace names none. */
  withoutIntent: number;
  uncoveredShare: number;
  coveredValue: number | null;
  uncoveredValue: number | null;
  /** The parts of the gap, in the rubric's worse direction (positive: production is worse). */
  mix: number;
  within: number;
  /** The uncovered intents that scored worst, busiest first. */
  worstUncovered: { intent: string; n: number; value: number }[];
}

/** Fewer scored targets with an intent than this, and there is nothing to split. */
export const MIN_WITH_INTENT = 20;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function weighted(rows: readonly IntentScore[]): { n: number; value: number | null } {
  const n = rows.reduce((s, r) => s + r.n, 0);
  return { n, value: n > 0 ? rows.reduce((s, r) => s + r.n * r.value, 0) / n : null };
}

/**
 * The split of `ci` − production over `byIntent`, `uncovered` naming the intents the eval set
 * lacks; `sign` is 1 when higher is better, −1 when lower is. Null without enough intents.
 */
export function splitGap(ci: number, byIntent: readonly IntentScore[], uncovered: ReadonlySet<string>, sign: 1 | -1, evalSet: string): GapSplit | null {
  const known = byIntent.filter((r) => r.intent !== '');
  const withoutIntent = byIntent.filter((r) => r.intent === '').reduce((s, r) => s + r.n, 0);
  const cov = weighted(known.filter((r) => !uncovered.has(r.intent)));
  const unc = weighted(known.filter((r) => uncovered.has(r.intent)));
  const total = cov.n + unc.n;
  if (total < MIN_WITH_INTENT) return null;
  const share = unc.n / total;
  // With no covered traffic there is no covered score to compare with: all of it is mix.
  const coveredValue = cov.value ?? unc.value!;
  const within = sign * (ci - coveredValue);
  const mix = unc.value === null ? 0 : sign * share * (coveredValue - unc.value);
  const worstUncovered = known
    .filter((r) => uncovered.has(r.intent))
    .sort((a, b) => sign * (a.value - b.value) || b.n - a.n || a.intent.localeCompare(b.intent))
    .slice(0, 5)
    .map((r) => ({ intent: r.intent, n: r.n, value: round(r.value) }));
  return {
    evalSet,
    withIntent: total,
    withoutIntent,
    uncoveredShare: round(share),
    coveredValue: cov.value === null ? null : round(cov.value),
    uncoveredValue: unc.value === null ? null : round(unc.value),
    mix: round(mix),
    within: round(within),
    worstUncovered,
  };
}

/** The split in one sentence, for the alert's evidence. */
export function describeSplit(s: GapSplit, unit: 'ratio' | 'score'): string {
  const show = (v: number | null) => (v === null ? 'n/a' : unit === 'ratio' ? `${(v * 100).toFixed(1)}%` : v.toFixed(3));
  const amount = (v: number) => (unit === 'ratio' ? `${(v * 100).toFixed(1)} points` : v.toFixed(3));
  const total = s.mix + s.within;
  // Covered inputs scoring above CI make `within` negative: the mix then carries all of it.
  const mixShare = total > 0 ? Math.round(Math.min(1, Math.max(0, s.mix / total)) * 100) : 0;
  return (
    `Of the gap, ${amount(s.mix)} (${mixShare}%) comes from inputs the eval set ${s.evalSet} does not cover ` +
    `(${(s.uncoveredShare * 100).toFixed(0)}% of scored traffic, scoring ${show(s.uncoveredValue)} against ${show(s.coveredValue)} on covered inputs) ` +
    `and ${amount(s.within)} from covered inputs scoring below CI` +
    (s.worstUncovered.length > 0 ? `; worst uncovered intents: ${s.worstUncovered.map((w) => `${w.intent} (${show(w.value)}, ${w.n})`).join(', ')}` : '') +
    (s.withoutIntent > 0 ? `; ${s.withoutIntent} scored traces name no intent and are left out of the split` : '') +
    '.'
  );
}
