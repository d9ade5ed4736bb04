import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRetryDelayMs } from './start-backoff.ts';

describe('startRetryDelayMs', () => {
  const cases: [attempt: number, ms: number][] = [
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [8, 60_000],
    [1_000, 60_000],
  ];
  for (const [attempt, ms] of cases) it(`waits ${ms} ms after failure ${attempt}`, () => assert.equal(startRetryDelayMs(attempt), ms));

  it('takes the first delay and the cap it is given', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => startRetryDelayMs(n, 50, 150)),
      [50, 100, 150, 150],
    );
  });

  for (const bad of [0, -1, 1.5, Number.NaN]) {
    it(`refuses attempt ${bad}`, () => assert.throws(() => startRetryDelayMs(bad), /positive integer/));
  }
});
