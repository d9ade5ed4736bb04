// A cycle at a time earlier than the one that last moved the alert state must not move it: three
// `once --at` runs on earlier days used to count as clean cycles and resolve a live alert (with a
// `resolved` event dated before it opened). The same holds for a daemon whose clock steps back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshStore } from './helpers/spans.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { createApp, createLogger, evaluate } from '../src/app/app.ts';
import { startDaemon } from '../src/app/daemon.ts';

const AT = Date.parse('2026-11-20T12:00:30Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let dir: string;

before(async () => {
  const fresh = await freshStore('unused');
  dir = fresh.dir;
  await generateDemoTraces(fresh.store, 'live', { from: new Date(AT - 8 * DAY), to: new Date(AT + HOUR), driftFrom: new Date(AT - 50 * 60_000), seed: 41 });
  await fresh.store.close();
});

const configFile = (name: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `clickhouse: {embedded: chdb}
traces: {table: live}
schedule: "0 0 1 1 *"
server: {host: 127.0.0.1, port: 0}
alerting: {stateDir: state-${name}, openAfter: 1, resolveAfter: 1}
notify: {fileSink: {path: alerts-${name}.jsonl}}
log: {level: warn}
`,
  );
  return file;
};
const once = (file: string, at: number, ...flags: string[]) =>
  spawnSync(process.execPath, ['bin/driftwatch.js', 'once', '--config', file, '--at', new Date(at).toISOString(), '--json', ...flags], { encoding: 'utf8' });
const snapshot = (name: string) => ({
  state: readFileSync(join(dir, `state-${name}`, 'state.json'), 'utf8'),
  sink: existsSync(join(dir, `alerts-${name}.jsonl`)) ? readFileSync(join(dir, `alerts-${name}.jsonl`), 'utf8') : '',
});
const firing = (state: string) => Object.values(JSON.parse(state).alerts as Record<string, { phase: string }>).filter((a) => a.phase === 'firing').length;

describe('once --at an earlier time than the alert state', () => {
  it('leaves the state, the outbox and the sinks as they were, and says why', () => {
    const file = configFile('once');
    const opened = once(file, AT);
    assert.ok([0, 3].includes(opened.status!), opened.stderr);
    const open = snapshot('once');
    assert.ok(firing(open.state) > 0, 'the vendor change opened an alert');
    assert.match(open.sink, /"kind":"opened"/);
    for (const daysBack of [1, 2, 3]) {
      const past = once(file, AT - daysBack * DAY);
      assert.ok([0, 3].includes(past.status!), past.stderr);
      assert.match(past.stderr, /alert state left unchanged: the alert state was last moved by a cycle at 2026-11-20T12:00:00\.000Z/);
      assert.deepEqual(snapshot('once'), open, `once --at ${daysBack} days earlier moved nothing`);
    }
    // A later cycle still moves it: the guard holds only for the past.
    once(file, AT + 10 * 60_000);
    assert.notEqual(JSON.parse(snapshot('once').state).evaluatedAt, JSON.parse(open.state).evaluatedAt);
  });

  it('a dry run at an earlier time is still a dry run, reporting its verdicts', () => {
    const file = configFile('once');
    const before = snapshot('once');
    const run = once(file, AT - 2 * DAY, '--dry-run');
    assert.ok([0, 3].includes(run.status!), run.stderr);
    assert.equal(JSON.parse(run.stdout).evaluatedAt, new Date(Math.floor((AT - 2 * DAY) / 60_000) * 60_000).toISOString());
    assert.deepEqual(snapshot('once'), before);
  });
});

describe('a daemon whose clock steps back', () => {
  let stop: () => Promise<void> = async () => undefined;
  after(() => stop());

  it('moves no alert state in the cycles before its clock catches up again', async () => {
    const file = configFile('daemon');
    let now = AT;
    const daemon = await startDaemon(file, loadConfigFile(file).config, createLogger('fatal'), undefined, { clock: () => new Date(now) });
    stop = () => daemon.stop();
    await daemon.tick();
    await daemon.deliveries();
    const open = snapshot('daemon');
    assert.ok(firing(open.state) > 0, 'the vendor change opened an alert');
    // NTP steps the clock back a day: the next cycles see the calm traffic of the day before.
    for (const back of [DAY, DAY - 5 * 60_000, DAY - 10 * 60_000]) {
      now = AT - back;
      await daemon.tick();
      await daemon.deliveries();
      assert.deepEqual(snapshot('daemon'), open, `a cycle ${back / 60_000} minutes behind moved nothing`);
    }
    assert.ok(
      Object.values(daemon.app.state.alerts).some((a) => a.phase === 'firing'),
      'the alert is still open in memory too',
    );
  });
});

describe('a state directory that stops being writable', () => {
  it('fails the cycle, moves nothing, and counts errors_total{component="state"}', async () => {
    const file = configFile('unwritable');
    const app = await createApp(loadConfigFile(file).config, createLogger('fatal'));
    try {
      await evaluate(app, new Date(AT), { deliver: false });
      const stateDir = join(dir, 'state-unwritable');
      const alerts = JSON.stringify(app.state.alerts);
      rmSync(stateDir, { recursive: true });
      writeFileSync(stateDir, 'a file where the directory was');
      const outcome = await evaluate(app, new Date(AT + 10 * 60_000), { deliver: false });
      assert.equal(outcome.failed, true);
      assert.match(outcome.report.errors.at(-1)!.message, /cannot write alert state to .*state-unwritable/);
      assert.equal(JSON.stringify(app.state.alerts), alerts, 'the cycle’s transitions are undone');
      const counted = (await app.metrics.errorsTotal.get()).values.find((v) => v.labels.component === 'state');
      assert.equal(counted?.value, 1);
    } finally {
      await app.close();
    }
  });
});
