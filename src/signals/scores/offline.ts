/**
 * A rubric's CI results, read from the files its eval runs already write: promptfoo's
 * `--output results.json` (each component result's `assertion.metric`, and `namedScores`),
 * DeepEval's test-run JSON (`testCases[].metricsData[]`), or JSON Lines of
 * `{rubric, score | pass | label, item?}`. The format is told from the content.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

/** One scored item of a CI run. */
export interface OfflineScore {
  rubric: string;
  score?: number;
  pass?: boolean;
  label?: string;
  item?: string;
}

export interface OfflineRun {
  /** What alerts call it: the configured name, or the file's. */
  name: string;
  path: string;
  format: 'promptfoo' | 'deepeval' | 'jsonl';
  /** When it ran: the file's own timestamp, else when the file was written. */
  at: string;
  runId?: string;
  scores: OfflineScore[];
}

/** A results file that could not be read, naming the file and what in it was wrong. */
export class OfflineResultsError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'OfflineResultsError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The scores of a results file's text; `fallbackAt` is when the file was written. */
export function parseOfflineResults(content: string, path: string, fallbackAt: string, name?: string): OfflineRun {
  const base = { name: name ?? basename(path), path };
  let whole: unknown;
  try {
    whole = JSON.parse(content);
  } catch {
    whole = undefined;
  }
  if (isObject(whole) && isObject(whole['results']) && Array.isArray((whole['results'] as Json)['results'])) return { ...base, ...promptfoo(whole, path, fallbackAt) };
  if (isObject(whole) && (Array.isArray(whole['testCases']) || Array.isArray(whole['conversationalTestCases']))) return { ...base, ...deepeval(whole, path, fallbackAt) };
  return { ...base, ...jsonLines(content, path, fallbackAt) };
}

function promptfoo(doc: Json, path: string, fallbackAt: string): Pick<OfflineRun, 'format' | 'at' | 'runId' | 'scores'> {
  const results = (doc['results'] as Json)['results'] as unknown[];
  const scores: OfflineScore[] = [];
  results.forEach((r, i) => {
    if (!isObject(r)) throw new OfflineResultsError(path, `results.results[${i}] is not an object`);
    const item = String(r['testIdx'] ?? i);
    const named = isObject(r['namedScores']) ? (r['namedScores'] as Json) : {};
    const components = isObject(r['gradingResult']) && Array.isArray((r['gradingResult'] as Json)['componentResults']) ? ((r['gradingResult'] as Json)['componentResults'] as unknown[]) : [];
    // A metric's components decide its pass; its named score (promptfoo's per-metric mean) its score.
    const byMetric = new Map<string, { scores: number[]; pass: boolean }>();
    for (const c of components) {
      if (!isObject(c) || !isObject(c['assertion'])) continue;
      const metric = text((c['assertion'] as Json)['metric']);
      if (!metric) continue;
      const m = byMetric.get(metric) ?? { scores: [], pass: true };
      const s = finite(c['score']);
      if (s !== undefined) m.scores.push(s);
      if (c['pass'] === false) m.pass = false;
      byMetric.set(metric, m);
    }
    for (const metric of new Set([...Object.keys(named), ...byMetric.keys()])) {
      const m = byMetric.get(metric);
      const score = finite(named[metric]) ?? (m && m.scores.length > 0 ? m.scores.reduce((a, b) => a + b, 0) / m.scores.length : undefined);
      scores.push({ rubric: metric, item, ...(score !== undefined ? { score } : {}), ...(m ? { pass: m.pass } : {}) });
    }
  });
  const at = text((doc['results'] as Json)['timestamp']) ?? text(doc['timestamp']);
  const runId = text(doc['evalId']);
  return { format: 'promptfoo', at: at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : fallbackAt, ...(runId ? { runId } : {}), scores };
}

function deepeval(doc: Json, path: string, fallbackAt: string): Pick<OfflineRun, 'format' | 'at' | 'runId' | 'scores'> {
  const cases = [...((doc['testCases'] as unknown[] | undefined) ?? []), ...((doc['conversationalTestCases'] as unknown[] | undefined) ?? [])];
  const scores: OfflineScore[] = [];
  cases.forEach((c, i) => {
    if (!isObject(c)) throw new OfflineResultsError(path, `test case ${i} is not an object`);
    const item = text(c['name']) ?? String(i);
    for (const m of Array.isArray(c['metricsData']) ? (c['metricsData'] as unknown[]) : []) {
      if (!isObject(m) || !text(m['name'])) continue;
      const score = finite(m['score']);
      scores.push({ rubric: text(m['name'])!, item, ...(score !== undefined ? { score } : {}), ...(typeof m['success'] === 'boolean' ? { pass: m['success'] } : {}) });
    }
  });
  const runId = text(doc['testRunId']) ?? text(doc['identifier']);
  return { format: 'deepeval', at: fallbackAt, ...(runId ? { runId } : {}), scores };
}

function jsonLines(content: string, path: string, fallbackAt: string): Pick<OfflineRun, 'format' | 'at' | 'scores'> {
  const scores: OfflineScore[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new OfflineResultsError(path, `line ${i + 1} is not JSON (expected promptfoo results JSON, a DeepEval test run, or JSON Lines of {rubric, score | pass | label, item?})`);
    }
    const rubric = isObject(row) ? text(row['rubric']) : undefined;
    if (!isObject(row) || !rubric) throw new OfflineResultsError(path, `line ${i + 1}: expected an object with a rubric`);
    const score = finite(row['score']);
    const label = text(row['label']);
    const pass = typeof row['pass'] === 'boolean' ? row['pass'] : undefined;
    if (score === undefined && label === undefined && pass === undefined) throw new OfflineResultsError(path, `line ${i + 1}: rubric ${rubric} has no score, pass or label`);
    scores.push({
      rubric,
      ...(score !== undefined ? { score } : {}),
      ...(pass !== undefined ? { pass } : {}),
      ...(label ? { label } : {}),
      ...(row['item'] !== undefined ? { item: String(row['item']) } : {}),
    });
  });
  if (scores.length === 0) throw new OfflineResultsError(path, 'holds no results');
  return { format: 'jsonl', at: fallbackAt, scores };
}

const cache = new Map<string, { mtimeMs: number; run: OfflineRun }>();

/** Reads a results file, again only when it changed since the last cycle. */
export function readOfflineRun(path: string, name?: string): OfflineRun {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    throw new OfflineResultsError(path, `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.run.name === (name ?? basename(path))) return hit.run;
  const run = parseOfflineResults(readFileSync(path, 'utf8'), path, new Date(mtimeMs).toISOString(), name);
  cache.set(path, { mtimeMs, run });
  return run;
}
