/**
 * Where did a series change? A single change point by likelihood-ratio scan: every split of the
 * series into a before and an after segment is scored by the likelihood of the two-segment model,
 * the best split is the estimate, and the splits whose log-likelihood is within χ²₁(0.95)/2 = 1.92
 * of the best form its (profile-likelihood) 95% interval. Rates use a binomial likelihood per
 * segment (events out of trials), other values a Gaussian with one variance. Pure; no library
 * covers change points, so the formulas are written out and tested against hand-computed values.
 */

/** χ²₁ 95% quantile, halved: the log-likelihood drop that bounds the interval. */
const INTERVAL_DROP = 3.841458820694124 / 2;

export interface ChangePoint {
  /** Index of the first element after the change. */
  index: number;
  /** Earliest and latest first-after-change indices inside the 95% interval. */
  low: number;
  high: number;
  /** 2 × (log-likelihood of the split model − of one segment): evidence that anything changed. */
  lr: number;
}

export interface Counts {
  events: number;
  trials: number;
}

const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/** Binomial log-likelihood of a segment at its own pooled rate. */
function binomialLL(events: number, trials: number): number {
  if (trials === 0) return 0;
  const p = events / trials;
  return xlogy(events, p) + xlogy(trials - events, 1 - p);
}

/** The change point of a rate series (hours with no trials carry no information). */
export function rateChangePoint(series: readonly Counts[]): ChangePoint | null {
  const n = series.length;
  if (n < 2) return null;
  const total = series.reduce((s, c) => ({ events: s.events + c.events, trials: s.trials + c.trials }), { events: 0, trials: 0 });
  const null0 = binomialLL(total.events, total.trials);
  const scores: number[] = [];
  let before = { events: 0, trials: 0 };
  for (let k = 1; k < n; k++) {
    before = { events: before.events + series[k - 1]!.events, trials: before.trials + series[k - 1]!.trials };
    const after = { events: total.events - before.events, trials: total.trials - before.trials };
    scores.push(before.trials === 0 || after.trials === 0 ? Number.NEGATIVE_INFINITY : binomialLL(before.events, before.trials) + binomialLL(after.events, after.trials));
  }
  return best(scores, null0);
}

/**
 * The change point of counts against their expectations (Poisson with a multiplier per segment):
 * events[i] ~ Poisson(θ · expected[i]), θ changing once. The expectations carry what is known to
 * vary (the hour of day), so the scan finds what changed beyond it. A segment's log-likelihood at
 * its θ̂ = X/M is X·log(X/M) − X + Σ xᵢ·log mᵢ; the last two terms are the same for every split and
 * cancel in the ratio.
 */
export function poissonChangePoint(events: readonly number[], expected: readonly number[]): ChangePoint | null {
  const n = events.length;
  if (n < 2) return null;
  const ll = (x: number, m: number) => (x === 0 || m <= 0 ? 0 : x * Math.log(x / m));
  const X = events.reduce((s, x) => s + x, 0);
  const M = expected.reduce((s, m) => s + m, 0);
  const scores: number[] = [];
  let xb = 0;
  let mb = 0;
  for (let k = 1; k < n; k++) {
    xb += events[k - 1]!;
    mb += expected[k - 1]!;
    scores.push(mb <= 0 || M - mb <= 0 ? Number.NEGATIVE_INFINITY : ll(xb, mb) + ll(X - xb, M - mb));
  }
  return best(scores, ll(X, M));
}

/**
 * The change point of a mean (Gaussian, one variance for both segments); missing values are skipped.
 * The segment before a change needs two values to have a spread; the one after needs `minAfter`.
 * Hourly scans take 1: a drift found this hour is a change in the newest slot, and requiring two
 * there dated every fresh change an hour early, with an interval that missed it. Finer scans keep
 * 2, where one noisy bucket at the end would otherwise pass for the change.
 */
export function meanChangePoint(values: readonly (number | null)[], minAfter = 2): ChangePoint | null {
  const points = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null && Number.isFinite(p.v));
  if (points.length < 4) return null;
  const m = points.length;
  const sse = (xs: readonly number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    return xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  };
  // Profile log-likelihood of a Gaussian with the variance at its estimate: −m/2 · log(SSE/m).
  const ll = (e: number) => (-m / 2) * Math.log(Math.max(e, 1e-300) / m);
  const all = points.map((p) => p.v);
  const scores: number[] = [];
  for (let k = 1; k < m; k++) scores.push(k < 2 || m - k < minAfter ? Number.NEGATIVE_INFINITY : ll(sse(all.slice(0, k)) + sse(all.slice(k))));
  const cp = best(scores, ll(sse(all)));
  if (!cp) return null;
  // Back from positions among the present values to indices of the series.
  return { ...cp, index: points[cp.index]!.i, low: points[cp.low]!.i, high: points[cp.high]!.i };
}

/** The best split of `scores` (score of split k at k−1) against the one-segment log-likelihood. */
function best(scores: readonly number[], oneSegment: number): ChangePoint | null {
  let bestK = -1;
  for (let k = 0; k < scores.length; k++) if (bestK < 0 || scores[k]! > scores[bestK]!) bestK = k;
  if (bestK < 0 || !Number.isFinite(scores[bestK]!)) return null;
  const top = scores[bestK]!;
  const inside = scores.map((s, k) => (s >= top - INTERVAL_DROP ? k : -1)).filter((k) => k >= 0);
  return { index: bestK + 1, low: Math.min(...inside) + 1, high: Math.max(...inside) + 1, lr: 2 * (top - oneSegment) };
}
