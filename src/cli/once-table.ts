/**
 * The report of `once` as a table for people: one row per verdict naming its status, signal,
 * drift mode, subject and value against the baseline; under a drifting or `no_data` row, why
 * (its message), and for drift its last 48 hours, onset and top failure patterns. Text from traces (subjects,
 * messages) is made one line and cut, so a span cannot forge rows.
 */
import type { Report } from '../engine/cycle.ts';
import type { SignalResult } from '../core/verdict.ts';
import { chartText, formatValue, patternLines } from '../notify/content.ts';
import { singleLine } from '../notify/untrusted.ts';
import { STATUS_ORDER } from '../core/modes.ts';

const COLUMNS = ['STATUS', 'SIGNAL', 'MODE', 'SUBJECT', 'VALUE', 'BASELINE'] as const;
const SUBJECT_WIDTH = 40;

function subject(r: SignalResult): string {
  const text = Object.entries(r.subject)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return singleLine(text === '' ? '-' : text, SUBJECT_WIDTH);
}

function row(r: SignalResult): string[] {
  return [r.status, r.signal, r.driftMode, subject(r), formatValue(r, r.value), formatValue(r, r.baseline)];
}

/** The verdicts in reading order (drift first); the report's own order otherwise (a stable sort). */
export function inReadingOrder(signals: readonly SignalResult[]): SignalResult[] {
  return [...signals].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

export function onceTable(report: Report): string {
  const head = `driftwatch: evaluated ${report.evaluatedAt}; current ${report.windows.current.from} → ${report.windows.current.to}, baseline from ${report.windows.baseline.from}`;
  const signals = inReadingOrder(report.signals);
  const rows = signals.map(row);
  const widths = COLUMNS.map((c, k) => Math.max(c.length, ...rows.map((r) => r[k]!.length)));
  const format = (cells: readonly string[]) => `  ${cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(widths[k]!))).join('  ')}`.trimEnd();
  const indent = ' '.repeat(4 + widths[0]!);
  const lines = [head, format(COLUMNS)];
  signals.forEach((r, k) => {
    lines.push(format(rows[k]!));
    if (r.status === 'drift' || r.status === 'no_data' || r.status === 'error') lines.push(`${indent}${singleLine(r.message, 300)}`);
    const chart = r.status === 'drift' ? chartText(r) : '';
    if (chart) lines.push(`${indent}${chart}`);
    if (r.status === 'drift') for (const p of patternLines(r)) lines.push(`${indent}pattern ${p}`);
  });
  for (const e of report.errors) lines.push(`  error   ${e.signal ?? 'source'}: ${singleLine(e.message, 500)}`);
  const count = (s: string) => report.signals.filter((r) => r.status === s).length;
  lines.push(`${report.signals.length} verdicts: ${count('drift')} drift, ${count('ok')} ok, ${count('no_data')} no_data${report.errors.length > 0 ? `, ${report.errors.length} errors` : ''}`);
  return `${lines.join('\n')}\n`;
}
