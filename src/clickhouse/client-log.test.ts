// The client's own log lines reach driftwatch's logger at the right level.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { clientLogOption } from './client-log.ts';
import { openStore } from './store.ts';

function collecting() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

describe('ClickHouse client log lines', () => {
  const cases: { name: string; call: (l: InstanceType<ReturnType<typeof clientLogOption>['LoggerClass']>) => void; level: number; module: string; err?: string }[] = [
    {
      name: 'a connection warning is a warning',
      call: (l) => l.warn({ module: 'Connection', message: 'socket closed while idle', err: new Error('ECONNRESET') }),
      level: 40,
      module: 'Connection',
      err: 'ECONNRESET',
    },
    { name: "advice on the client's own options is debug", call: (l) => l.warn({ module: 'Config', message: 'request_timeout is set to 65000ms' }), level: 20, module: 'Config' },
    { name: 'an error is an error', call: (l) => l.error({ module: 'Compression', message: 'cannot decode', err: new Error('bad gzip') }), level: 50, module: 'Compression', err: 'bad gzip' },
    { name: 'info is debug', call: (l) => l.info({ module: 'Client', message: 'hello' }), level: 20, module: 'Client' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { log, lines } = collecting();
      const { LoggerClass } = clientLogOption(log);
      c.call(new LoggerClass());
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.level, c.level);
      assert.equal(lines[0]!.component, 'clickhouse-client');
      assert.equal(lines[0]!.module, c.module);
      // An error is logged as { err }: its message (and type and stack) in the JSON line.
      assert.equal((lines[0]!.err as { message?: string } | undefined)?.message, c.err);
    });
  }

  it("the real client's start-up advice about a long request timeout is debug, not a warning at every start", async () => {
    const { log, lines } = collecting();
    // Creating the client connects to nothing; the advice is written as the client is made.
    const store = await openStore({ url: 'http://127.0.0.1:1', username: 'default', password: 'pw', database: 'default', queryTimeout: 60_000, allowUnsupportedVersion: false }, log);
    await store.close();
    const advice = lines.filter((l) => String(l.msg).startsWith('request_timeout is set to'));
    assert.equal(advice.length, 1, JSON.stringify(lines));
    assert.equal(advice[0]!.level, 20);
    assert.equal(lines.filter((l) => (l.level as number) >= 40).length, 0);
  });
});
