/**
 * One otel_traces table in which every drift mode is under way as of `now`: the demo's own fleet
 * (src/demo/every-mode.ts), so the tests that need the whole metric surface populated (Prometheus
 * in the loop, rollups against raw scans) read exactly what `npm start` shows.
 */
import type { Store } from '../../src/clickhouse/store.ts';
import { DEMO_SIGNALS_YAML, writeDemoFiles, writeFleet } from '../../src/demo/every-mode.ts';

/** Seeds `table` as the demo would have at `now`, writes its CI run and eval set into `dir`; returns the config fragment (paths relative to `dir`). */
export async function seedEveryDrift(store: Store, table: string, dir: string, now: Date): Promise<{ yaml: string }> {
  await writeFleet(store, table, { start: now, to: now });
  writeDemoFiles(dir);
  return { yaml: DEMO_SIGNALS_YAML };
}
