/**
 * The registry of drift signals: a literal list. Adding a signal is one folder and one line here;
 * its config section, facets, dashboard row and rollup families come with it.
 */
import type { Signal } from './types.ts';
import type { PlannedFamily } from '../rollups/family.ts';
import { catalogueOf } from './catalogue.ts';
import { toolApiSignal } from './tool-api/index.ts';
import { retrievalSignal } from './retrieval/index.ts';
import { judgeSignal } from './judge/index.ts';
import { promptSignal } from './prompt/index.ts';
import { agentSignal } from './agent/index.ts';
import { inputSignal } from './input/index.ts';
import { datasetSignal } from './dataset/index.ts';
import { scoresSignal } from './scores/index.ts';

export const SIGNALS: readonly Signal<never>[] = [
  toolApiSignal as Signal<never>,
  retrievalSignal as Signal<never>,
  judgeSignal as Signal<never>,
  promptSignal as Signal<never>,
  agentSignal as Signal<never>,
  inputSignal as Signal<never>,
  datasetSignal as Signal<never>,
  scoresSignal as Signal<never>,
];

/** What the registered signals declare, for metrics, alerts, the dashboard and the rollup engine. */
export const CATALOGUE = catalogueOf(SIGNALS);

/** Every rollup family the signals declare, once each, with when a cycle reads it. */
export function familiesOf(signals: readonly Signal<never>[]): PlannedFamily[] {
  return [...catalogueOf(signals).families];
}
