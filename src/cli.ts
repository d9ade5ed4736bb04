/**
 * The driftwatch command line: run | once | backtest | check-config | promote | demo | healthcheck.
 * Exit codes: 0 fine, 1 drift found with --fail-on-drift, 2 config or source errors or nothing
 * judged, 3 some signals failed (the rest ran).
 */
import { createApp, createLogger, evaluate, lockState, type App } from './app/app.ts';
import { ConfigError, loadConfigFile } from './config/load.ts';
import { SourceError } from './clickhouse/errors.ts';
import type { Daemon } from './app/daemon.ts';
import { listenHost } from './http/access.ts';
import { VERSION } from './core/version.ts';
import { backtest, backtestSweep, formatBacktest } from './app/backtest.ts';
import { formatSweep, MAX_SWEEP_COMBINATIONS, parseSweeps, stepWarning, sweepCombinations } from './cli/sweep.ts';
import { formatDuration, parseDuration } from './config/duration.ts';
import { Redactor } from './config/secrets.ts';
import { judgedAnything, type CycleOutcome } from './engine/cycle.ts';
import type { Config } from './config/shape.ts';
import { COMMAND_HELP, USAGE } from './cli/help.ts';
import { parseCommandArgs, unknownCommand, UsageError } from './cli/args.ts';
import { onceTable } from './cli/once-table.ts';
import { checkConfig } from './cli/check-config.ts';
import type { LogFormat } from './logging/logger.ts';
import { backtestProgress } from './cli/backtest-progress.ts';
import { promote } from './cli/promote.ts';
import { PromoteError } from './promote/select.ts';
import { StateError } from './alerting/persistence.ts';
import { EvalSetError } from './signals/dataset/eval-set.ts';

/** Learns each loaded config's secrets; every line this process prints passes it. */
const redactor = new Redactor();

function load(file: string, overrides: readonly string[] = [], logFormatFlag?: string): Config {
  const { config, warnings } = loadConfigFile(file, process.env, overrides);
  redactor.use(config);
  if (warnings.length > 0) {
    const log = createLogger('warn', redactor, logFormat(logFormatFlag, config));
    for (const w of warnings) log.warn({ file }, `config: ${w}`);
  }
  return config;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && COMMAND_HELP[command] && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(`${COMMAND_HELP[command]}\n`);
      return 0;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'once':
        return await onceCommand(rest);
      case 'check-config':
        return await checkConfigCommand(rest);
      case 'backtest':
        return await backtestCommand(rest);
      case 'demo':
        return await demoCommand(rest);
      case 'healthcheck':
        return await healthcheckCommand(rest);
      case 'promote':
        return await promoteCommand(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help': {
        const topic = command === 'help' ? rest[0] : undefined;
        process.stdout.write(`${topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : USAGE}\n`);
        return command === undefined ? 2 : 0;
      }
      case '-V':
      case 'version':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      default:
        throw unknownCommand(command, COMMANDS);
    }
  } catch (err) {
    const say = (text: string) => process.stderr.write(redactor.text(text));
    if (err instanceof ConfigError) {
      say(`driftwatch: invalid config ${err.file}:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
    }
    if (err instanceof SourceError || err instanceof PromoteError || err instanceof StateError || err instanceof EvalSetError) {
      say(`driftwatch: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      const help = command !== undefined && COMMAND_HELP[command] ? COMMAND_HELP[command] : USAGE;
      say(`driftwatch: ${(err as Error).message}\n\n${help}\n`);
      return 2;
    }
    say(`driftwatch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

const LOG_FORMAT_OPTION = { 'log-format': { type: 'string' } } as const;

/** The --log-format flag, else the config's log.format. */
function logFormat(flag: string | undefined, config?: Config): LogFormat {
  if (flag === undefined) return config?.log.format ?? 'auto';
  if (flag !== 'auto' && flag !== 'json' && flag !== 'human') throw new UsageError(`--log-format "${flag}" is not one of auto, json, human`);
  return flag;
}

/** Every command, for "did you mean": the ones with help, and help and version themselves. */
const COMMANDS = [...Object.keys(COMMAND_HELP), 'help', 'version'];

/** A required ISO-8601 time argument. */
function isoTime(flag: string, value: string | undefined): Date {
  if (value === undefined) throw new UsageError(`${flag} is required: an ISO-8601 time such as 2026-12-01T00:00:00Z`);
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UsageError(`${flag} "${value}" is not an ISO-8601 time (such as 2026-12-01T00:00:00Z)`);
  return at;
}

function requireConfig(value: string | undefined): string {
  if (typeof value !== 'string') throw new UsageError('--config FILE is required');
  return value;
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('run', args, { config: { type: 'string', short: 'c' }, ...LOG_FORMAT_OPTION });
  const file = requireConfig(values.config);
  const config = load(file, [], values['log-format']);
  const log = createLogger(config.log.level, redactor, logFormat(values['log-format'], config));
  // Signals count from the start: a SIGTERM while the trace store is still awaited ends the wait.
  const started = new AbortController();
  let daemon: Daemon | undefined;
  const stopped = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'shutting down');
      if (!daemon) {
        started.abort();
        return;
      }
      void daemon.stop().then(() => {
        // A socket a sink left open (its own timeout still running) must not hold the exit.
        setTimeout(() => process.exit(0), 500).unref();
        resolve(0);
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGHUP', () => daemon?.reload());
  });
  // The daemon's modules (HTTP server, scheduler, status page) load only for `run`: every other
  // command starts faster without them.
  const { startDaemon, StartAborted } = await import('./app/daemon.ts');
  try {
    daemon = await startDaemon(file, config, log, redactor, { signal: started.signal });
  } catch (err) {
    if (!(err instanceof StartAborted)) throw err;
    log.info('driftwatch stopped before the trace store answered');
    return 0;
  }
  return await stopped;
}

async function onceCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('once', args, {
    config: { type: 'string', short: 'c' },
    at: { type: 'string' },
    json: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    'fail-on-drift': { type: 'boolean', default: false },
    ...LOG_FORMAT_OPTION,
  });
  const file = requireConfig(values.config);
  const at = values.at === undefined ? new Date() : isoTime('--at', values.at);
  const config = load(file, [], values['log-format']);
  // Logs go to stderr, so --json keeps stdout a clean report and still shows backfill progress.
  const log = createLogger(config.log.level, redactor, logFormat(values['log-format'], config));
  // A dry run writes no state, so it may run beside the daemon; anything else is a second writer.
  const lock = values['dry-run'] ? null : lockState(config, 'once', log);
  let app: App;
  try {
    app = await createApp(config, log, redactor, { configFile: file });
  } catch (err) {
    lock?.release();
    throw err;
  }
  try {
    const outcome = await evaluate(app, at, { dryRun: values['dry-run'] === true });
    const report = outcome.report;
    if (values.json) {
      process.stdout.write(redactor.text(`${JSON.stringify(report, null, 2)}\n`));
    } else {
      process.stdout.write(redactor.text(onceTable(report)));
    }
    return onceExitCode(outcome, values['fail-on-drift'] === true);
  } finally {
    await app.close();
    lock?.release();
  }
}

/**
 * 2 when nothing could be judged (the source did not answer or its current window has no or too
 * few spans, every signal failed, or the alert state could not be saved); 3 when some signals failed and the others ran;
 * 1 for drift with --fail-on-drift; else 0.
 */
function onceExitCode(outcome: CycleOutcome, failOnDrift: boolean): number {
  const report = outcome.report;
  const stalled = outcome.freshness.length > 0 && outcome.freshness.every((f) => f.freshness.stalled);
  if (!outcome.sourceUp || outcome.failed || stalled || !judgedAnything(report)) return 2;
  if (report.errors.length > 0) return 3;
  return failOnDrift && report.signals.some((s) => s.status === 'drift') ? 1 : 0;
}

async function backtestCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('backtest', args, {
    config: { type: 'string', short: 'c' },
    from: { type: 'string' },
    to: { type: 'string' },
    step: { type: 'string', default: '1h' },
    json: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
    sweep: { type: 'string', multiple: true, default: [] },
    ...LOG_FORMAT_OPTION,
  });
  const file = requireConfig(values.config);
  const from = isoTime('--from', values.from);
  const to = isoTime('--to', values.to);
  if (from > to) throw new UsageError(`--from ${from.toISOString()} is after --to ${to.toISOString()}`);
  const step = parseDuration(values.step!);
  if (step === undefined || step <= 0) throw new UsageError(`--step "${values.step}" is not a duration (e.g. 1h, 30m)`);
  const axes = parseSweeps(values.sweep!);
  const combos = sweepCombinations(axes);
  if (combos.length > MAX_SWEEP_COMBINATIONS) throw new UsageError(`--sweep gives ${combos.length} combinations; at most ${MAX_SWEEP_COMBINATIONS} are replayed at once`);
  const config = load(file, values.set, values['log-format']);
  // Every combination is validated before anything is replayed, naming the value that is wrong.
  const variants = combos.map((c) => {
    try {
      return { values: c.values, config: axes.length > 0 ? loadConfigFile(file, process.env, [...values.set!, ...c.overrides]).config : config };
    } catch (err) {
      if (err instanceof ConfigError)
        throw new ConfigError(
          file,
          err.problems.map((p) => `--sweep ${c.overrides.join(' ')}: ${p}`),
        );
      throw err;
    }
  });
  const log = createLogger('warn', redactor, logFormat(values['log-format'], config));
  const app = await createApp(config, log, redactor);
  try {
    const progress = backtestProgress((line) => process.stderr.write(`backtest: ${line}\n`));
    process.stderr.write(`backtest: replaying ${from.toISOString()} → ${to.toISOString()} every ${formatDuration(step)}${axes.length > 0 ? ` for ${variants.length} configurations` : ''}\n`);
    const timing = stepWarning(step, config.schedule, config.alerting.openAfter, config.alerting.resolveAfter);
    if (timing) process.stderr.write(`backtest: ${timing}\n`);
    // It writes rollup tables (not alerts): say where, so nobody finds them by surprise.
    process.stderr.write(
      app.rollups ? `backtest: rollups are built and kept in ${app.rollups.location} (reused by later runs and the daemon)\n` : 'backtest: rollups are off; every replayed cycle scans raw spans\n',
    );
    const deps = { config, store: app.store, sources: app.sources, log, rollups: app.rollups, progress };
    if (axes.length === 0) {
      const result = await backtest(deps, from, to, step);
      process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatBacktest(result));
      return 0;
    }
    const results = await backtestSweep(deps, variants, from, to, step);
    const runs = variants.map((v, i) => ({ values: v.values, result: results[i]! }));
    process.stdout.write(values.json ? `${JSON.stringify({ sweep: axes, runs }, null, 2)}\n` : formatSweep(axes, runs));
    return 0;
  } finally {
    await app.close();
  }
}

async function checkConfigCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(
    'check-config',
    args,
    { config: { type: 'string', short: 'c' }, connect: { type: 'boolean', default: false }, print: { type: 'boolean', default: false } },
    1,
  );
  // --config FILE as every other command takes it; the bare FILE of earlier releases still works.
  const [bare] = positionals;
  if (bare !== undefined && values.config !== undefined && bare !== values.config) throw new UsageError(`check-config was given two files (--config ${values.config} and ${bare}); give one`);
  const file = requireConfig(values.config ?? bare);
  // The old spellings are listed among the checks rather than logged.
  const { config, warnings } = loadConfigFile(file, process.env);
  redactor.use(config);
  const ok = await checkConfig(config, { connect: values.connect === true, warnings }, (line) => process.stdout.write(redactor.text(`${line}\n`)));
  if (values.print) process.stdout.write(`${JSON.stringify(redactor.value(config), null, 2)}\n`);
  process.stdout.write(`${file}: ${ok ? 'valid' : 'has problems (FAIL above)'}\n`);
  return ok ? 0 : 2;
}

/** For container health checks: GET /healthz on the port the config names; 0 when it answers ok. */
async function healthcheckCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('healthcheck', args, { config: { type: 'string', short: 'c' } });
  const config = load(requireConfig(values.config));
  const bound = listenHost(config.server.host);
  const host = bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
  try {
    const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}/healthz`, { signal: AbortSignal.timeout(4_000) });
    return res.ok ? 0 : 1;
  } catch {
    return 1;
  }
}

async function promoteCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('promote', args, {
    config: { type: 'string', short: 'c' },
    alert: { type: 'string' },
    pattern: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    to: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  });
  const config = load(requireConfig(values.config));
  if (!values.alert) throw new UsageError('--alert FINGERPRINT is required');
  const patterns = values.pattern ?? [];
  if (patterns.length === 0 && !values.all) throw new UsageError('name patterns with --pattern NAME (repeatable), or take every pattern with --all');
  if (patterns.length > 0 && values.all) throw new UsageError('--pattern and --all exclude each other');
  const out = await promote(config, { alert: values.alert, patterns, ...(values.to ? { to: values.to } : {}), dryRun: values['dry-run'] === true });
  const say = (text: string) => process.stdout.write(redactor.text(text));
  if (values['dry-run']) {
    for (const r of out.rows) say(`${JSON.stringify({ input: r.input, intent: r.intent, traceId: r.traceId, pattern: r.pattern })}\n`);
    say(`${out.rows.length} rows would be appended to ${out.file} (dry run: nothing written)\n`);
  } else {
    say(`promoted ${out.added} rows into ${out.file}${out.skipped > 0 ? ` (${out.skipped} already there)` : ''}\n`);
  }
  if (out.withoutInput > 0) process.stderr.write(`driftwatch: ${out.withoutInput} representative traces have no user input on their root span, so they were left out\n`);
  return 0;
}

async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', args, { dir: { type: 'string', default: '.driftwatch/demo' }, port: { type: 'string', default: '9464' }, ...LOG_FORMAT_OPTION });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${values.port}" is not a port number`);
  const { runDemo } = await import('./demo/command.ts');
  return await runDemo(values.dir!, port, logFormat(values['log-format']));
}
