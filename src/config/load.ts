/** Reads a YAML config file: `${ENV}` interpolation, validation, problems reported with path and line. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isScalar, visit, type Document } from 'yaml';
import { configSchema, SIGNAL_SECTIONS } from './schema.ts';
import { moveRenamedKeys } from './renamed.ts';
import type { Config } from './shape.ts';
import { Redactor } from './secrets.ts';

/** A config file that cannot be used; `problems` are one line each, with path and line. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${file}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** A validated config together with where it came from, and what in it is spelt the old way. */
export interface LoadedConfig {
  readonly file: string;
  readonly config: Config;
  /** Keys read under a spelling that goes away in the next release (src/config/renamed.ts). */
  readonly warnings: readonly string[];
}

/** Loads and validates a config file; throws ConfigError naming every problem. `overrides` are `path=value` pairs (`--set`). */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, overrides: readonly string[] = []): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  const warnings: string[] = [];
  return { file, config: parseConfigText(text, file, env, overrides, warnings), warnings };
}

/**
 * Validates config text; relative paths in it are resolved against the file's directory. Keys
 * spelt the old way are moved to their new place, a warning for each pushed onto `warnings`.
 */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env, overrides: readonly string[] = [], warnings: string[] = []): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `line ${lineOf(e.pos[0]) ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  // An empty file is a mistake (a config map not mounted, a file truncated), not "all defaults".
  if (doc.contents === null && overrides.length === 0) {
    throw new ConfigError(file, ['the file is empty (or only comments): a config names at least its trace table, e.g. traces: {table: otel_traces}; config/driftwatch.example.yaml shows every key']);
  }
  const problems = interpolateEnv(doc, env, lineOf, unusedPaths(doc));
  for (const override of overrides) {
    const eq = override.indexOf('=');
    const path = override.slice(0, eq).trim();
    if (eq <= 0 || !/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(path)) {
      problems.push(`--set ${override}: expected path.to.key=value`);
      continue;
    }
    // The value is read as YAML, so numbers, booleans, durations and [lists] keep their type.
    doc.setIn(path.split('.'), parseDocument(override.slice(eq + 1)).toJS());
  }
  const renamed = moveRenamedKeys(doc, (path) => lineOf(nodeAt(doc, path)?.range?.[0]));
  problems.push(...renamed.problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  warnings.push(...renamed.warnings);

  const raw = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
        const line = lineOf(nodeAt(doc, path.map(String))?.range?.[0]);
        const where = path.length > 0 ? path.join('.') : '(top level)';
        return `${where}${line ? ` (line ${line})` : ''}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(resolvePaths(result.data, dirname(resolve(file))));
}

/**
 * Keys whose value the config does not use, so an unset variable there is no problem: a
 * server's credentials when the traces are in the embedded engine.
 */
function unusedPaths(doc: Document): Set<unknown> {
  const unused = new Set<unknown>();
  if (doc.getIn(['clickhouse', 'url']) === undefined) {
    for (const key of ['username', 'password']) {
      const node = doc.getIn(['clickhouse', key], true);
      if (node) unused.add(node);
    }
  }
  return unused;
}

/** Replaces `${NAME}` in every string value; an unset variable is a problem (unless its key is unused), not an empty string. */
function interpolateEnv(doc: Document, env: NodeJS.ProcessEnv, lineOf: (o?: number) => number | undefined, unused: Set<unknown>): string[] {
  const problems: string[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      if (unused.has(node)) {
        node.value = '';
        return;
      }
      node.value = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
        const value = env[name];
        if (value === undefined) {
          problems.push(`line ${lineOf(node.range?.[0]) ?? '?'}: environment variable ${name} is not set`);
          return '';
        }
        return value;
      });
    },
  });
  return problems;
}

function nodeAt(doc: Document, path: string[]): { range?: [number, number, number] | null } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (prefix.length === 0) return undefined;
    // For a key, point at the key itself; its value may be missing.
    const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
    const pair = (parent as { items?: { key: unknown; value: unknown }[] } | null)?.items?.find((item) => isScalar(item.key) && String(item.key.value) === prefix[prefix.length - 1]);
    if (pair && isScalar(pair.key)) return depth === path.length && isScalar(pair.value) ? (pair.value as never) : (pair.key as never);
  }
  return undefined;
}

function resolvePaths(config: Config, base: string): Config {
  const embedded = config.clickhouse.url ? undefined : resolve(base, config.clickhouse.embedded ?? '.driftwatch/chdb');
  return {
    ...config,
    clickhouse: { ...config.clickhouse, embedded },
    alerting: { ...config.alerting, stateDir: resolve(base, config.alerting.stateDir) },
    notify: { ...config.notify, fileSink: { path: resolve(base, config.notify.fileSink.path) } },
    // A signal's section may name files (an eval set): relative to the config file, as above.
    signals: Object.fromEntries(
      Object.entries(config.signals).map(([key, section]) => {
        const declared = SIGNAL_SECTIONS.find((s) => s.key === key);
        return [key, declared?.resolvePaths ? declared.resolvePaths(section as never, (p) => resolve(base, p)) : section];
      }),
    ) as Config['signals'],
  };
}

/** A copy of a config with every secret replaced (secret fields, URL passwords, secret query values), safe to print. */
export function redact<T>(value: T): T {
  return new Redactor(value).value(value);
}
