import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoDirError, refuseBusyDemo } from './command.ts';

const root = mkdtempSync(join(tmpdir(), 'driftwatch-demo-busy-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A demo directory whose state lock names `pid` on this host. */
function demoDirHeldBy(name: string, pid: number): { dir: string; lock: string } {
  const dir = join(root, name);
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, 'alerts.jsonl'), '{"kept":true}\n');
  const lock = join(dir, 'state', 'lock');
  writeFileSync(lock, `${JSON.stringify({ pid, host: hostname(), command: 'demo', since: new Date().toISOString(), token: 'other' })}\n`);
  return { dir, lock };
}

const listening = () =>
  new Promise<{ server: Server; port: number }>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });

describe('a demo that could not run refuses before writing or deleting anything', () => {
  it('refuses a taken port, naming it, and creates no directory', async () => {
    const { server, port } = await listening();
    try {
      const dir = join(root, 'port');
      await assert.rejects(
        refuseBusyDemo(dir, port, '127.0.0.1'),
        (err: unknown) => err instanceof DemoDirError && new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is taken .*--port N`).test(err.message),
      );
      assert.equal(existsSync(dir), false);
    } finally {
      server.close();
    }
  });

  it('refuses a directory a running process holds, and leaves it as it was', async () => {
    // The test runner's parent lives while this runs: a holder that is not gone.
    const { dir, lock } = demoDirHeldBy('held', process.ppid);
    const before = readFileSync(lock, 'utf8');
    await assert.rejects(
      refuseBusyDemo(dir, 0),
      (err: unknown) => err instanceof DemoDirError && /still running on --dir .*`driftwatch demo` \(pid \d+ on .*another --dir and --port/.test(err.message),
    );
    assert.equal(readFileSync(lock, 'utf8'), before);
    assert.equal(readFileSync(join(dir, 'alerts.jsonl'), 'utf8'), '{"kept":true}\n');
  });

  it('goes ahead over an earlier demo that is gone, and on a free port', async () => {
    const { dir } = demoDirHeldBy('gone', 2 ** 22 + 12345);
    const { server, port } = await listening();
    await new Promise((r) => server.close(r));
    await refuseBusyDemo(dir, port, '127.0.0.1');
    await refuseBusyDemo(join(root, 'new'), 0);
  });
});
