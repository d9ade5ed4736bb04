/**
 * Which layer moved, from judge scores: a drop in context relevance with stable groundedness
 * names the retriever; a drop in groundedness with stable context relevance names the generator.
 * Pure: per-window score summaries in, verdict out.
 */
import { welchLess, type Summary } from '../../stats/welch.ts';
import type { RetrievalConfig } from './config.ts';
import type { ScoreRow } from './sql.ts';

export type MovedLayer = 'retriever' | 'generator' | 'both' | 'none' | 'unknown';

export interface LayerVerdict {
  layer: MovedLayer;
  sentence: string;
  scores: { contextRelevance?: ScoreMove; groundedness?: ScoreMove };
}

interface ScoreMove {
  name: string;
  baseline: number;
  current: number;
  pValue: number;
  dropped: boolean;
}

function move(rows: readonly ScoreRow[], names: readonly string[], j: RetrievalConfig['judge']): ScoreMove | undefined {
  // Of the configured names, the one with the most current scores speaks for the group.
  const candidates = names
    .map((name) => ({ name, c: rows.find((r) => r.name === name && r.cur === 1), b: rows.find((r) => r.name === name && r.cur === 0) }))
    .filter((x) => x.c && x.b && x.c.n >= j.minScores && x.b.n >= j.minScores)
    .sort((x, y) => y.c!.n - x.c!.n);
  const best = candidates[0];
  if (!best) return undefined;
  const summary = (r: ScoreRow): Summary => ({ n: r.n, mean: r.mean, variance: r.variance ?? 0 });
  const { pValue } = welchLess(summary(best.c!), summary(best.b!));
  const dropped = pValue < j.alpha && best.b!.mean - best.c!.mean >= j.minDrop;
  return { name: best.name, baseline: best.b!.mean, current: best.c!.mean, pValue, dropped };
}

const fmt = (m: ScoreMove) => `${m.name} ${m.baseline.toFixed(2)} → ${m.current.toFixed(2)}`;

export function whichLayerMoved(rows: readonly ScoreRow[], j: RetrievalConfig['judge']): LayerVerdict {
  const cr = move(rows, j.contextRelevance, j);
  const g = move(rows, j.groundedness, j);
  const scores = { ...(cr ? { contextRelevance: cr } : {}), ...(g ? { groundedness: g } : {}) };
  if (!cr || !g) {
    return {
      layer: 'unknown',
      scores,
      sentence: `the traces carry too few judge scores for ${!cr ? j.contextRelevance.join('/') : j.groundedness.join('/')} (${j.minScores} per window needed) to say which layer moved`,
    };
  }
  if (cr.dropped && !g.dropped) return { layer: 'retriever', scores, sentence: `context relevance fell (${fmt(cr)}) while groundedness held (${fmt(g)}): the retriever moved` };
  if (g.dropped && !cr.dropped) return { layer: 'generator', scores, sentence: `groundedness fell (${fmt(g)}) while context relevance held (${fmt(cr)}): the generator moved` };
  if (g.dropped && cr.dropped)
    return { layer: 'both', scores, sentence: `context relevance (${fmt(cr)}) and groundedness (${fmt(g)}) both fell: the retriever moved, and answers lost their grounding with it` };
  return { layer: 'none', scores, sentence: `context relevance (${fmt(cr)}) and groundedness (${fmt(g)}) held: judge scores do not show the shift yet` };
}
