/**
 * The driftwatch command line: run | once | check-config | demo.
 * Exit codes: 0 fine, 1 drift found with --fail-on-drift, 2 config or source errors.
 */
import { parseArgs } from 'node:util';
import { createApp, createLogger, evaluate } from './app.ts';
import { ConfigError, loadConfigFile, redact } from './config/load.ts';
import { SourceError } from './clickhouse/errors.ts';
import { startDaemon } from './daemon.ts';
import { runDemo } from './demo/command.ts';
import { VERSION } from './version.ts';
import { backtest, formatBacktest } from './backtest.ts';
import { parseDuration } from './config/duration.ts';

const USAGE = `driftwatch ${VERSION}: tells you when production traces drift away from what your evals test.

Usage:
  driftwatch run --config FILE                 run the daemon
  driftwatch once --config FILE [--at ISO-8601] [--json] [--dry-run] [--fail-on-drift]
                                               one evaluation cycle, then exit
  driftwatch backtest --config FILE --from T1 --to T2 [--step 1h] [--json] [--set path=value …]
                                               replay cycles over history with the current thresholds, sending nothing
  driftwatch check-config FILE                 validate a config file
  driftwatch demo [--dir DIR] [--port N]       a synthetic week of traces ending in drift, and the daemon on it

Exit codes: 0 ok; 1 drift found (once --fail-on-drift); 2 config or trace-source error.`;

/** A usage or input problem: one line, exit code 2. */
class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'once':
        return await onceCommand(rest);
      case 'check-config':
        return checkConfigCommand(rest);
      case 'backtest':
        return await backtestCommand(rest);
      case 'demo':
        return await demoCommand(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`driftwatch: invalid config ${err.file}:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
    }
    if (err instanceof SourceError) {
      process.stderr.write(`driftwatch: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`driftwatch: ${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`driftwatch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

function requireConfig(value: string | undefined): string {
  if (typeof value !== 'string') throw new UsageError('--config FILE is required');
  return value;
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true });
  const file = requireConfig(values.config);
  const { config } = loadConfigFile(file);
  const log = createLogger(config.log.level);
  const daemon = await startDaemon(file, config, log);
  return await new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void daemon.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGHUP', () => daemon.reload());
  });
}

async function onceCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'fail-on-drift': { type: 'boolean', default: false },
    },
  });
  const file = requireConfig(values.config);
  const at = typeof values.at === 'string' ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at "${String(values.at)}" is not an ISO-8601 time`);
  const { config } = loadConfigFile(file);
  // Logs go to stderr, so --json keeps stdout a clean report and still shows backfill progress.
  const log = createLogger(config.log.level);
  const app = await createApp(config, log);
  try {
    const outcome = await evaluate(app, at, { dryRun: values['dry-run'] === true });
    const report = outcome.report;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(`driftwatch: ${report.evaluatedAt}, current ${report.windows.current.from} → ${report.windows.current.to}\n`);
      for (const r of report.signals) process.stdout.write(`  ${r.status.padEnd(7)} ${r.driftMode.padEnd(16)} ${r.message}\n`);
      for (const e of report.errors) process.stdout.write(`  error   ${e.signal ?? 'source'}: ${e.message}\n`);
    }
    if (report.errors.length > 0 && !outcome.sourceUp) return 2;
    return values['fail-on-drift'] && report.signals.some((s) => s.status === 'drift') ? 1 : 0;
  } finally {
    await app.close();
  }
}

async function backtestCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string', default: '1h' },
      json: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  const file = requireConfig(values.config);
  const from = new Date(values.from ?? '');
  const to = new Date(values.to ?? '');
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new UsageError('--from and --to take ISO-8601 times');
  if (from > to) throw new UsageError('--from must not be after --to');
  const step = parseDuration(values.step!);
  if (step === undefined || step <= 0) throw new UsageError(`--step "${values.step}" is not a duration (e.g. 1h, 30m)`);
  const { config } = loadConfigFile(file, process.env, values.set);
  const log = createLogger('warn');
  const app = await createApp(config, log);
  try {
    const started = performance.now();
    let lastLine = 0;
    const progress = (done: number, total: number) => {
      const now = performance.now();
      if (now - lastLine < 2000 && done < total) return;
      lastLine = now;
      const eta = Math.round(((now - started) / 1000 / done) * (total - done));
      process.stderr.write(`backtest: ${done}/${total} cycles, ETA ${eta}s\n`);
    };
    const result = await backtest({ config, store: app.store, sources: app.sources, log, rollups: app.rollups, progress }, from, to, step);
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatBacktest(result));
    return 0;
  } finally {
    await app.close();
  }
}

function checkConfigCommand(args: string[]): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('check-config takes exactly one FILE');
  const { config } = loadConfigFile(positionals[0]!);
  process.stdout.write(`${positionals[0]}: valid\n${JSON.stringify(redact(config), null, 2)}\n`);
  return 0;
}

async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: 'string', default: '.driftwatch/demo' }, port: { type: 'string', default: '9464' } }, strict: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${values.port}" is not a port number`);
  return await runDemo(values.dir!, port);
}
