/**
 * Appending promoted traces to an eval-set file (JSONL or CSV, the formats `signals.dataset.evalSet`
 * reads), never twice: a row whose trace id, or whose input (case and spacing aside), is already
 * in the file is skipped. A CSV keeps its own header; a new file gets `input,intent,trace_id,pattern`.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseCsvLine } from '../signals/dataset/csv.ts';
import { csvColumns } from '../signals/dataset/eval-set.ts';
import { PromoteError } from './select.ts';

export interface PromotedRow {
  input: string;
  /** '' when the trace carries none. */
  intent: string;
  traceId: string;
  pattern: string;
}

/** Larger than any eval set read into memory by the dataset signal too (it reads the file whole). */
export const MAX_EVAL_FILE_BYTES = 256 * 2 ** 20;

const normalized = (input: string) => input.toLowerCase().replace(/\s+/g, ' ').trim();

export function appendEvalRows(path: string, rows: readonly PromotedRow[]): { added: PromotedRow[]; skipped: number } {
  const csv = path.endsWith('.csv');
  // Only a regular file is an eval set: a device (/dev/full, /dev/zero) or a directory is refused
  // before anything is read from it, and a file too large to be an eval set is not read whole.
  if (existsSync(path)) {
    const stat = statSync(path);
    if (!stat.isFile()) throw new PromoteError(`${path} is not a regular file; promote appends to a JSONL or CSV eval-set file`);
    if (stat.size > MAX_EVAL_FILE_BYTES)
      throw new PromoteError(`${path} holds ${Math.round(stat.size / 2 ** 20)} MiB, more than the ${MAX_EVAL_FILE_BYTES / 2 ** 20} MiB an eval-set file may hold here; is it the right file?`);
  }
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const seen = csv ? seenInCsv(text, path) : seenInJsonl(text, path);
  const added: PromotedRow[] = [];
  for (const row of rows) {
    const key = normalized(row.input);
    if (key === '' || seen.traceIds.has(row.traceId) || seen.inputs.has(key)) continue;
    seen.traceIds.add(row.traceId);
    seen.inputs.add(key);
    added.push(row);
  }
  if (added.length === 0) return { added, skipped: rows.length };
  const lead = text !== '' && !text.endsWith('\n') ? '\n' : '';
  if (csv) {
    const header = seen.header ?? ['input', 'intent', 'trace_id', 'pattern'];
    // The columns the eval-set reader takes input and intent from; trace id and pattern by name.
    const { inputAt, intentAt } = csvColumns(header, path);
    const cell = (k: number, r: PromotedRow) =>
      k === inputAt ? r.input : k === intentAt ? r.intent : header[k] === 'trace_id' || header[k] === 'traceId' ? r.traceId : header[k] === 'pattern' ? r.pattern : '';
    const lines = added.map((r) => header.map((_, k) => csvCell(cell(k, r))).join(','));
    appendFileSync(path, `${seen.header ? lead : `${header.join(',')}\n`}${lines.join('\n')}\n`);
  } else {
    const lines = added.map((r) => JSON.stringify({ input: r.input, ...(r.intent ? { intent: r.intent } : {}), traceId: r.traceId, pattern: r.pattern }));
    appendFileSync(path, `${lead}${lines.join('\n')}\n`);
  }
  return { added, skipped: rows.length - added.length };
}

interface Seen {
  traceIds: Set<string>;
  inputs: Set<string>;
  header?: string[];
}

function seenInJsonl(text: string, path: string): Seen {
  const seen: Seen = { traceIds: new Set(), inputs: new Set() };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: { input?: unknown; traceId?: unknown; trace_id?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      throw new PromoteError(`${path} line ${i + 1} is not valid JSON; fix it before promoting into it`);
    }
    if (typeof row.input === 'string') seen.inputs.add(normalized(row.input));
    for (const id of [row.traceId, row.trace_id]) if (typeof id === 'string') seen.traceIds.add(id);
  });
  return seen;
}

function seenInCsv(text: string, path: string): Seen {
  const lines = text.split(/\r?\n/);
  if (text.trim() === '') return { traceIds: new Set(), inputs: new Set() };
  const header = parseCsvLine(lines[0]!);
  const { inputAt } = csvColumns(header, path);
  const idAt = header.indexOf('trace_id') >= 0 ? header.indexOf('trace_id') : header.indexOf('traceId');
  const seen: Seen = { traceIds: new Set(), inputs: new Set(), header };
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = parseCsvLine(line);
    seen.inputs.add(normalized(cells[inputAt] ?? ''));
    if (idAt >= 0 && cells[idAt]) seen.traceIds.add(cells[idAt]!);
  }
  return seen;
}

/** RFC 4180 quoting; line breaks become spaces (the eval-set reader takes one row per line). */
function csvCell(value: string): string {
  const flat = value.replace(/\r?\n|\r/g, ' ');
  return /[",]/.test(flat) || flat !== flat.trim() ? `"${flat.replaceAll('"', '""')}"` : flat;
}
