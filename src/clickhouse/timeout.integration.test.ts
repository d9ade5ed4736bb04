// A ClickHouse that accepts the connection and never answers is reported as a timeout, in time.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from './store.ts';
import { SourceError } from './errors.ts';
import { startHangingServer, type HangingServer } from '../../test/helpers/hanging-server.ts';

let hung: HangingServer;
let store: Store;
before(async () => {
  hung = await startHangingServer();
  store = await openStore({ url: hung.url, username: 'default', password: 'pw-not-printed', database: 'default', queryTimeout: 1_000, allowUnsupportedVersion: false });
});
after(async () => {
  await store.close();
  await hung.close();
});

it('a query that gets no answer fails as a timeout naming the server and the limit', async () => {
  await assert.rejects(store.query('SELECT 1'), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.kind, 'timeout');
    assert.equal(err.message, `ClickHouse at ${hung.url} did not answer within 1 s`);
    return true;
  });
});

it('so does the liveness check a cycle starts with', async () => {
  const down = await store.check();
  assert.equal(down?.kind, 'timeout');
  assert.match(down!.message, /did not answer within 1 s/);
});

it('the embedded engine stops a query itself at the timeout, as a timeout (no abort that could take the process down)', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const embedded = await openStore({
    embedded: join(mkdtempSync(join(tmpdir(), 'dw-timeout-')), 'chdb'),
    username: 'default',
    password: '',
    database: 'default',
    queryTimeout: 1_000,
    allowUnsupportedVersion: false,
  });
  try {
    await assert.rejects(embedded.query('SELECT count() FROM numbers(100000000000)'), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.kind, 'timeout');
      assert.match(err.message, /Timeout exceeded/);
      return true;
    });
    // The process and the engine are still there.
    assert.deepEqual(await embedded.query('SELECT 1 AS one'), [{ one: 1 }]);
  } finally {
    await embedded.close();
  }
});
