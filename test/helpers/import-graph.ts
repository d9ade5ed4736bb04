/**
 * The import graph of src/: which module imports which (static `import`/`export … from` with a
 * relative path, type-only imports included, since a type import still couples two modules), its
 * cycles and the folder-to-folder arrows. Test files are left out: they may reach anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g;

/** The relative module paths one file imports, resolved against `file`'s folder. */
export function importsOf(text: string, file: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => join(dirname(file), m[1]!));
}

/** Every non-test module under `root` with what it imports, paths relative to `root`. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const file = relative(root, path);
        graph.set(
          file,
          importsOf(readFileSync(path, 'utf8'), file).map((p) => relative(root, resolve(root, p))),
        );
      }
    }
  };
  walk(root);
  return graph;
}

/** The strongly connected components with more than one module (Tarjan): each is an import cycle. */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The folder a module belongs to (its first path segment; `.` for files at the root). */
export const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/** Folder-to-folder arrows, each with the module imports behind it. */
export function folderArrows(graph: ImportGraph): Map<string, string[]> {
  const arrows = new Map<string, string[]>();
  for (const [from, targets] of graph)
    for (const to of targets) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      const key = `${a} -> ${b}`;
      arrows.set(key, [...(arrows.get(key) ?? []), `${from} -> ${to}`]);
    }
  return arrows;
}
