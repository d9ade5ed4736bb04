/**
 * The fast path: a fresh change fills a short window (the newest 15 minutes) long before it stands
 * out in the current hour, where three quarters of the data still predate it. Each tested verdict
 * that does not drift on the current window is tested again on the short one, at a share of its
 * alpha (`windows.fast.alphaShare`), so a subject's two tests spend at most (1 + share) × alpha of
 * false alarms together (a union bound). A short-window verdict that would drift takes the place
 * of the hour's and goes on to the same checks as any other: practical effect (already in its
 * test), the seasonal comparison of the current hour at the stricter alpha, and the cycle's
 * Benjamini–Hochberg correction. Its evidence says which path fired (`evidence.fastPath`).
 */
import { formatDuration } from '../config/duration.ts';
import { isTested, seriesKey, wouldDrift, type Judgement, type Tested } from '../core/verdict.ts';
import type { Windows } from '../core/windows.ts';
import type { Onset } from './onset.ts';

/** The short window (the newest `fastMs` of the current one) and a baseline of the usual length just before it. */
export function fastWindows(w: Windows, fastMs: number): Windows {
  const to = w.current.to.getTime();
  const from = to - fastMs;
  const baselineMs = w.baseline.to.getTime() - w.baseline.from.getTime();
  return { current: { from: new Date(from), to: new Date(to) }, baseline: { from: new Date(from - baselineMs), to: new Date(from) } };
}

/**
 * The hour's verdicts, each tested one that would not drift replaced by its short-window verdict
 * when that would drift at `alphaShare` × its alpha. Verdicts the signal settled itself (no data,
 * novelty rules), those the hour already finds drifting and those of a facet held against a fixed
 * reference (`fixedReference`: a gap to CI is a level, not a change) are kept as they are.
 */
export function withFastPath(hour: readonly Judgement[], fast: readonly Judgement[], fastWindow: Windows, alphaShare: number, fixedReference: ReadonlySet<string> = new Set()): Judgement[] {
  const short = new Map(fast.filter(isTested).map((t) => [seriesKey(t), t]));
  return hour.map((h) => {
    if (!isTested(h) || wouldDrift(h) || fixedReference.has(h.signal)) return h;
    const f = short.get(seriesKey(h));
    if (!f) return h;
    const strict: Tested = { ...f, finding: { ...f.finding, alpha: f.finding.alpha * alphaShare } };
    if (!wouldDrift(strict)) return h;
    const span = formatDuration(fastWindow.current.to.getTime() - fastWindow.current.from.getTime());
    return {
      ...strict,
      message: `${f.message} in the last ${span}`,
      evidence: {
        ...f.evidence,
        fastPath: {
          window: { from: fastWindow.current.from.toISOString(), to: fastWindow.current.to.toISOString() },
          alpha: strict.finding.alpha,
          // What the whole current window said, for the alert's reader.
          currentWindow: { value: h.value, baseline: h.baseline, samples: h.samples, pValue: h.pValue },
        },
      },
    };
  });
}

/**
 * Where a change the short window found began, before refinement: in the short window or in as
 * long again before it (the hour would have found an older one). The hourly series cannot say: its
 * newest hour holds a quarter hour of the change, so its scan dates it an hour or more early. The
 * 5-minute refinement looks inside this interval alone. Null for a verdict the hour found.
 */
export function shortWindowOnset(r: Pick<Judgement, 'evidence'>, bucketMs: number): Onset | null {
  const path = r.evidence['fastPath'] as { window: { from: string; to: string } } | undefined;
  if (!path) return null;
  const fromMs = Date.parse(path.window.from);
  const toMs = Date.parse(path.window.to);
  return {
    at: path.window.from,
    earliest: new Date(2 * fromMs - toMs).toISOString(),
    latest: new Date(toMs - bucketMs).toISOString(),
    stepMinutes: (toMs - fromMs) / 60_000,
    method: 'the short window that found it',
  };
}
