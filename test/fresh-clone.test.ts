// A user clones only this repository: its unit tier must pass in an empty directory with no
// sibling folders, and nothing the product or its tests read may point outside the repository.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const git = (args: string[], cwd = root) => spawnSync('git', args, { cwd, encoding: 'utf8' });
const tracked = git(['ls-files']);
const inGit = tracked.status === 0 && !process.env.DRIFTWATCH_IN_CLONE;
const skip = inGit ? false : process.env.DRIFTWATCH_IN_CLONE ? 'already inside the clone this test made' : 'not a git checkout: nothing to clone';
if (skip && !process.env.DRIFTWATCH_IN_CLONE) {
  if (process.env.CI) throw new Error(`fresh-clone test: ${skip}`);
  process.stdout.write(`# SKIPPED: ${skip}\n`);
}

describe('a fresh clone', { skip }, () => {
  it('cites and reads no path outside the repository (src, test, docs, scripts, README)', () => {
    const files = tracked.stdout.split('\n').filter((f) => /^(src|test|docs|scripts|bin|deploy)\/.*\.(ts|js|md|ya?ml|json)$|^README\.md$/.test(f) && !f.startsWith('test/fixtures/'));
    assert.ok(files.length > 50, `${files.length} files checked`);
    // The workspace this project grew up in, and its shared folder (written in pieces so this file does not match itself).
    const outside = new RegExp(['\\.\\./sha' + 'red', '/wo' + 'rk/'].join('|'));
    const hits = files.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .flatMap((line, k) => (outside.test(line) ? [`${f}:${k + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(hits, []);
  });

  it('passes its unit tier in an empty directory', { timeout: 300_000 }, () => {
    const parent = mkdtempSync(join(tmpdir(), 'driftwatch-clone-'));
    try {
      const clone = join(parent, 'driftwatch');
      const cloned = git(['clone', '--quiet', '--no-local', root, clone], parent);
      assert.equal(cloned.status, 0, cloned.stderr);
      // The installed packages only (the registry is not this test's subject): every file the tier
      // reads comes from the clone.
      symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
      // Without the runner's NODE_TEST_CONTEXT, the inner run reports as it would on a terminal-less machine.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const run = spawnSync('npm', ['run', '--silent', 'test:unit'], { cwd: clone, encoding: 'utf8', env: { ...env, DRIFTWATCH_IN_CLONE: '1' }, maxBuffer: 64 * 1024 * 1024 });
      const summary = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? NaN);
      assert.equal(
        run.status,
        0,
        run.stdout
          .split('\n')
          .filter((l) => /not ok|Error/.test(l))
          .slice(0, 20)
          .join('\n') + run.stderr,
      );
      assert.equal(summary('fail'), 0);
      assert.ok(summary('pass') > 300, `${summary('pass')} unit tests passed in the clone`);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('without the embedded engine (a server-only install) says what to configure instead', { timeout: 120_000 }, () => {
    const parent = mkdtempSync(join(tmpdir(), 'driftwatch-server-only-'));
    try {
      const clone = join(parent, 'driftwatch');
      assert.equal(git(['clone', '--quiet', '--no-local', root, clone], parent).status, 0);
      // Every installed package but the optional engine, as `npm ci --omit=optional` leaves it.
      mkdirSync(join(clone, 'node_modules'));
      for (const entry of readdirSync(join(root, 'node_modules'))) {
        if (entry === 'chdb' || entry === '@chdb' || entry === '.bin') continue;
        symlinkSync(join(root, 'node_modules', entry), join(clone, 'node_modules', entry), 'dir');
      }
      writeFileSync(join(clone, 'embedded.yaml'), 'clickhouse: {embedded: chdb}\ntraces: {schema: otel, table: otel_traces}\n');
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const run = spawnSync(process.execPath, ['bin/driftwatch.js', 'once', '--config', 'embedded.yaml'], { cwd: clone, encoding: 'utf8', env });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /the embedded engine \(npm package chdb\) is not installed here.*server-only install\. Set clickhouse\.url/);
      const help = spawnSync(process.execPath, ['bin/driftwatch.js', '--version'], { cwd: clone, encoding: 'utf8', env });
      assert.equal(help.status, 0, help.stderr);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
