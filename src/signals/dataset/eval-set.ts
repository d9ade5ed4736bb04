/** Reading the offline eval set: a JSONL or CSV file, or a ClickHouse table. Bad rows are errors naming file and line. */
import { readFileSync, statSync } from 'node:fs';
import { parse as parseCsvLine } from './csv.ts';
import type { Store } from '../../clickhouse/store.ts';
import { basename } from 'node:path';
import type { DatasetConfig } from './config.ts';

export interface EvalItem {
  input: string;
  intent: string;
}

/** The eval set could not be read; the message names the file (or table) and the line. */
export class EvalSetError extends Error {}

const cache = new Map<string, { mtimeMs: number; items: EvalItem[] }>();

export function readEvalFile(path: string): EvalItem[] {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    throw new EvalSetError(`eval set ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.items;
  const text = readFileSync(path, 'utf8');
  const items = path.endsWith('.csv') ? fromCsv(text, path) : fromJsonl(text, path);
  if (items.length === 0) throw new EvalSetError(`eval set ${path} has no items`);
  cache.set(path, { mtimeMs, items });
  return items;
}

function fromJsonl(text: string, path: string): EvalItem[] {
  const items: EvalItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new EvalSetError(`eval set ${path} line ${i + 1}: not valid JSON`);
    }
    const r = row as { input?: unknown; intent?: unknown };
    if (typeof r.input !== 'string' || r.input === '') throw new EvalSetError(`eval set ${path} line ${i + 1}: needs a non-empty string field "input"`);
    items.push({ input: r.input, intent: typeof r.intent === 'string' ? r.intent : '' });
  });
  return items;
}

/** Where a CSV eval set keeps its input (`input`, else `text`) and intent (`intent`, else `category`; -1 without). */
export function csvColumns(header: readonly string[], path: string): { inputAt: number; intentAt: number } {
  const at = (name: string, alias: string) => (header.indexOf(name) >= 0 ? header.indexOf(name) : header.indexOf(alias));
  const inputAt = at('input', 'text');
  if (inputAt < 0) throw new EvalSetError(`eval set ${path} line 1: the header needs an "input" (or "text") column`);
  return { inputAt, intentAt: at('intent', 'category') };
}

function fromCsv(text: string, path: string): EvalItem[] {
  const lines = text.split(/\r?\n/);
  const { inputAt, intentAt } = csvColumns(parseCsvLine(lines[0] ?? ''), path);
  const items: EvalItem[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = parseCsvLine(line);
    const input = cells[inputAt] ?? '';
    if (input === '') throw new EvalSetError(`eval set ${path} line ${i + 2}: empty input`);
    items.push({ input, intent: intentAt >= 0 ? (cells[intentAt] ?? '') : '' });
  });
  return items;
}

/** The configured eval set (file or table) and the name verdicts give it; null when none is configured. */
export async function loadEvalSet(store: Store, d: DatasetConfig): Promise<{ name: string; items: EvalItem[] } | null> {
  if (d.evalSet.path) return { name: basename(d.evalSet.path), items: readEvalFile(d.evalSet.path) };
  if (d.evalSet.table) return { name: d.evalSet.table, items: await readEvalTable(store, d.evalSet.table, d.maxEvalItems) };
  return null;
}

/** Reads `input` and `intent` (if present) from a table; identifiers were validated by the config schema. */
export async function readEvalTable(store: Store, table: string, limit: number): Promise<EvalItem[]> {
  const columns = await store.query<{ name: string }>(`DESCRIBE TABLE ${store.database}.${table}`);
  const names = new Set(columns.map((c) => c.name));
  if (!names.has('input')) throw new EvalSetError(`eval set table ${store.database}.${table} has no column "input"`);
  const intent = names.has('intent') ? 'toString(intent)' : "''";
  return store.query<EvalItem>(`SELECT toString(input) AS input, ${intent} AS intent FROM ${store.database}.${table} LIMIT {limit:UInt32}`, { limit });
}

/** The eval inputs lexical matching compares production inputs with (first maxEvalItems, lower-cased). */
export function lexicalEvalInputs(items: readonly EvalItem[], d: DatasetConfig): string[] {
  return items.slice(0, d.maxEvalItems).map((i) => i.input.toLowerCase().slice(0, 1000));
}
