/**
 * Command-line arguments, read with node:util's parseArgs (tokens, not strict) and then checked
 * here, so that every mistake is one line in driftwatch's words naming the command and, where a
 * known name is close, what was meant ("unknown option --frm for backtest; did you mean --from?").
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage or input problem: one line, exit code 2, the command's help after it. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Levenshtein distance (insertions, deletions, substitutions), for short names only. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known name closest to `typed` when it is close enough to be a slip: within a third of its
 * length in edits (at least one), or a known name it begins or that begins it. Ties go to the
 * first in `known`; nothing when no name is close.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(lower, name.toLowerCase());
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  return lower.length >= 3 ? known.find((name) => name.startsWith(lower) || lower.startsWith(name)) : undefined;
}

const didYouMean = (typed: string, known: readonly string[], prefix = '') => {
  const near = closest(typed, known);
  return near ? `; did you mean ${prefix}${near}?` : '';
};

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K] extends { multiple: true } ? string[] : O[K] extends { type: 'boolean' } ? boolean : string };
  positionals: string[];
}

/**
 * Parses `args` for `command`. `positionals` is how many bare arguments it takes (default none).
 * Defaults are filled in as parseArgs would.
 */
export function parseCommandArgs<O extends Options>(command: string, args: readonly string[], options: O, positionals = 0): Parsed<O> {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const names = Object.keys(options);
  const values: Record<string, unknown> = {};
  const bare: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      bare.push(token.value);
      continue;
    }
    const long = token.rawName.startsWith('--');
    // parseArgs has already turned a known short flag (-c) into its long name.
    const name = Object.hasOwn(options, token.name) ? token.name : undefined;
    const option = name === undefined ? undefined : options[name];
    if (name === undefined || option === undefined) throw new UsageError(`unknown option ${token.rawName} for ${command}${long ? didYouMean(token.name, names, '--') : ''}`);
    if (option.type === 'string') {
      // "--config" last leaves the value undefined; "--config --json" would take "--json" as it.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
        throw new UsageError(`${token.rawName} needs a value (${command} ${token.rawName} ${name === 'config' ? 'FILE' : 'VALUE'})`);
      if (option.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), token.value];
      else if (values[name] !== undefined && values[name] !== token.value) throw new UsageError(`${token.rawName} is given twice (${String(values[name])}, ${token.value})`);
      else values[name] = token.value;
    } else {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
      values[name] = true;
    }
  }
  if (bare.length > positionals) {
    const extra = bare[positionals]!;
    const hint = positionals === 0 && /\.ya?ml$/i.test(extra) ? `; did you mean --config ${extra}?` : '';
    throw new UsageError(`${command} takes ${positionals === 0 ? 'no bare arguments' : `at most ${positionals}`}, got "${extra}"${hint}`);
  }
  for (const [name, option] of Object.entries(options)) if (values[name] === undefined && option.default !== undefined) values[name] = option.default;
  return { values: values as Parsed<O>['values'], positionals: bare };
}

/** An unknown command, with the nearest known one. */
export function unknownCommand(typed: string, commands: readonly string[]): UsageError {
  return new UsageError(`unknown command "${typed}"${didYouMean(typed, commands)}`);
}
