// Retry timing is decided in one place: backoff doubles from 15 s, honours the sink's own hint, caps at an hour.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { retryDelayMs } from './outbox.ts';
import { NotifyError } from './types.ts';

const retryable = (after?: number) => new NotifyError('linear', 'x', true, after);
const table: [string, number, NotifyError, number][] = [
  ['first retry', 1, retryable(), 15_000],
  ['third retry', 3, retryable(), 60_000],
  ['a long outage is capped', 20, retryable(), 3_600_000],
  ['retry-after longer than backoff wins', 1, retryable(120_000), 120_000],
  ['backoff longer than retry-after wins', 4, retryable(1_000), 120_000],
  ['a refusal waits an hour, but is kept', 1, new NotifyError('linear', 'x', false), 3_600_000],
];
for (const [name, attempts, err, expected] of table) it(name, () => assert.equal(retryDelayMs(attempts, err), expected));
