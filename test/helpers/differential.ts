/**
 * Compares a cycle merged from rollups with the same cycle scanned from raw spans: the same
 * verdicts (signal and subject), the same statuses and drift modes, equal sample counts, and
 * equal values except where a sketch stands in for an exact statistic (latency quantiles: a log
 * bin of ±0.5%; distinct documents: a KMV estimate). Both sides apply the seasonal check (without
 * rollups its series are built from raw spans), so a status that differs is always a difference.
 */
import type { Report } from '../../src/engine/cycle.ts';
import { subjectLabel } from '../../src/metrics/registry.ts';

/**
 * Relative tolerance per signal for value and baseline (and, where sessions are counted, samples);
 * the rest must be equal. Turns per session: rollups count a session in the window of its first
 * turn with its turns up to sessionWindow later, the raw scan counts the turns inside the window,
 * so sessions cut by a window's edges differ.
 */
const TOLERANCE: Record<string, number> = { tool_latency: 0.01, retrieval_distinct_documents: 0.1, input_turns_per_session: 0.02 };
const SAMPLE_TOLERANCE: Record<string, number> = { input_turns_per_session: 0.02 };

const close = (a: number | null, b: number | null, rel: number) => a === b || (a !== null && b !== null && Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-9);

/** Every difference between the two reports, as lines (none when they agree). */
export function reportDifferences(rollups: Report, raw: Report): string[] {
  const key = (s: Report['signals'][number]) => `${s.signal} ${subjectLabel(s.subject)}`;
  const a = new Map(rollups.signals.map((s) => [key(s), s]));
  const b = new Map(raw.signals.map((s) => [key(s), s]));
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (!x || !y) {
      out.push(`${k}: only in the ${x ? 'rollup' : 'raw'} report`);
      continue;
    }
    if (x.status !== y.status) out.push(`${k}: status ${x.status} (rollups) vs ${y.status} (raw): ${x.message} | ${y.message}`);
    if (x.driftMode !== y.driftMode) out.push(`${k}: drift mode ${x.driftMode} vs ${y.driftMode}`);
    const rs = SAMPLE_TOLERANCE[x.signal] ?? 0;
    if (!close(x.samples.current, y.samples.current, rs) || !close(x.samples.baseline, y.samples.baseline, rs)) {
      out.push(`${k}: samples ${JSON.stringify(x.samples)} vs ${JSON.stringify(y.samples)}`);
    }
    const rel = TOLERANCE[x.signal] ?? 1e-9;
    if (!close(x.value, y.value, rel) || !close(x.baseline, y.baseline, rel)) out.push(`${k}: value ${x.value}/${x.baseline} vs ${y.value}/${y.baseline}`);
  }
  if (JSON.stringify(rollups.errors) !== JSON.stringify(raw.errors)) out.push(`errors ${JSON.stringify(rollups.errors)} vs ${JSON.stringify(raw.errors)}`);
  return out;
}
