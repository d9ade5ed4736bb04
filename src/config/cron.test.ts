// Cron expressions are checked field by field: a step or value beyond its field's range is named, not accepted.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { cronProblem } from './cron.ts';

const valid = ['*/5 * * * *', '0 * * * *', '0 9-17 * * mon-fri', '30 2 1,15 * *', '0 0 * jan,jul sun', '0 0 * * monday-friday', '*/30 * * * * *', '0 0 * * 7', '5-55/10 * * * *'];
for (const expression of valid) it(`accepts ${expression}`, () => assert.equal(cronProblem(expression), null));

const invalid: [string, RegExp][] = [
  ['*/61 * * * *', /minute field "\*\/61": step 61 is outside 1–60/],
  ['*/0 * * * *', /step 0 is outside/],
  ['60 * * * *', /minute field "60": "60" is not a minute \(0–59\)/],
  ['0 24 * * *', /hour field/],
  ['0 0 32 * *', /day of month field/],
  ['0 0 * 13 *', /month field/],
  ['0 0 * * 8', /day of week field/],
  ['10-5 * * * *', /range "10-5" runs backwards/],
  ['* * * *', /has 4 fields/],
  ['*/a * * * *', /step "a" is not a whole number/],
  ['0 0 * * funday', /"funday" is not a day of week/],
  ['0 0 * * monkey', /"monkey" is not a day of week/],
  ['1-2-3 * * * *', /is not a value or a range/],
];
for (const [expression, problem] of invalid) it(`rejects ${expression}`, () => assert.match(cronProblem(expression) ?? 'accepted', problem));
