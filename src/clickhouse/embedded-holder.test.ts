import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedHolder, openStore } from './store.ts';
import { SourceError } from './errors.ts';

const root = mkdtempSync(join(tmpdir(), 'driftwatch-holder-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('embeddedHolder', () => {
  const dir = join(root, 'engine');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'status'), 'PID: 1\n');
  const inode = statSync(join(dir, 'status')).ino;
  const cases: [string, string, number | null][] = [
    ['an exclusive lock on the status file by another process', `1: FLOCK  ADVISORY  WRITE 4242 fe:00:${inode} 0 EOF\n`, 4242],
    ['the same, among other locks', `1: POSIX  ADVISORY  WRITE 7 fe:00:99 0 EOF\n2: FLOCK  ADVISORY  WRITE 4243 fe:00:${inode} 0 EOF\n`, 4243],
    ['this process’s own lock', `1: FLOCK  ADVISORY  WRITE ${process.pid} fe:00:${inode} 0 EOF\n`, null],
    ['a lock on another file', `1: FLOCK  ADVISORY  WRITE 4242 fe:00:${inode + 1} 0 EOF\n`, null],
    ['a shared lock', `1: FLOCK  ADVISORY  READ 4242 fe:00:${inode} 0 EOF\n`, null],
    ['no locks at all', '', null],
  ];
  for (const [name, locks, expected] of cases)
    it(`${name}: ${expected ?? 'none'}`, () =>
      assert.equal(
        embeddedHolder(dir, () => locks),
        expected,
      ));
  it('none when the engine never ran there, or /proc/locks cannot be read', () => {
    assert.equal(
      embeddedHolder(join(root, 'never'), () => ''),
      null,
    );
    assert.equal(
      embeddedHolder(dir, () => {
        throw new Error('ENOENT');
      }),
      null,
    );
  });
});

describe('opening an engine directory another process holds', { skip: process.platform !== 'linux' && 'reads /proc/locks (Linux)' }, () => {
  it('refuses in one line naming the holder, before the engine prints anything', async () => {
    const dir = join(root, 'held');
    const child = spawn(
      process.execPath,
      ['-e', `const { Session } = require('chdb'); new Session(${JSON.stringify(dir)}).query('SELECT 1'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => c.toString().includes('held') && resolve());
        child.once('exit', (code) => reject(new Error(`the holding process exited (${code})`)));
      });
      await assert.rejects(
        openStore({ embedded: dir, queryTimeout: 10_000 } as never),
        (err: unknown) => err instanceof SourceError && err.message.startsWith(`the embedded engine at ${dir} is held by process ${child.pid} `),
      );
    } finally {
      child.kill();
    }
  });
});
