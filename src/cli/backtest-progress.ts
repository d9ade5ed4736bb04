import type { BacktestProgress } from '../app/backtest.ts';
import { formatDuration } from '../config/duration.ts';

/**
 * Progress lines of a backtest: when the rollups start and finish building, then cycles done
 * with an ETA at most every 2 seconds (and always the first and last).
 */
export function backtestProgress(say: (line: string) => void, now: () => number = () => performance.now()): (event: BacktestProgress) => void {
  let started = 0;
  let phaseStarted = 0;
  let lastLine = -Infinity;
  return (event) => {
    const t = now();
    if (event.phase === 'rollups') {
      if (!event.done) {
        phaseStarted = t;
        say(`building rollups of ${event.source} over the replayed range…`);
      } else say(`rollups of ${event.source} built in ${formatDuration(Math.round((t - phaseStarted) / 1000) * 1000)}`);
      return;
    }
    if (event.done === 1) started = t;
    if (t - lastLine < 2000 && event.done > 1 && event.done < event.total) return;
    lastLine = t;
    const perCycle = event.done > 1 ? (t - started) / (event.done - 1) : 0;
    const eta = event.done < event.total && perCycle > 0 ? `, ETA ${formatDuration(Math.max(1, Math.round((perCycle * (event.total - event.done)) / 1000)) * 1000)}` : '';
    say(`${event.done}/${event.total} cycles${eta}`);
  };
}
