// One writer per state directory: who may take the lock, who is refused, and what is said.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireStateLock, LOCK_FILE, LOCK_STALE_MS, type LockOptions } from './state-lock.ts';
import { StateError } from './persistence.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'driftwatch-lock-'));
const holder = (over: Record<string, unknown> = {}) => JSON.stringify({ pid: 4242, host: 'host-a', command: 'run', since: '2026-12-01T00:00:00.000Z', token: 't-old', ...over });
const opts = (over: Partial<LockOptions> = {}): LockOptions => ({ command: 'run', host: 'host-a', pid: 1000, alive: () => true, ...over });

function ageLock(d: string, ms: number) {
  const t = new Date(Date.now() - ms);
  utimesSync(join(d, LOCK_FILE), t, t);
}

describe('state directory lock', () => {
  it('takes a free directory and records who holds it', () => {
    const d = dir();
    const lock = acquireStateLock(d, opts({ command: 'once' }));
    const written = JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'));
    assert.deepEqual([written.pid, written.host, written.command], [1000, 'host-a', 'once']);
    assert.equal(lock.tookOverFrom, undefined);
    lock.release();
    assert.throws(() => statSync(join(d, LOCK_FILE)), /ENOENT/);
  });

  const refused: { name: string; lock: string; ageMs: number; options: Partial<LockOptions> }[] = [
    { name: 'a live process of this host', lock: holder(), ageMs: 0, options: {} },
    { name: 'another host that touched it lately', lock: holder({ host: 'host-b' }), ageMs: 10_000, options: {} },
  ];
  for (const c of refused) {
    it(`refuses when held by ${c.name}, naming the holder`, () => {
      const d = dir();
      writeFileSync(join(d, LOCK_FILE), c.lock);
      ageLock(d, c.ageMs);
      assert.throws(
        () => acquireStateLock(d, opts(c.options)),
        (err: unknown) =>
          err instanceof StateError && /in use by `driftwatch run` \(pid 4242 on host-[ab], since 2026-12-01T00:00:00.000Z, last seen \d+ s ago\)/.test(err.message) && err.message.includes(d),
      );
      assert.equal(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).token, 't-old', 'the holder keeps its lock');
    });
  }

  const takenOver: { name: string; lock: string; ageMs: number; options: Partial<LockOptions>; reason: RegExp | null }[] = [
    { name: 'a process of this host that no longer runs', lock: holder(), ageMs: 0, options: { alive: () => false }, reason: /process 4242 on host-a no longer runs/ },
    { name: 'another host not seen for longer than the stale time', lock: holder({ host: 'host-b' }), ageMs: LOCK_STALE_MS + 60_000, options: {}, reason: /not seen for 18\d s \(more than 120 s\)/ },
    // Its pid may have been reused by another program: a lock untouched that long has no daemon behind it.
    { name: 'a live pid of this host that has not touched the lock for longer than the stale time', lock: holder(), ageMs: 10 * LOCK_STALE_MS, options: {}, reason: /not seen for 1200 s/ },
    { name: 'an earlier process with this pid on this host (a restarted container)', lock: holder({ pid: 1000 }), ageMs: 0, options: {}, reason: /earlier process with this pid \(1000\)/ },
    { name: 'a malformed lock file', lock: '{"pid": "x"', ageMs: 0, options: {}, reason: null },
  ];
  for (const c of takenOver) {
    it(`takes over from ${c.name}`, () => {
      const d = dir();
      writeFileSync(join(d, LOCK_FILE), c.lock);
      ageLock(d, c.ageMs);
      const lock = acquireStateLock(d, opts(c.options));
      if (c.reason) assert.match(lock.tookOverFrom?.reason ?? '', c.reason);
      else assert.equal(lock.tookOverFrom, undefined);
      assert.equal(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).pid, 1000);
    });
  }

  it('a holder releases only its own lock, and refresh keeps it fresh', () => {
    const d = dir();
    const first = acquireStateLock(d, opts({ pid: 1 }));
    ageLock(d, 10 * LOCK_STALE_MS);
    first.refresh();
    assert.ok(Date.now() - statSync(join(d, LOCK_FILE)).mtimeMs < 5_000, 'refresh touched the lock');
    const second = acquireStateLock(d, opts({ pid: 2, alive: () => false }));
    assert.match(second.tookOverFrom?.reason ?? '', /process 1 on host-a no longer runs/);
    first.release();
    assert.equal(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).pid, 2, "the first holder's release left the second's lock");
    second.release();
    assert.throws(() => statSync(join(d, LOCK_FILE)), /ENOENT/);
  });

  it('names an unwritable directory', () => {
    assert.throws(
      () => acquireStateLock('/proc/driftwatch-no-such-dir', opts()),
      (err: unknown) => err instanceof StateError && /cannot write the alert state lock \/proc\/driftwatch-no-such-dir\/lock/.test(err.message),
    );
  });
});
