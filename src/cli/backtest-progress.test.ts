import { it } from 'node:test';
import assert from 'node:assert/strict';
import { backtestProgress } from './backtest-progress.ts';

it('backtest progress: rollups, then cycles at most every 2 s with an ETA from the cycles alone', () => {
  const lines: string[] = [];
  let t = 0;
  const progress = backtestProgress(
    (l) => lines.push(l),
    () => t,
  );
  progress({ phase: 'rollups', source: 'otel:otel_traces', done: false });
  t = 80_000;
  progress({ phase: 'rollups', source: 'otel:otel_traces', done: true });
  for (let done = 1; done <= 169; done++) {
    progress({ phase: 'cycles', done, total: 169 });
    t += 500; // half a second per cycle
  }
  assert.equal(lines[0], 'building rollups of otel:otel_traces over the replayed range…');
  assert.equal(lines[1], 'rollups of otel:otel_traces built in 1m20s');
  assert.equal(lines[2], '1/169 cycles');
  // 168 cycles left at 0.5 s each; the rollups' 80 s do not inflate the estimate.
  assert.equal(lines[3], '5/169 cycles, ETA 1m22s');
  assert.equal(lines.at(-1), '169/169 cycles');
  assert.ok(lines.length >= 40 && lines.length <= 46, `${lines.length} lines`);
});
