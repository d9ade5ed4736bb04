/** The current and baseline windows of one evaluation, derived only from the evaluation time and config. */
import type { Config } from '../config/schema.ts';

export interface Range {
  from: Date;
  to: Date;
}

export interface Windows {
  current: Range;
  baseline: Range;
}

/**
 * The current window ends `ingestLag` before the evaluation time (floored to the minute, so
 * replicas and restarts evaluate identical windows); the baseline ends where it starts.
 */
export function computeWindows(at: Date, windows: Config['windows']): Windows {
  const evaluatedAt = Math.floor(at.getTime() / 60_000) * 60_000;
  const currentTo = evaluatedAt - windows.ingestLag;
  const currentFrom = currentTo - windows.current;
  return {
    current: { from: new Date(currentFrom), to: new Date(currentTo) },
    baseline: { from: new Date(currentFrom - windows.baseline), to: new Date(currentFrom) },
  };
}

/** The time-range query parameters every signal query takes. */
export function windowParams(w: Windows): { fromMs: number; currentFromMs: number; toMs: number } {
  return { fromMs: w.baseline.from.getTime(), currentFromMs: w.current.from.getTime(), toMs: w.current.to.getTime() };
}
