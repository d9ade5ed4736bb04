// Retry-After in both of HTTP's forms, and what gives no hint.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterMs } from './retry-after.ts';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const CASES: [string, string | null | undefined, number | undefined][] = [
  ['seconds', '120', 120_000],
  ['seconds with spaces', ' 7 ', 7_000],
  ['zero seconds', '0', 0],
  ['an HTTP date', 'Sat, 05 Dec 2026 12:01:30 GMT', 90_000],
  ['an HTTP date already past', 'Sat, 05 Dec 2026 11:59:00 GMT', undefined],
  ['a negative number', '-5', undefined],
  ['a fraction', '1.5', undefined],
  ['garbage', 'soon', undefined],
  ['an exponent is not whole seconds', '1e3', undefined],
  ['absent', null, undefined],
  ['empty', '', undefined],
];
for (const [name, header, expected] of CASES) it(`retryAfterMs: ${name}`, () => assert.equal(retryAfterMs(header, NOW), expected));
