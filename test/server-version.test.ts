// The minimum ClickHouse version driftwatch claims (MIN_VERSION) is not a server this machine can
// run, so the claim is checked against the engine's own record instead: every ClickHouse function
// named anywhere in src/ (aggregate combinators such as -If, -State, -Merge stripped) must have
// been introduced in MIN_VERSION or earlier, as system.functions.introduced_in says. A name that is
// also a TypeScript function (firstLine, …) is checked too: a false match can only make this
// stricter. The list it prints is the audit docs/production.md refers to.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from 'chdb';
import { compareVersions, MIN_VERSION } from '../src/sources/preflight.ts';

interface FunctionRow {
  name: string;
  alias_to: string;
  introduced_in: string;
  is_aggregate: number;
}

const rows = (sql: string) => (JSON.parse(query(sql, 'JSON')) as { data: unknown[] }).data;
const functions = new Map((rows('SELECT name, alias_to, introduced_in, is_aggregate FROM system.functions') as FunctionRow[]).map((f) => [f.name, f]));
const combinators = (rows('SELECT name FROM system.aggregate_function_combinators') as { name: string }[]).map((c) => c.name).sort((a, b) => b.length - a.length);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The ClickHouse function a call names: itself, an alias's target, or an aggregate under combinators. */
function resolve(name: string): FunctionRow | undefined {
  let f = functions.get(name);
  for (let rest = name; !f && rest.length > 0; ) {
    const combinator = combinators.find((c) => rest.endsWith(c) && rest.length > c.length);
    if (!combinator) break;
    rest = rest.slice(0, -combinator.length);
    const base = functions.get(rest);
    if (base?.is_aggregate) f = base;
  }
  return f?.alias_to ? (functions.get(f.alias_to) ?? f) : f;
}

describe(`every ClickHouse function in src/ exists in ${MIN_VERSION}`, () => {
  it('the introduced_in of each function named in a query is at most MIN_VERSION', (t) => {
    const used = new Map<string, { f: FunctionRow; file: string }>();
    for (const file of sourceFiles('src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\(/g)) {
        const f = resolve(m[1]!);
        if (f && !used.has(m[1]!)) used.set(m[1]!, { f, file });
      }
    }
    assert.ok(used.has('quantileDDState') || used.has('groupArraySorted'), 'the scan finds the functions the rollups use');
    const audit = [...used].sort(([, a], [, b]) => compareVersions(b.f.introduced_in, a.f.introduced_in));
    for (const [name, { f }] of audit.slice(0, 12)) t.diagnostic(`${name}: ${f.name} since ${f.introduced_in || 'unknown'}`);
    const unknown = audit.filter(([, { f }]) => !f.introduced_in).map(([name, { file }]) => `${name} (${file})`);
    assert.deepEqual(unknown, [], 'functions whose first version the engine does not record');
    const newer = audit.filter(([, { f }]) => compareVersions(f.introduced_in, MIN_VERSION) > 0).map(([name, { f, file }]) => `${name} (${f.name} since ${f.introduced_in}, ${file})`);
    assert.deepEqual(newer, [], `functions newer than ${MIN_VERSION}`);
  });
});
