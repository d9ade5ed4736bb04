// Unicode sparklines: flat series, a single spike, missing hours, and more hours than characters.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { labelledSparkline, sparkline } from './sparkline.ts';

const cases: [string, (number | null)[], number | undefined, string][] = [
  ['a flat series is a flat middle line', [3, 3, 3, 3], undefined, '▄▄▄▄'],
  ['a single spike reaches the top, the rest stays at the bottom', [1, 1, 1, 9, 1], undefined, '▁▁▁█▁'],
  ['a ramp climbs every level', [0, 1, 2, 3, 4, 5, 6, 7], undefined, '▁▂▃▄▅▆▇█'],
  ['missing hours are gaps, not zeros', [2, null, 4, null, 6], undefined, '▁·▅·█'],
  ['no data at all is all gaps', [null, null], undefined, '··'],
  ['more hours than characters: each keeps its largest, so a spike survives', [1, 1, 1, 1, 1, 9, 1, 1], 4, '▁▁█▁'],
  ['a group without any data is a gap', [1, 2, null, null, 3, 4], 3, '▁·█'],
];
for (const [name, values, width, expected] of cases) it(name, () => assert.equal(sparkline(values, width), expected));

it('labels the range in the value’s unit, over the last hours', () => {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  assert.equal(labelledSparkline([0.5, 0.02, 0.02, 0.18], pct, 3), '▁▁█ 2.0%–18.0%, last 3 h');
  assert.equal(labelledSparkline([null, 0.1], pct, 48), null, 'one point is not a line');
});
