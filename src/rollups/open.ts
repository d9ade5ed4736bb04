/**
 * Where rollups live, decided once at start-up: with embedded traces, in the same engine (one
 * engine per process); with a server, in `rollups.database` on that server when set (the
 * cluster carries them), else in an embedded engine under the state directory, so a read-only
 * trace database works.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import { openEmbeddedStore, type Store } from '../clickhouse/store.ts';
import { RollupEngine, type RollupHooks } from './engine.ts';
import type { PlannedFamily } from './family.ts';

/** The database rollups use inside an embedded engine. */
export const EMBEDDED_ROLLUP_DATABASE = 'driftwatch_rollups';

/** The rollup engine the config asks for (null when rollups are disabled), its tables created. */
export async function openRollups(config: Config, traces: Store, families: readonly PlannedFamily[], log: Logger, hooks: RollupHooks = {}): Promise<RollupEngine | null> {
  if (!config.rollups.enabled) return null;
  let store: Store = traces;
  let database = config.rollups.database ?? EMBEDDED_ROLLUP_DATABASE;
  if (traces.kind === 'server' && !config.rollups.database) {
    store = await openEmbeddedStore(config.rollups.path ?? join(config.alerting.stateDir, 'rollups'), 'default', config.clickhouse.queryTimeout);
    database = EMBEDDED_ROLLUP_DATABASE;
  }
  const engine = new RollupEngine(traces, store, database, families, log, hooks);
  await engine.ensureSchema();
  return engine;
}
