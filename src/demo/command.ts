/** `driftwatch demo`: a synthetic week of agent traces ending in tool-API drift, and the daemon on it. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../app.ts';
import type { LogFormat } from '../logging/logger.ts';
import { loadConfigFile } from '../config/load.ts';
import { openStore } from '../clickhouse/store.ts';
import { startDaemon } from '../daemon.ts';
import { generateDemoTraces } from './generate.ts';

const DEMO_CONFIG = (port: number) => `# Written by \`driftwatch demo\`; see config/driftwatch.example.yaml for every option.
clickhouse:
  embedded: chdb
traces:
  schema: otel
  table: otel_traces
server:
  port: ${port}
alerting:
  stateDir: state
notify:
  fileSink:
    path: alerts.jsonl
`;

/** Written into every demo directory: only a directory holding it is ever emptied by the demo. */
export const DEMO_MARKER = '.driftwatch-demo';

/** The demo's directory refuses to be anything but empty, missing, or an earlier demo's. */
export class DemoDirError extends Error {}

/** Empties an earlier demo's directory (old alert state would hide the new episode); refuses any other non-empty one. */
export function prepareDemoDir(dir: string): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new DemoDirError(`--dir ${dir} is not empty and was not made by driftwatch demo; choose an empty or new directory (nothing was deleted)`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DEMO_MARKER), 'Made by `driftwatch demo`, which empties this directory each time it starts.\n');
}

export async function runDemo(dirArg: string, port: number, logFormat: LogFormat = 'auto'): Promise<number> {
  const dir = resolve(dirArg);
  prepareDemoDir(dir);
  const configFile = join(dir, 'driftwatch.yaml');
  writeFileSync(configFile, DEMO_CONFIG(port));
  const { config } = loadConfigFile(configFile);
  const log = createLogger(config.log.level, undefined, logFormat);

  const now = new Date();
  const store = await openStore(config.clickhouse);
  process.stderr.write('driftwatch demo: writing a synthetic week of agent traces to the embedded engine…\n');
  const table = config.traces.schema === 'otel' ? config.traces.table : 'otel_traces';
  const traces = await generateDemoTraces(store, table, {
    from: new Date(now.getTime() - 7 * 86_400_000 - 3_600_000),
    to: now,
    driftFrom: new Date(now.getTime() - 50 * 60_000),
  });
  await store.close();
  process.stderr.write(
    `driftwatch demo: open http://localhost:${port}/ to see what drifted\n` +
      `  ${traces} traces written; refund_payment's vendor API changed 50 minutes ago.\n` +
      `  metrics:  http://localhost:${port}/metrics   (try: curl -s localhost:${port}/metrics | grep 'status="drift"} 1')\n` +
      `  alerts:   ${config.notify.fileSink.path}\n` +
      `  report:   curl -s localhost:${port}/report.json   (the last cycle, as once --json prints it)\n` +
      `  config:   ${configFile}   (after Ctrl-C: driftwatch once --config ${configFile}; while the demo runs it holds the embedded engine)\n` +
      '  Ctrl-C stops it.\n',
  );
  const daemon = await startDaemon(configFile, config, log);
  return await new Promise<number>((resolveExit) => {
    const stop = () => void daemon.stop().then(() => resolveExit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
