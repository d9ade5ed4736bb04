/**
 * Config keys that moved, read under their old spelling for one release with a warning naming the
 * new one. The conventions of how traces are written moved from the signals that happened to read
 * them first to `traces.conventions`, which the source binds to every query; the rubrics moved to
 * the top level, since several signals grade with them.
 */
import type { Document } from 'yaml';

export const RENAMED_KEYS: readonly (readonly [from: string, to: string])[] = [
  ['signals.judge.humanServices', 'traces.conventions.humanServices'],
  ['signals.dataset.intentKey', 'traces.conventions.intentKey'],
  ['signals.prompt.versionKeys', 'traces.conventions.promptVersionKeys'],
  ['signals.prompt.nameKeys', 'traces.conventions.promptNameKeys'],
  ['signals.retrieval.documentIdKeys', 'traces.conventions.documentIdKeys'],
  ['signals.agent.maxTraceDuration', 'traces.conventions.maxTraceDuration'],
  ['signals.judge.rubrics', 'rubrics'],
];

/**
 * Moves every old spelling in `doc` to its new place. Returns a warning per key moved, and a
 * problem per key set under both spellings (which one is meant cannot be told).
 */
export function moveRenamedKeys(doc: Document, lineOf: (path: string[]) => number | undefined): { warnings: string[]; problems: string[] } {
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const [from, to] of RENAMED_KEYS) {
    const old = from.split('.');
    if (!doc.hasIn(old)) continue;
    const line = lineOf(old);
    const where = `${from}${line ? ` (line ${line})` : ''}`;
    const path = to.split('.');
    if (doc.hasIn(path)) {
      problems.push(`${where}: set only ${to}; ${from} is its old spelling`);
      continue;
    }
    doc.setIn(path, doc.getIn(old, true));
    doc.deleteIn(old);
    warnings.push(`${where} is now ${to}: the old spelling is still read in this release, not in the next; move it`);
  }
  return { warnings, problems };
}
