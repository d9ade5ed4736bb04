// The CLI end to end, as a user runs it: `once --json` on seeded data is the public report.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { DRIFT_MODES } from '../src/core/modes.ts';

const AT = '2026-11-20T12:00:30Z';
let dir: string;

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/driftwatch.js', ...args], { encoding: 'utf8', env: { ...process.env, DW_SECRET: 'hunter2-secret' } });
}
const writeConfig = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
};

before(async () => {
  const fresh = await freshStore('drifting');
  dir = fresh.dir;
  const at = Date.parse(AT);
  await generateDemoTraces(fresh.store, 'drifting', { from: new Date(at - 8 * 86_400_000), to: new Date(at), driftFrom: new Date(at - 50 * 60_000), seed: 21 });
  await generateDemoTraces(fresh.store, 'stationary', { from: new Date(at - 8 * 86_400_000), to: new Date(at), driftFrom: null, seed: 22 });
  // The same drift, with the user's request on every root span (what promote writes).
  const requests = ['I want a refund for booking 4411', 'cancel my flight to Lisbon and refund me', 'refund the seat upgrade I did not get', 'where is my refund', 'please refund my baggage fee'];
  await generateDemoTraces(fresh.store, 'with_inputs', {
    from: new Date(at - 8 * 86_400_000),
    to: new Date(at),
    driftFrom: new Date(at - 50 * 60_000),
    seed: 23,
    inputs: { usual: requests, peak: requests, peakShare: 0, offPeakShare: 0 },
  });
  await fresh.store.close();
});

describe('driftwatch CLI', () => {
  it('once --json prints the report contract, naming tool-API drift', () => {
    const config = writeConfig('drifting.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', config, '--at', AT, '--json', '--dry-run');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).sort(), ['errors', 'evaluatedAt', 'signals', 'windows']);
    assert.equal(report.evaluatedAt, '2026-11-20T12:00:00.000Z');
    // The current window ends ingestLag (2m) before the evaluation, floored to a 5-minute bucket.
    assert.deepEqual(report.windows, {
      current: { from: '2026-11-20T10:55:00.000Z', to: '2026-11-20T11:55:00.000Z' },
      baseline: { from: '2026-11-13T10:55:00.000Z', to: '2026-11-20T10:55:00.000Z' },
    });
    assert.deepEqual(report.errors, []);
    assert.ok(report.signals.length >= 16);
    for (const s of report.signals) {
      for (const key of ['signal', 'driftMode', 'layer', 'subject', 'status', 'value', 'baseline', 'samples', 'pValue', 'evidence', 'message']) assert.ok(key in s, `${key} missing`);
      assert.ok((DRIFT_MODES as readonly string[]).includes(s.driftMode));
      assert.ok(['ok', 'drift', 'no_data', 'error'].includes(s.status));
      assert.equal(typeof s.samples.current, 'number');
      assert.ok(Array.isArray(s.evidence.traceIds) && s.evidence.traceIds.length <= 10);
    }
    const drifting = report.signals.filter((s: { status: string }) => s.status === 'drift');
    assert.ok(drifting.length > 0);
    assert.ok(drifting.every((s: { driftMode: string; subject: { tool: string } }) => s.driftMode === 'tool-api' && s.subject.tool === 'refund_payment'));
    assert.ok(!existsSync(join(dir, '.driftwatch/alerts.jsonl')), '--dry-run sent an alert');
  });

  it('--fail-on-drift exits 1 on drift and 0 on a stationary week; without --dry-run the alert is written', () => {
    const drifting = writeConfig('drifting.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', drifting, '--at', AT, '--fail-on-drift');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /drift\s+tool_error_rate\s+tool-api\s+tool=refund_payment/);
    const alerts = readFileSync(join(dir, '.driftwatch/alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(alerts.length, 1);
    assert.match(alerts[0].title, /^Tool-API drift: refund_payment/);
    const stationary = writeConfig('stationary.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: stationary}\nalerting: {stateDir: state-stationary}\n');
    assert.equal(cli('once', '--config', stationary, '--at', AT, '--fail-on-drift').status, 0);
  });

  it('promote appends the failing traces of an alert’s patterns to an eval-set file, once', () => {
    const config = writeConfig('with-inputs.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: with_inputs}\nalerting: {stateDir: state-inputs}\n');
    assert.equal(cli('once', '--config', config, '--at', AT).status, 0);
    // The alert that cycle opened, as the daemon keeps it.
    const state = JSON.parse(readFileSync(join(dir, 'state-inputs/state.json'), 'utf8'));
    const alert = Object.values(state.alerts as Record<string, { fingerprint: string; lastResult: { evidence: { patterns: { name: string; traceIds: string[] }[] } } }>)[0]!;
    const patterns = alert.lastResult.evidence.patterns;
    assert.ok(patterns.length > 0, 'the drifting verdict carries patterns');
    const target = join(dir, 'promoted.jsonl');
    const dry = cli('promote', '--config', config, '--alert', alert.fingerprint.slice(0, 8), '--pattern', patterns[0]!.name, '--to', target, '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /\n\d+ rows would be appended to .*promoted\.jsonl \(dry run: nothing written\)\n$/);
    assert.ok(!existsSync(target));
    const run = cli('promote', '--config', config, '--alert', alert.fingerprint, '--all', '--to', target);
    assert.equal(run.status, 0, run.stderr);
    const rows = readFileSync(target, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.match(run.stdout, new RegExp(`^promoted ${rows.length} rows into .*promoted\\.jsonl`));
    const ids = new Set(patterns.flatMap((p) => p.traceIds));
    assert.ok(rows.length > 0 && rows.every((r) => ids.has(r.traceId) && /refund/.test(r.input) && patterns.some((p) => p.name === r.pattern)), JSON.stringify(rows));
    const again = cli('promote', '--config', config, '--alert', alert.fingerprint, '--all', '--to', target);
    assert.match(again.stdout, /^promoted 0 rows into .* \(\d+ already there\)\n$/);
    const unknown = cli('promote', '--config', config, '--alert', alert.fingerprint, '--pattern', 'no such pattern', '--to', target);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /has no pattern named "no such pattern"; its patterns: /);
    assert.equal(cli('promote', '--config', config, '--alert', alert.fingerprint).status, 2, 'neither --pattern nor --all');
  });

  it('promote fails when the traces carry no user input, saying what to record, and writes nothing', () => {
    const config = join(dir, 'drifting.yaml');
    const state = JSON.parse(readFileSync(join(dir, '.driftwatch/state/state.json'), 'utf8'));
    const alert = Object.values(state.alerts as Record<string, { fingerprint: string }>)[0]!;
    const run = cli('promote', '--config', config, '--alert', alert.fingerprint, '--all', '--to', join(dir, 'nothing.jsonl'));
    assert.equal(run.status, 2, run.stdout);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /nothing written to .*nothing\.jsonl: none of the \d+ representative traces has a user input on its root span\. driftwatch reads it from the root span attributes input\.value, /,
    );
    assert.ok(!existsSync(join(dir, 'nothing.jsonl')));
    // Traces with inputs, but a device as the target: refused before anything is read from it.
    const inputs = JSON.parse(readFileSync(join(dir, 'state-inputs/state.json'), 'utf8'));
    const withInputs = Object.values(inputs.alerts as Record<string, { fingerprint: string }>)[0]!;
    const device = cli('promote', '--config', join(dir, 'with-inputs.yaml'), '--alert', withInputs.fingerprint, '--all', '--to', '/dev/full');
    assert.equal(device.status, 2, device.stdout);
    assert.match(device.stderr, /^driftwatch: \/dev\/full is not a regular file; promote appends to a JSONL or CSV eval-set file\n$/);
  });

  it('once prints a table naming signal, mode, subject, status and value against baseline; under a drift its reason, last 48 hours, onset and failure patterns', () => {
    const config = writeConfig('drifting-table.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\n');
    const run = cli('once', '--config', config, '--at', AT, '--dry-run');
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[1]!, /^ {2}STATUS +SIGNAL +MODE +SUBJECT +VALUE +BASELINE$/);
    const i = lines.findIndex((l) => /^ {2}drift +tool_error_rate +tool-api +tool=refund_payment +\d+\.\d% +\d+\.\d%$/.test(l));
    assert.ok(i >= 0, run.stdout);
    assert.match(lines[i + 1]!, /^ +refund_payment error rate \d+\.\d% → \d+\.\d%/);
    // The vendor changed at 11:10:30: the onset is refined to that 5-minute bucket (or a neighbour).
    assert.match(lines[i + 2]!, /^ +[▁▂▃▄▅▆▇█·]{48} \d+\.\d%–\d+\.\d%, last 48 h · started ≈ 2026-11-20 11:(05|10|15) UTC ± \d+ min$/);
    // Then its largest failure pattern: the vendor's new error class.
    assert.match(lines[i + 3]!, /^ +pattern .+: \d+ traces, \d+% of those affected \(/);
    // Every verdict names its signal, so two no_data rows never read alike.
    const rows = lines.filter((l) => /^ {2}(ok|drift|no_data|error) /.test(l));
    assert.equal(new Set(rows).size, rows.length);
    assert.match(lines.at(-2)!, /^\d+ verdicts: \d+ drift, \d+ ok, \d+ no_data$/);
    // Logs stay on stderr, JSON when stderr is not a terminal.
    assert.ok(!run.stdout.includes('"level"'));
  });

  it('exits 2 with one clear line per problem on a bad config, never printing a secret', () => {
    const bad = writeConfig('bad.yaml', 'clickhouse: {url: "http://localhost:8123", password: "${DW_SECRET}", pasword: x}\nwindows: {current: soon}\n');
    const run = cli('once', '--config', bad, '--json');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /clickhouse\.pasword \(line 1\): Unrecognized key/);
    assert.match(run.stderr, /windows\.current \(line 2\): "soon" is not a duration/);
    assert.ok(!run.stderr.includes('hunter2-secret'));
    assert.equal(cli('check-config', bad).status, 2);
  });

  it('exits 2 when the trace table does not exist', () => {
    const config = writeConfig('missing.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: nope}\n');
    const run = cli('once', '--config', config);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^driftwatch: table default\.nope does not exist/);
  });

  it('check-config --print prints the effective config with secrets redacted', () => {
    const config = writeConfig('ok.yaml', 'clickhouse: {url: "http://localhost:8123", password: "${DW_SECRET}"}\n');
    const run = cli('check-config', config, '--print');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /valid/);
    assert.match(run.stdout, /"password": "\[redacted\]"/);
    assert.ok(!run.stdout.includes('hunter2-secret'));
  });

  it('prints help for every command and its version', () => {
    for (const command of ['run', 'once', 'backtest', 'check-config', 'promote', 'demo', 'healthcheck']) {
      for (const args of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
      ]) {
        const run = cli(...args);
        assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stdout, new RegExp(`^Usage: driftwatch ${command}`), args.join(' '));
      }
    }
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    assert.equal(cli('--version').stdout, `${version}\n`);
    const bad = cli('once', '--frobnicate');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Usage: driftwatch once/);
  });

  it('writes logs for people on a terminal and JSON lines into a pipe or with --log-format json', () => {
    const config = writeConfig('logs.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\nalerting: {stateDir: state-logs}\n');
    const piped = cli('once', '--config', config, '--at', AT, '--dry-run');
    const json = piped.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(json.length > 0);
    for (const record of json) assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // A pseudo-terminal, as a person running it sees it (util-linux `script`).
    const command = [process.execPath, 'bin/driftwatch.js', 'once', '--config', config, '--at', AT, '--dry-run'].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', `${command} >/dev/null`, '/dev/null'], { encoding: 'utf8' });
    assert.equal(tty.status, 0, tty.stdout + tty.stderr);
    const humanLines = tty.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
    assert.ok(humanLines.length > 0);
    for (const l of humanLines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR|DEBUG) \S/, l);
    assert.ok(!tty.stdout.includes('"level"'));
    const forced = spawnSync('script', ['-qec', `${command} --log-format json >/dev/null`, '/dev/null'], { encoding: 'utf8' });
    assert.match(forced.stdout, /^\{"level":/);
  });

  it('demo --dir refuses a non-empty directory it did not make, deleting nothing', () => {
    const target = join(dir, 'precious');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'notes.txt'), 'keep me');
    const run = cli('demo', '--dir', target, '--port', '0');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /is not empty and was not made by driftwatch demo; .*nothing was deleted/);
    assert.equal(readFileSync(join(target, 'notes.txt'), 'utf8'), 'keep me');
  });

  it('demo on a taken port says so and exits 2 before writing anything', async () => {
    const { createServer } = await import('node:net');
    const { spawn } = await import('node:child_process');
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    try {
      const target = join(dir, 'demo-port');
      // Spawned without blocking: the taken port is this process's.
      const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/driftwatch.js', 'demo', '--dir', target, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (status) => resolve({ status, stderr }));
      });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^driftwatch: port ${port} on \\S+ is taken \\(another demo or daemon\\?\\); start this one with --port N`));
      assert.ok(!run.stderr.includes('EADDRINUSE'), run.stderr);
      assert.equal(existsSync(target), false);
    } finally {
      server.close();
    }
  });

  it('check-config passes the example config with no environment variable set, and names what is wrong in a bad one', () => {
    const example = cli('check-config', 'config/driftwatch.example.yaml');
    assert.equal(example.status, 0, example.stdout + example.stderr);
    assert.match(example.stdout, /^ok {4}signals\.dataset\.evalSet\.path: 12 eval items/m);
    const bad = writeConfig(
      'bad-values.yaml',
      ['clickhouse: {url: "clickhouse.internal:8123"}', 'traces: {schema: otel, table: otel_traces}', 'notify: {linear: {apiKey: k, teamId: SUP}}'].join('\n'),
    );
    const run = cli('check-config', bad);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /clickhouse\.url \(line 1\): must be an http:\/\/ or https:\/\/ URL/);
    assert.match(run.stderr, /notify\.linear\.teamId \(line 3\): must be the team’s UUID/);
    // A file where a directory must go (running as root, permissions alone would not show it).
    writeFileSync(join(dir, 'a-file'), '');
    const paths = writeConfig('bad-paths.yaml', 'clickhouse: {embedded: chdb}\nalerting: {stateDir: a-file/state}\nsignals: {dataset: {evalSet: {path: missing.jsonl}}}\n');
    const checked = cli('check-config', paths);
    assert.equal(checked.status, 2);
    assert.match(checked.stdout, /^FAIL  alerting\.stateDir: \S+\/a-file\/state cannot be written \(\S+\/a-file is not a writable directory/m);
    assert.match(checked.stdout, /^FAIL  signals\.dataset\.evalSet\.path: eval set .*missing\.jsonl cannot be read: ENOENT/m);
  });

  it('check-config --connect runs every enabled signal’s queries on the embedded engine, and names a missing table', () => {
    const good = writeConfig('connect.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: drifting}\nalerting: {stateDir: state-connect}\n');
    const run = cli('check-config', good, '--connect');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const signal of ['tool-api', 'retrieval', 'judge', 'prompt', 'agent', 'input', 'dataset']) assert.match(run.stdout, new RegExp(`^ok {4}queries of ${signal}: run$`, 'm'));
    assert.match(run.stdout, /^ok {4}rollup builds: \d+ run \(tool_calls, .*agent_traces.*\)$/m);
    assert.match(run.stdout, /^ok {4}table default\.drifting: engine MergeTree, queried on this server alone$/m);
    const missing = writeConfig('connect-missing.yaml', 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: nope}\nalerting: {stateDir: state-connect}\n');
    const failed = cli('check-config', missing, '--connect');
    assert.equal(failed.status, 2);
    assert.match(failed.stdout, /^FAIL  table default\.nope does not exist/m);
  });

  it('rejects unknown commands and missing flags with exit 2', () => {
    assert.equal(cli('frobnicate').status, 2);
    assert.equal(cli('once').status, 2);
    assert.equal(cli('once', '--config', 'x.yaml', '--at', 'yesterday').status, 2);
    assert.equal(cli('--help').status, 0);
  });

  it('says in one line what was mistyped and what was meant, then the command’s help', () => {
    const cases: [string[], RegExp][] = [
      [['chek-config', 'a.yaml'], /^driftwatch: unknown command "chek-config"; did you mean check-config\?\n/],
      [['once', '--config', 'a.yaml', '--dryrun'], /^driftwatch: unknown option --dryrun for once; did you mean --dry-run\?\n\nUsage: driftwatch once/],
      [['once', 'a.yaml'], /^driftwatch: once takes no bare arguments, got "a\.yaml"; did you mean --config a\.yaml\?\n/],
      [['once', '--config'], /^driftwatch: --config needs a value \(once --config FILE\)\n/],
      [['backtest', '--config', 'a.yaml', '--from', '2026-12-01'], /^driftwatch: --to is required: an ISO-8601 time such as 2026-12-01T00:00:00Z\n/],
      [['backtest', '--config', 'a.yaml', '--from', 'last week', '--to', '2026-12-01'], /^driftwatch: --from "last week" is not an ISO-8601 time/],
      [['backtest', '--config', 'a.yaml', '--from', '2026-12-02', '--to', '2026-12-01'], /^driftwatch: --from 2026-12-02T00:00:00\.000Z is after --to 2026-12-01T00:00:00\.000Z\n/],
      [['check-config', '--config', 'a.yaml', 'b.yaml'], /^driftwatch: check-config was given two files \(--config a\.yaml and b\.yaml\); give one\n/],
      [['check-config'], /^driftwatch: --config FILE is required\n/],
    ];
    for (const [args, message] of cases) {
      const run = cli(...args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
      assert.ok(!run.stderr.includes('ERR_PARSE_ARGS') && !run.stderr.includes('To specify a positional argument'), run.stderr);
    }
  });

  it('check-config takes --config FILE as every command does, and still the bare FILE', () => {
    const config = writeConfig('flag.yaml', 'clickhouse: {embedded: chdb}\n');
    for (const args of [['--config', config], ['-c', config], [config], [config, '--config', config]]) {
      const run = cli('check-config', ...args);
      assert.equal(run.status, 0, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: valid$`, 'm'));
    }
  });
});

describe('driftwatch run', () => {
  it('serves metrics, reloads on SIGHUP, keeps the last good config on a bad one, and exits 0 on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const write = (minSamples: string) =>
      writeConfig(
        'run.yaml',
        `clickhouse: {embedded: chdb}\ntraces: {table: stationary}\nserver: {host: 127.0.0.1, port: 0}\nalerting: {stateDir: state-run}\nsignals: {toolApi: {minSamples: ${minSamples}}}\n`,
      );
    const config = write('50');
    const child = spawn(process.execPath, ['bin/driftwatch.js', 'run', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let logs = '';
    child.stderr.on('data', (c) => (logs += c));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 600 && !pattern.test(logs); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(logs, pattern);
    };
    try {
      await waitFor(/"msg":"cycle finished"/);
      const port = Number(/"port":(\d+)/.exec(logs)![1]);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      // What a container's HEALTHCHECK runs: the port comes from the config.
      const probe = writeConfig('healthcheck.yaml', `clickhouse: {embedded: chdb}\ntraces: {table: stationary}\nserver: {host: 127.0.0.1, port: ${port}}\n`);
      assert.equal(cli('healthcheck', '--config', probe).status, 0);
      // The last cycle's report, as `once --json` prints it (what the demo banner points at).
      const report = await (await fetch(`http://127.0.0.1:${port}/report.json`)).json();
      assert.deepEqual(Object.keys(report).sort(), ['errors', 'evaluatedAt', 'signals', 'windows']);
      assert.ok(report.signals.length > 0);
      write('80');
      child.kill('SIGHUP');
      await waitFor(/"msg":"config reloaded"/);
      write('"many"');
      child.kill('SIGHUP');
      await waitFor(/config reload rejected; keeping the last good config/);
      assert.match(logs, /signals\.toolApi\.minSamples \(line 5\)/);
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
      assert.match(logs, /"msg":"driftwatch stopped"/);
      assert.equal(cli('healthcheck', '--config', probe).status, 1, 'a stopped daemon is unhealthy');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
