// SVG sparklines: one vertex per hour with data, gaps split the line, the onset and the current window marked.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { svgSparkline } from './svg-sparkline.ts';
import { escapeHtml } from '../http/status-page.ts';

const FROM = '2026-11-20T00:00:00.000Z';
const current = { from: '2026-11-20T04:00:00.000Z', to: '2026-11-20T05:00:00.000Z' };
const draw = (values: (number | null)[], onset?: string) => svgSparkline({ from: FROM, values, current, onset: onset ? { at: onset } : undefined, label: 'x <y>' }, escapeHtml);
const polylines = (svg: string) => [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));

it('a flat series is one level line through every hour', () => {
  const svg = draw([2, 2, 2, 2, 2]);
  const [line] = polylines(svg);
  assert.equal(line!.length, 5);
  assert.equal(new Set(line!.map(([, y]) => y)).size, 1);
  assert.match(svg, /data-hours="5" data-points="5"/);
});

it('a single spike is the one high vertex', () => {
  const [line] = polylines(draw([1, 1, 9, 1, 1]));
  const ys = line!.map(([, y]) => y!);
  assert.equal(ys.indexOf(Math.min(...ys)), 2, 'SVG y grows downwards: the spike has the smallest y');
});

it('missing hours split the line; a lone hour is a dot', () => {
  const svg = draw([1, 2, null, 3, null, null, 4, 5]);
  assert.deepEqual(
    polylines(svg).map((l) => l.length),
    [2, 2],
  );
  assert.equal((svg.match(/<circle /g) ?? []).length, 1);
  assert.match(svg, /data-hours="8" data-points="5"/);
});

it('marks the onset and shades the current window; the label is escaped', () => {
  const svg = draw([1, 1, 1, 5, 5, 5], '2026-11-20T03:00:00.000Z');
  assert.match(svg, /<line class="onset" x1="(\d+\.\d)"/);
  assert.match(svg, /<rect class="current" x="\d+\.\d"/);
  assert.match(svg, /<title>x &lt;y&gt;<\/title>/);
  assert.doesNotMatch(draw([1, 2]), /class="onset"/);
});

it('a week of hours shows the last 48 at a glance, with the axis labelled', () => {
  const week = Array.from({ length: 169 }, (_, i) => (i === 168 ? 0.2 : 0.02));
  const svg = svgSparkline(
    { from: FROM, values: week, current: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T01:00:00.000Z' }, label: 'rate', format: (v) => `${(v * 100).toFixed(1)}%` },
    escapeHtml,
  );
  assert.match(svg, /data-hours="48" data-points="48"/);
  assert.match(svg, />20\.0%<\/text>/, 'the highest value');
  assert.match(svg, />2\.0%<\/text>/, 'the lowest value');
  assert.match(svg, />48 h ago<\/text>.*>now<\/text>/);
  // The onset 6 hours before the end lies inside what is shown; one 3 days back does not.
  const onsetAt = (at: string) => svgSparkline({ from: FROM, values: week, current: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T01:00:00.000Z' }, onset: { at }, label: 'x' }, escapeHtml);
  assert.match(onsetAt('2026-11-26T18:00:00.000Z'), /class="onset"/);
  assert.doesNotMatch(onsetAt('2026-11-24T00:00:00.000Z'), /class="onset"/);
});
