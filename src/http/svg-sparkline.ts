/**
 * A verdict's hourly series as an inline SVG for people: the last 48 hours at a glance, one vertex
 * per hour with data (gaps break the line), the current window shaded, the onset as a vertical
 * marker, and an axis: the highest and lowest value shown, "48 h ago" and "now". No script, no
 * external reference; nothing here comes from a trace except numbers, and the label is escaped
 * by the caller's rules.
 */

const WIDTH = 280;
const PLOT_HEIGHT = 40;
/** Room for the time axis under the plot, and for the value labels left of it. */
const AXIS = 12;
const LEFT = 44;
const PAD = 2;
const HEIGHT = PLOT_HEIGHT + AXIS;
const HOUR_MS = 3_600_000;
/** How much of the series a glance shows: two days, enough to see yesterday's same hour. */
export const HOURS_SHOWN = 48;

export interface SvgSparklineInput {
  from: string;
  values: readonly (number | null)[];
  /** The current window, shaded. */
  current: { from: string; to: string };
  onset?: { at: string } | undefined;
  /** Plain-text description for screen readers and the tooltip (escaped by the caller's rules). */
  label: string;
  /** How a value reads on the axis (`12.5%`, `840 ms`); plain numbers by default. */
  format?: (v: number) => string;
}

/** The SVG markup; `escapeText` escapes the label and the axis text. */
export function svgSparkline(input: SvgSparklineInput, escapeText: (text: string) => string): string {
  const skipped = Math.max(0, input.values.length - HOURS_SHOWN);
  const values = input.values.slice(skipped);
  const n = values.length;
  const fromMs = Date.parse(input.from) + skipped * HOUR_MS;
  const x = (hourIndex: number) => LEFT + (n <= 1 ? 0 : (hourIndex / (n - 1)) * (WIDTH - LEFT - PAD));
  const xAt = (ms: number) => x((ms - fromMs) / HOUR_MS);
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const min = present.length > 0 ? Math.min(...present) : 0;
  const max = present.length > 0 ? Math.max(...present) : 1;
  const y = (v: number) => (max === min ? PLOT_HEIGHT / 2 : PLOT_HEIGHT - PAD - ((v - min) / (max - min)) * (PLOT_HEIGHT - 2 * PAD));
  const format = input.format ?? ((v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3)));

  // Runs of consecutive hours with data, each one polyline.
  const runs: string[][] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run);

  const shadeFrom = Math.max(LEFT, xAt(Date.parse(input.current.from)));
  const shadeTo = Math.min(WIDTH - PAD, xAt(Date.parse(input.current.to)));
  const onset = input.onset ? xAt(Date.parse(input.onset.at)) : null;
  const text = (cls: string, tx: number, ty: number, anchor: 'start' | 'end', content: string) => `<text class="${cls}" x="${tx}" y="${ty}" text-anchor="${anchor}">${escapeText(content)}</text>`;
  return [
    `<svg class="spark" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" data-hours="${n}" data-points="${present.length}">`,
    `<title>${escapeText(input.label)}</title>`,
    `<rect class="current" x="${shadeFrom.toFixed(1)}" y="0" width="${Math.max(1, shadeTo - shadeFrom).toFixed(1)}" height="${PLOT_HEIGHT}"></rect>`,
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - PAD}" y1="${PLOT_HEIGHT}" y2="${PLOT_HEIGHT}"></line>`,
    ...(present.length > 0 ? [text('value', LEFT - 4, 9, 'end', format(max)), ...(max !== min ? [text('value', LEFT - 4, PLOT_HEIGHT - 1, 'end', format(min))] : [])] : []),
    text('time', LEFT, HEIGHT - 1, 'start', `${n} h ago`),
    text('time', WIDTH - PAD, HEIGHT - 1, 'end', 'now'),
    ...runs.map((points) =>
      points.length === 1 ? `<circle cx="${points[0]!.split(',')[0]}" cy="${points[0]!.split(',')[1]}" r="1.5"></circle>` : `<polyline points="${points.join(' ')}"></polyline>`,
    ),
    ...(onset !== null && onset >= LEFT && onset <= WIDTH ? [`<line class="onset" x1="${onset.toFixed(1)}" x2="${onset.toFixed(1)}" y1="0" y2="${PLOT_HEIGHT}"></line>`] : []),
    '</svg>',
  ].join('');
}
