/** The judge signal's own, longer windows: they end where the global current window ends. */
import type { Config } from '../../config/shape.ts';
import type { Range, Windows } from '../../core/windows.ts';

export interface JudgeWindows {
  current: Range;
  baseline: Range;
}

export function judgeWindows(global: Windows, j: Config['signals']['judge']): JudgeWindows {
  const to = global.current.to.getTime();
  const currentFrom = to - j.windows.current;
  return {
    current: { from: new Date(currentFrom), to: new Date(to) },
    baseline: { from: new Date(currentFrom - j.windows.baseline), to: new Date(currentFrom) },
  };
}
