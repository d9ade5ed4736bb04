// Writes dashboards/driftwatch.json from src/dashboards/driftwatch.ts; a test keeps them in sync.
import { writeFileSync } from 'node:fs';
import { buildDashboard } from '../src/dashboards/driftwatch.ts';

writeFileSync(new URL('../dashboards/driftwatch.json', import.meta.url), `${JSON.stringify(buildDashboard(), null, 2)}\n`);
