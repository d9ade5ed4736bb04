/**
 * A strict check of cron expressions, field by field. node-cron's own validation accepts steps
 * and values beyond a field's range (`*\/61` in the minutes), which then never or always fire.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] },
  // 7 is Sunday too.
  { name: 'day of week', min: 0, max: 7, names: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] },
];

/** What is wrong with a cron expression (5 fields, or 6 with seconds first), or null when it is valid. Pure. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `has ${parts.length} fields; expected 5 (minute hour day month weekday) or 6 (with seconds first)`;
  const fields = parts.length === 6 ? [SECOND, ...FIELDS] : FIELDS;
  for (let i = 0; i < parts.length; i++) {
    const problem = fieldProblem(parts[i]!, fields[i]!);
    if (problem) return `${fields[i]!.name} field "${parts[i]}": ${problem}`;
  }
  return null;
}

function fieldProblem(text: string, field: Field): string | null {
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') return 'is not a value, range or step';
    if (step !== undefined) {
      if (!/^\d+$/.test(step)) return `step "${step}" is not a whole number`;
      const n = Number(step);
      if (n < 1 || n > field.max - field.min + 1) return `step ${n} is outside 1–${field.max - field.min + 1}`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = fieldValue(b, field);
      if (v === undefined) return `"${b}" is not a ${field.name} (${field.min}–${field.max}${field.names ? `, or a name such as ${field.names[1]!.slice(0, 3)}` : ''})`;
      values.push(v);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`;
  }
  return null;
}

function fieldValue(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  // A name whole or as its first three letters; months count from 1, weekdays from 0 (Sunday).
  const lower = text.toLowerCase();
  const index = field.names?.findIndex((name) => lower === name || lower === name.slice(0, 3)) ?? -1;
  return index >= 0 ? index + (field.name === 'month' ? 1 : 0) : undefined;
}
