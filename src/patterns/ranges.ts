/**
 * Which hours the pattern step reads: the current window, and the same clock hours on each earlier
 * day of the baseline (a week's baseline: seven hours, about 4% of its spans). Same clock hours keep
 * the daily rhythm out of the comparison and bound the cost; reading the whole baseline would cost a
 * raw scan of the week on every drifting verdict.
 */
import type { Windows } from '../core/windows.ts';
import type { SampledRanges } from './types.ts';

const DAY = 86_400_000;

export function sampledRanges(w: Windows): SampledRanges {
  const from = w.current.from.getTime();
  const to = w.current.to.getTime();
  const baseline = [];
  if (to - from <= DAY) {
    for (let k = 1; from - k * DAY >= w.baseline.from.getTime(); k++) baseline.push({ from: new Date(from - k * DAY), to: new Date(to - k * DAY) });
  }
  // A baseline shorter than a day (or a current window of days): the whole baseline.
  return { current: w.current, baseline: baseline.length > 0 ? baseline : [w.baseline] };
}
