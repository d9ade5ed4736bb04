/** The catalogue of drift signals: a literal list; adding a signal is one folder and one line here. */
import type { Signal } from './types.ts';
import type { RollupFamily } from '../rollups/family.ts';
import { toolApiSignal } from './tool-api/index.ts';
import { retrievalSignal } from './retrieval/index.ts';
import { judgeSignal } from './judge/index.ts';
import { promptSignal } from './prompt/index.ts';
import { agentSignal } from './agent/index.ts';
import { inputSignal } from './input/index.ts';
import { datasetSignal } from './dataset/index.ts';

export const SIGNALS: readonly Signal<never>[] = [
  toolApiSignal as Signal<never>,
  retrievalSignal as Signal<never>,
  judgeSignal as Signal<never>,
  promptSignal as Signal<never>,
  agentSignal as Signal<never>,
  inputSignal as Signal<never>,
  datasetSignal as Signal<never>,
];

/** Every family the signals declare, once each (two signals may share one). */
export function familiesOf(signals: readonly Signal<never>[]): RollupFamily[] {
  const byName = new Map<string, RollupFamily>();
  for (const s of signals) for (const f of s.rollups) byName.set(f.name, f);
  return [...byName.values()];
}
