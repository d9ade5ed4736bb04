/**
 * 64-bit integers as numbers without a per-query setting. A `readonly=1` user may not send
 * `output_format_json_quote_64bit_integers=0`, so the server writes (U)Int64 values as JSON
 * strings. The `JSON` format names each column's type; this walks the value along its type and
 * turns only the 64-bit (and wider) integers back into numbers, leaving strings that merely look
 * numeric (an id, a hash as String) alone. Every count driftwatch reads fits well inside 2^53.
 */

export type ColumnType =
  | { kind: 'int64' }
  | { kind: 'array'; of: ColumnType }
  | { kind: 'map'; value: ColumnType }
  | { kind: 'tuple'; items: ColumnType[]; names: (string | null)[] }
  | { kind: 'other' };

/** Splits `A, B(C, D), E` at top-level commas. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

export function parseColumnType(type: string): ColumnType {
  const t = type.trim();
  const open = t.indexOf('(');
  const name = open < 0 ? t : t.slice(0, open);
  const inner = open < 0 ? '' : t.slice(open + 1, t.lastIndexOf(')'));
  switch (name) {
    case 'Int64':
    case 'UInt64':
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
      return { kind: 'int64' };
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return parseColumnType(name === 'SimpleAggregateFunction' ? splitTop(inner).slice(1).join(', ') : inner);
    case 'Array':
      return { kind: 'array', of: parseColumnType(inner) };
    case 'Map':
      return { kind: 'map', value: parseColumnType(splitTop(inner)[1] ?? '') };
    case 'Tuple': {
      const parts = splitTop(inner);
      // Named elements (`Tuple(a UInt64, b String)`) are written as JSON objects by some servers.
      const named = parts.map((p) => /^([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*)$/.exec(p));
      return { kind: 'tuple', items: parts.map((p, k) => parseColumnType(named[k]?.[2] ?? p)), names: named.map((m) => m?.[1] ?? null) };
    }
    default:
      return { kind: 'other' };
  }
}

export function numbersAlong(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return value;
  switch (type.kind) {
    case 'int64':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => numbersAlong(v, type.of)) : value;
    case 'map':
      return typeof value === 'object' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, numbersAlong(v, type.value)])) : value;
    case 'tuple':
      if (Array.isArray(value)) return value.map((v, k) => numbersAlong(v, type.items[k] ?? { kind: 'other' }));
      if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, numbersAlong(v, type.items[type.names.indexOf(k)] ?? { kind: 'other' })]));
      return value;
    default:
      return value;
  }
}

/** Rows of a `JSON`-format answer with their 64-bit integers as numbers. */
export function rowsWithNumbers<T>(answer: { meta: { name: string; type: string }[]; data: Record<string, unknown>[] }): T[] {
  const types = answer.meta.map((m) => [m.name, parseColumnType(m.type)] as const).filter(([, t]) => t.kind !== 'other');
  if (types.length === 0) return answer.data as T[];
  return answer.data.map((row) => {
    const out = { ...row };
    for (const [name, type] of types) out[name] = numbersAlong(row[name], type);
    return out as T;
  });
}
