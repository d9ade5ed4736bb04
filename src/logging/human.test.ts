import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanLine } from './human.ts';

describe('humanLine', () => {
  const cases: [string, object, string][] = [
    ['ISO time, level, message', { level: 30, time: '2026-11-27T09:41:02.123Z', app: 'driftwatch', msg: 'cycle finished', drifting: 1 }, '2026-11-27T09:41:02.123Z INFO  cycle finished drifting=1\n'],
    ['epoch time is written as ISO', { level: 40, time: 0, msg: 'late' }, '1970-01-01T00:00:00.000Z WARN  late\n'],
    ['durations in …Ms fields as 5m', { level: 30, time: 't', msg: 'x', graceMs: 300_000, ms: 450 }, 't INFO  x graceMs=5m ms=450ms\n'],
    ['durations inside objects', { level: 30, time: 't', msg: 'started', windows: { currentMs: 3_600_000, baselineMs: 604_800_000 } }, 't INFO  started windows={"currentMs":"1h","baselineMs":"7d"}\n'],
    ['text from traces stays one escaped value', { level: 50, time: 't', msg: 'cycle failed', err: 'tool "x"\nINFO forged line' }, 't ERROR cycle failed err="tool \\"x\\"\\nINFO forged line"\n'],
  ];
  for (const [name, record, expected] of cases) it(name, () => assert.equal(humanLine(JSON.stringify(record)), expected));
  it('passes a line that is not JSON unchanged', () => assert.equal(humanLine('plain'), 'plain\n'));
});
