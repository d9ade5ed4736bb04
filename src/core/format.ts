/** How numbers read in verdict messages, alerts and pages: proportions, differences of proportions, p-values. */
/** A proportion as a percentage with one decimal. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A difference of two proportions in percentage points (`15.1 pp`): "+15.1%" would read as relative. */
export function pp(x: number): string {
  return `${(x * 100).toFixed(1)} pp`;
}

/** A p-value in two significant digits. */
export function formatP(p: number): string {
  if (p < 1e-16) return '<1e-16';
  return p < 1e-4 ? p.toExponential(1) : p.toPrecision(2);
}
