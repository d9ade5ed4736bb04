/**
 * Dataset drift (`driftMode: dataset`, layer `dataset`): users bring intents the offline eval set
 * never had. With intents: the share of traffic whose intent the eval set lacks; without: the
 * share of inputs whose nearest eval input is far (n-gram distance in ClickHouse). Defaults: ≥100
 * inputs per window, α=0.001 after BH, +5 points and ×1.5.
 */
import { windowParams } from '../../core/windows.ts';
import { globalWindowsHorizon, type Signal } from '../types.ts';
import { inputSampleFamily, intentRowsFromRollups, intentsFamily, noveltyRowsFromRollups } from './rollups.ts';
import { evalIntents, evaluateDataset, type DatasetRows } from './evaluate.ts';
import { lexicalEvalInputs, loadEvalSet } from './eval-set.ts';
import { datasetPatterns } from './patterns.ts';
import { intentsSql, noveltySql, type IntentRow, type NoveltyRow } from './sql.ts';
import { datasetSection } from './config.ts';
import { DATASET_DASHBOARD, DATASET_FACETS } from './facets.ts';

export const datasetSignal: Signal<DatasetRows> = {
  name: 'dataset',
  driftMode: 'dataset',
  layer: 'dataset',
  config: datasetSection,
  enabled: (config) => config.signals.dataset.enabled,
  horizon: globalWindowsHorizon,
  rollups: [intentsFamily, inputSampleFamily],
  async collect({ store, source, windows, config, rollups }) {
    const d = config.signals.dataset;
    const loaded = await loadEvalSet(store, d);
    if (!loaded) return { mode: 'missing', reason: 'no eval set configured (signals.dataset.evalSet.path or .table), so dataset drift cannot be measured' };
    const { name: evalSet, items } = loaded;
    const params = { ...source.params, ...windowParams(windows) };
    const known = evalIntents(items);
    if (known.length > 0) {
      const intents = rollups ? await intentRowsFromRollups(rollups, windows) : await store.query<IntentRow>(intentsSql(source), params);
      if (intents.length > 0) return { mode: 'intents', evalSet, evalIntents: known, intents };
    }
    const evalInputs = lexicalEvalInputs(items, d);
    const lexical = { evalInputs, maxInputs: d.maxInputs, noveltyDistance: d.noveltyDistance };
    const novelty = rollups ? await noveltyRowsFromRollups(rollups, windows, lexical) : await store.query<NoveltyRow>(noveltySql(source), { ...params, ...lexical });
    return { mode: 'lexical', evalSet, novelty };
  },
  evaluate: (rows, config) => evaluateDataset(rows, config),
  patterns: datasetPatterns,
  facets: DATASET_FACETS,
  dashboard: DATASET_DASHBOARD,
};
