/**
 * Retrieval-corpus drift (`driftMode: retrieval-corpus`, layer `retrieval`): a re-index, a new
 * chunker or a grown corpus changed which documents the same queries retrieve. Defaults: top-10,
 * RBO p=0.9, ≥20 repeated queries, paired sign test against the baseline's own noise floor at
 * α=0.001 after BH, mean RBO −0.1 / top-1 change +10 points. Judge scores name the layer that moved.
 */
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { evaluateRetrieval, type RetrievalRows } from './evaluate.ts';
import { corpusSql, judgeScoresSql, matchedQueriesSql, type CorpusRow, type MatchedQueryRow, type ScoreRow } from './sql.ts';
import { baselineMidMs, windowParams } from '../../core/windows.ts';
import { judgementsFamily } from '../judge/rollups.ts';
import { retrievalCorpusFamily, retrievalListsFamily, retrievalRowsFromRollups } from './rollups.ts';
import { retrievalSection } from './config.ts';
import { RETRIEVAL_DASHBOARD, RETRIEVAL_FACETS } from './facets.ts';

export const retrievalSignal: Signal<RetrievalRows> = {
  name: 'retrieval',
  driftMode: 'retrieval-corpus',
  layer: 'retrieval',
  config: retrievalSection,
  enabled: (config) => config.signals.retrieval.enabled,
  horizon: globalWindowsHorizon,
  rollups: [retrievalListsFamily, retrievalCorpusFamily, judgementsFamily],
  async collect({ store, source, windows, config, rollups }) {
    if (rollups) return retrievalRowsFromRollups(rollups, source, windows, config);
    const r = config.signals.retrieval;
    const w = windowParams(windows);
    const params = {
      ...source.params,
      ...w,
      baselineMidMs: baselineMidMs(windows, config.rollups.bucket),
      k: r.k,
      maxQueries: r.maxQueries,
      maxSubjects: r.maxSubjects,
      scoreNames: [...r.judge.contextRelevance, ...r.judge.groundedness],
    };
    const matched = await store.query<MatchedQueryRow>(matchedQueriesSql(source, r), params);
    const corpus = await store.query<CorpusRow>(corpusSql(source, r), params);
    const scores = await store.query<ScoreRow>(judgeScoresSql(source), params);
    return { matched, corpus, scores };
  },
  evaluate: (rows, config) => evaluateRetrieval(rows, config),
  facets: RETRIEVAL_FACETS,
  dashboard: RETRIEVAL_DASHBOARD,
};
