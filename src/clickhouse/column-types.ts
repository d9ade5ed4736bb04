/**
 * What a column must hold for driftwatch's SQL to work, as a small vocabulary of kinds rather
 * than exact types: exporters and Langfuse versions differ in LowCardinality, Nullable, codecs
 * and precision, and all of those read the same.
 */
export type ColumnKind = 'string' | 'number' | 'time' | 'map' | 'string array' | 'map array';

/** The type without the LowCardinality(…) and Nullable(…) wrappers, which read like the inner type. */
function unwrap(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^(?:LowCardinality|Nullable)\((.*)\)$/.exec(t);
    if (!m) return t;
    t = m[1]!.trim();
  }
}

const STRING = /^(String|FixedString\(\d+\)|Enum(8|16)?\(.*\))$/;
const NUMBER = /^(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal(32|64|128|256)?\(.*\)|Bool)$/;
const TIME = /^DateTime(64)?(\(.*\))?$/;

/** Whether a ClickHouse column type (as DESCRIBE prints it) holds a column of this kind. Pure. */
export function matchesKind(kind: ColumnKind, type: string): boolean {
  const t = unwrap(type);
  switch (kind) {
    case 'string':
      return STRING.test(t);
    case 'number':
      return NUMBER.test(t);
    case 'time':
      return TIME.test(t);
    case 'map':
      return isStringMap(t);
    case 'string array':
      return /^Array\((.*)\)$/.test(t) && STRING.test(unwrap(/^Array\((.*)\)$/.exec(t)![1]!));
    case 'map array':
      return /^Array\((.*)\)$/.test(t) && isStringMap(unwrap(/^Array\((.*)\)$/.exec(t)![1]!));
  }
}

function isStringMap(t: string): boolean {
  const m = /^Map\((.*)\)$/.exec(t);
  if (!m) return false;
  // Split the two arguments at the top-level comma.
  let depth = 0;
  for (let i = 0; i < m[1]!.length; i++) {
    const c = m[1]![i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return STRING.test(unwrap(m[1]!.slice(0, i))) && STRING.test(unwrap(m[1]!.slice(i + 1)));
  }
  return false;
}
