/** What a signal's or a pattern's queries may use: the store, how traces are laid out, the windows, the rollups. */
import type { Config } from '../config/shape.ts';
import type { Store } from '../clickhouse/store.ts';
import type { TraceSource } from '../sources/source.ts';
import type { Windows } from '../core/windows.ts';
import type { RollupReader } from './engine.ts';

export interface CollectContext {
  store: Store;
  source: TraceSource;
  windows: Windows;
  config: Config;
  /**
   * The signal's rollups, up to date for `windows`: when present, `collect` merges their buckets;
   * when absent (rollups disabled, or a reference run in tests) it scans raw spans.
   */
  rollups?: RollupReader;
}
