import { it } from 'node:test';
import assert from 'node:assert/strict';
import { whenText } from './status-page.ts';

it('gives a time to the minute, with how long ago or until', () => {
  const now = new Date('2026-12-06T20:44:30.123Z');
  const cases: [string, string][] = [
    ['2026-12-06T20:44:10.000Z', '2026-12-06 20:44 UTC (just now)'],
    ['2026-12-06T20:32:30.000Z', '2026-12-06 20:32 UTC (12 min ago)'],
    ['2026-12-06T17:44:30.000Z', '2026-12-06 17:44 UTC (3 h ago)'],
    ['2026-12-05T20:44:30.000Z', '2026-12-05 20:44 UTC (24 h ago)'],
    ['2026-12-01T20:44:30.000Z', '2026-12-01 20:44 UTC (5 d ago)'],
    ['2026-12-06T20:47:30.000Z', '2026-12-06 20:47 UTC (in 3 min)'],
  ];
  for (const [at, text] of cases) assert.equal(whenText(new Date(at), now), text, at);
});
