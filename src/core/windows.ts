/** The current and baseline windows of one evaluation, derived only from the evaluation time and config. */

export interface Range {
  from: Date;
  to: Date;
}

export interface Windows {
  current: Range;
  baseline: Range;
}

/** How long the windows are and how late spans arrive, in ms (config `windows`). */
export interface WindowSizes {
  current: number;
  baseline: number;
  ingestLag: number;
}

/** The default rollup bucket (config `rollups.bucket`). */
export const DEFAULT_BUCKET_MS = 5 * 60_000;

/**
 * The current window ends `ingestLag` before the evaluation time, floored to a rollup bucket
 * boundary (so replicas and restarts evaluate identical windows, and every window is a whole
 * number of buckets); the baseline ends where it starts.
 */
export function computeWindows(at: Date, windows: WindowSizes, bucketMs = DEFAULT_BUCKET_MS): Windows {
  const currentTo = Math.floor((at.getTime() - windows.ingestLag) / bucketMs) * bucketMs;
  const currentFrom = currentTo - windows.current;
  return {
    current: { from: new Date(currentFrom), to: new Date(currentTo) },
    baseline: { from: new Date(currentFrom - windows.baseline), to: new Date(currentFrom) },
  };
}

/** The middle of the baseline, on a bucket boundary (the retrieval signal's two baseline halves). */
export function baselineMidMs(w: Windows, bucketMs = DEFAULT_BUCKET_MS): number {
  return Math.floor((w.baseline.from.getTime() + w.current.from.getTime()) / 2 / bucketMs) * bucketMs;
}

/** The time-range query parameters every signal query takes. */
export function windowParams(w: Windows): { fromMs: number; currentFromMs: number; toMs: number } {
  return { fromMs: w.baseline.from.getTime(), currentFromMs: w.current.from.getTime(), toMs: w.current.to.getTime() };
}
