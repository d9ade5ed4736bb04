/**
 * Where drift is decided, once per cycle. `evaluate` measures and tests (a `Tested` verdict with
 * its finding); the series stage adds the same-hours comparison of the ones that would drift;
 * this stage adjusts every p-value of the cycle together (Benjamini–Hochberg: many tools × several
 * rates per cycle would otherwise fire on noise every day) and settles each tested verdict: drift
 * only when its test is significant, its effect practical, the same hours of earlier days agree
 * and its adjusted p-value stays below its alpha. Its message then says the one reason why.
 *
 * The order of the checks only chooses which reason the message gives; the status is the same
 * whichever fails: the adjusted p-value is never below the raw one, nor below the seasonal one
 * (the verdict's p-value becomes the larger of the two, an intersection–union test).
 */
import { benjaminiHochberg } from '../stats/multiple-testing.ts';
import { formatP } from '../core/format.ts';
import { isTested, type Judgement, type SignalResult, type Tested } from '../core/verdict.ts';

/** A tested verdict's p-value: the larger of its own and the seasonal one, once that is made. */
const combinedP = (t: Tested): number => Math.max(t.pValue, t.finding.seasonal?.pValue ?? 0);

/** The p-value a verdict takes into the cycle's correction, or null when it takes none. */
function pValueOf(j: Judgement): number | null {
  if (isTested(j)) return combinedP(j);
  return j.pValue !== null && j.status !== 'no_data' && j.status !== 'error' ? j.pValue : null;
}

/**
 * Settles every tested verdict of the cycle. Verdicts settled by their signal (no data, novelty
 * rules, reports) keep their status; those with a p-value are counted in the correction and get
 * their adjusted p-value as evidence.
 */
export function decide(judgements: readonly Judgement[]): SignalResult[] {
  const counted = judgements.flatMap((j, i) => {
    const p = pValueOf(j);
    return p === null ? [] : [{ i, p }];
  });
  const adjusted = benjaminiHochberg(counted.map((c) => c.p));
  const byIndex = new Map(counted.map(({ i }, k) => [i, adjusted[k]!]));
  const tests = counted.length;
  return judgements.map((j, i) => {
    const pAdjusted = byIndex.get(i);
    if (isTested(j)) return settle(j, pAdjusted!, tests);
    return pAdjusted === undefined ? j : { ...j, evidence: { ...j.evidence, pValueAdjusted: pAdjusted, testsInCycle: tests } };
  });
}

function settle(t: Tested, pAdjusted: number, testsInCycle: number): SignalResult {
  const { finding, status: _tested, ...verdict } = t;
  const { alpha, practical, seasonal } = finding;
  const evidence = { ...t.evidence, alpha, pValueAdjusted: pAdjusted, testsInCycle, ...(seasonal ? { pValueWholeBaseline: t.pValue } : {}) };
  const pValue = combinedP(t);
  const whyNot =
    t.pValue >= alpha
      ? `not significant (p=${formatP(t.pValue)} ≥ ${alpha})`
      : practical !== true
        ? practical
        : seasonal && seasonal.pValue >= alpha
          ? seasonal.clause
          : pAdjusted >= alpha
            ? `not significant once corrected for ${testsInCycle} tests this cycle (adjusted p=${formatP(pAdjusted)} ≥ ${alpha})`
            : null;
  if (whyNot !== null) return { ...verdict, status: 'ok', pValue, evidence, message: `${t.message}: ${whyNot}` };
  return { ...verdict, status: 'drift', pValue, evidence: { ...evidence, ...finding.ifDrift }, message: `${t.message}: ${finding.meaning}` };
}
