/**
 * Many tools × several rates per cycle means many tests; without correction some would fire on
 * noise every day. Every p-value of a cycle is adjusted together (Benjamini–Hochberg) and a
 * drift verdict stands only when its adjusted p-value is below its signal's alpha.
 */
import { benjaminiHochberg } from '../stats/multiple-testing.ts';
import { formatP } from '../core/format.ts';
import type { SignalResult } from '../core/verdict.ts';
import type { Decision } from '../core/facet.ts';

/**
 * `decided` says which facets are decided by a test (their declared `decision`): only their drifts
 * can be taken back; a novelty rule's verdict keeps its status, whatever its evidence holds.
 */
export function correctForMultipleTests(results: readonly SignalResult[], decided: (signal: string) => Decision | undefined): SignalResult[] {
  const tested = results.map((r, i) => ({ r, i })).filter(({ r }) => r.pValue !== null && r.status !== 'no_data' && r.status !== 'error');
  const adjusted = benjaminiHochberg(tested.map(({ r }) => r.pValue!));
  const byIndex = new Map(tested.map(({ i }, k) => [i, adjusted[k]!]));
  return results.map((r, i) => {
    const pAdj = byIndex.get(i);
    if (pAdj === undefined) return r;
    const alpha = r.evidence.alpha;
    const evidence = { ...r.evidence, pValueAdjusted: pAdj, testsInCycle: tested.length };
    if (r.status === 'drift' && decided(r.signal) === 'test' && alpha !== undefined && pAdj >= alpha) {
      return { ...r, status: 'ok', evidence, message: `${r.message}; not significant after correcting for ${tested.length} tests this cycle (adjusted p=${formatP(pAdj)})` };
    }
    return { ...r, evidence };
  });
}
