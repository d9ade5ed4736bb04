/**
 * A verdict's hourly series as one line of text (`▁▂▃▅▇`), for places without pictures: Linear,
 * Slack and the terminal. Pure.
 */

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** An hour without data: a gap, not a zero. */
const GAP = '·';

/**
 * One character per value (or per group of values when there are more than `width`: each group
 * shows its largest value, so a one-hour spike survives). The lowest value is ▁, the highest █;
 * a flat series is a flat middle line.
 */
export function sparkline(values: readonly (number | null)[], width = values.length): string {
  const grouped = group(values, width);
  const present = grouped.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return GAP.repeat(grouped.length);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return grouped
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return GAP;
      if (max === min) return LEVELS[3];
      return LEVELS[Math.min(LEVELS.length - 1, Math.floor(((v - min) / (max - min)) * LEVELS.length))];
    })
    .join('');
}

/** Values in at most `width` groups, each its maximum (null when the whole group is missing). */
function group(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width || width <= 0) return [...values];
  const out: (number | null)[] = [];
  for (let g = 0; g < width; g++) {
    const slice = values.slice(Math.floor((g * values.length) / width), Math.floor(((g + 1) * values.length) / width));
    const present = slice.filter((v): v is number => v !== null && Number.isFinite(v));
    out.push(present.length > 0 ? Math.max(...present) : null);
  }
  return out;
}

/** The sparkline with its range: `▁▁▂█▇ 2.0%–18.0%, last 48 h`. `format` writes a value in its unit. */
export function labelledSparkline(values: readonly (number | null)[], format: (v: number) => string, hours: number, width = 48): string | null {
  const tail = values.slice(-hours);
  const present = tail.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return null;
  return `${sparkline(tail, width)} ${format(Math.min(...present))}–${format(Math.max(...present))}, last ${tail.length} h`;
}
