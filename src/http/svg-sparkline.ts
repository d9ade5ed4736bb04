/**
 * A verdict's hourly series as an inline SVG: one vertex per hour with data (gaps break the
 * line), the current window shaded, the onset as a vertical marker. No script, no external
 * reference; the caller escapes nothing here because nothing here comes from a trace except
 * numbers.
 */

const WIDTH = 240;
const HEIGHT = 36;
const PAD = 2;
const HOUR_MS = 3_600_000;

export interface SvgSparklineInput {
  from: string;
  values: readonly (number | null)[];
  /** The current window, shaded. */
  current: { from: string; to: string };
  onset?: { at: string } | undefined;
  /** Plain-text description for screen readers and the tooltip (escaped by the caller's rules). */
  label: string;
}

/** The SVG markup; `escapeText` escapes the label. */
export function svgSparkline(input: SvgSparklineInput, escapeText: (text: string) => string): string {
  const n = input.values.length;
  const fromMs = Date.parse(input.from);
  const x = (hourIndex: number) => PAD + (n <= 1 ? 0 : (hourIndex / (n - 1)) * (WIDTH - 2 * PAD));
  const xAt = (ms: number) => x((ms - fromMs) / HOUR_MS);
  const present = input.values.filter((v): v is number => v !== null && Number.isFinite(v));
  const min = present.length > 0 ? Math.min(...present) : 0;
  const max = present.length > 0 ? Math.max(...present) : 1;
  const y = (v: number) => (max === min ? HEIGHT / 2 : HEIGHT - PAD - ((v - min) / (max - min)) * (HEIGHT - 2 * PAD));

  // Runs of consecutive hours with data, each one polyline.
  const runs: string[][] = [];
  let run: string[] = [];
  input.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run);

  const shadeFrom = Math.max(PAD, xAt(Date.parse(input.current.from)));
  const shadeTo = Math.min(WIDTH - PAD, xAt(Date.parse(input.current.to)));
  const onset = input.onset ? xAt(Date.parse(input.onset.at)) : null;
  return [
    `<svg class="spark" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" data-hours="${n}" data-points="${present.length}">`,
    `<title>${escapeText(input.label)}</title>`,
    `<rect class="current" x="${shadeFrom.toFixed(1)}" y="0" width="${Math.max(1, shadeTo - shadeFrom).toFixed(1)}" height="${HEIGHT}"></rect>`,
    ...runs.map((points) =>
      points.length === 1 ? `<circle cx="${points[0]!.split(',')[0]}" cy="${points[0]!.split(',')[1]}" r="1.2"></circle>` : `<polyline points="${points.join(' ')}"></polyline>`,
    ),
    ...(onset !== null && onset >= 0 && onset <= WIDTH ? [`<line class="onset" x1="${onset.toFixed(1)}" x2="${onset.toFixed(1)}" y1="0" y2="${HEIGHT}"></line>`] : []),
    '</svg>',
  ].join('');
}
