import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { humanLine } from './human.ts';

describe('humanLine', () => {
  const cases: [string, object, string][] = [
    ['ISO time, level, message', { level: 30, time: '2026-11-27T09:41:02.123Z', app: 'driftwatch', msg: 'cycle finished', drifting: 1 }, '2026-11-27T09:41:02.123Z INFO  cycle finished drifting=1\n'],
    ['epoch time is written as ISO', { level: 40, time: 0, msg: 'late' }, '1970-01-01T00:00:00.000Z WARN  late\n'],
    ['durations in …Ms fields as 5m', { level: 30, time: 't', msg: 'x', graceMs: 300_000, ms: 450 }, 't INFO  x graceMs=5m ms=450ms\n'],
    [
      'durations inside objects',
      { level: 30, time: 't', msg: 'started', windows: { currentMs: 3_600_000, baselineMs: 604_800_000 } },
      't INFO  started windows={"currentMs":"1h","baselineMs":"7d"}\n',
    ],
    [
      'an error logged as { err }: its message for people',
      { level: 50, time: 't', msg: 'cycle failed', err: { type: 'SourceError', message: 'store down', stack: 'SourceError: store down\n    at x' } },
      't ERROR cycle failed err="store down"\n',
    ],
    ['text from traces stays one escaped value', { level: 50, time: 't', msg: 'cycle failed', err: 'tool "x"\nINFO forged line' }, 't ERROR cycle failed err="tool \\"x\\"\\nINFO forged line"\n'],
  ];
  for (const [name, record, expected] of cases) it(name, () => assert.equal(humanLine(JSON.stringify(record)), expected));
  it('passes a line that is not JSON unchanged', () => assert.equal(humanLine('plain'), 'plain\n'));

  // A tool name a span controls, with CR/LF (a forged line), ESC (terminal control), NUL and BEL.
  const HOSTILE = 'refund\r\n2026-01-01T00:00:00.000Z INFO  forged\u001b[2J\u0000\u0007\u009b\u202e';
  const VISIBLE = 'refund\\r\\n2026-01-01T00:00:00.000Z INFO  forged\\x1b[2J\\x00\\x07\\x9b\\u202e';
  const controls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
  it('writes trace text in a message, a key and a value as visible escapes, in one line', () => {
    const line = humanLine(JSON.stringify({ level: 40, time: 't', msg: `tool ${HOSTILE} failed`, [HOSTILE]: 1, tool: HOSTILE }));
    assert.equal(line.split('\n').length, 2, 'one line and its newline');
    assert.ok(!controls.test(line), JSON.stringify(line));
    assert.ok(line.startsWith(`t WARN  tool ${VISIBLE} failed `), line);
    assert.ok(line.includes('forged\\u001b[2J'), 'JSON-escaped inside the value');
  });
  it('escapes the controls of a line that is not JSON', () => assert.equal(humanLine(`x${HOSTILE}\n`), `x${VISIBLE}\n`));
  it('the JSON format, from the real logger, keeps the text whole and every control escaped', () => {
    for (const format of ['json', 'human'] as const) {
      const script = `import { createLogger } from './src/logging/logger.ts'; createLogger('info', undefined, '${format}').warn({ tool: ${JSON.stringify(HOSTILE)} }, ${JSON.stringify(`tool ${HOSTILE}`)});`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(run.stderr.split('\n').length, 2, `${format}: one line: ${JSON.stringify(run.stderr)}`);
      assert.ok(!controls.test(run.stderr), `${format}: ${JSON.stringify(run.stderr)}`);
      if (format === 'json') assert.equal(JSON.parse(run.stderr).tool, HOSTILE);
    }
  });
});
