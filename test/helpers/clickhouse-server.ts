/**
 * A real clickhouse-server process (Debian's package) on loopback, in a temp directory, for
 * connection tests. Users: `default` (full rights), `reader` (readonly=1: reads only, no
 * per-query setting), `reader2` (readonly=2: reads and settings), `elsewhere` (readonly=1 and
 * only the database `other`). All share the password.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTEL_COLUMNS } from '../../src/sources/otel/index.ts';
import type { ColumnKind } from '../../src/clickhouse/column-types.ts';

/** How an 18.16 server (no Map type) spells each kind: maps as String, so only the types are wrong. */
const OLD_SERVER_TYPES: Record<ColumnKind, string> = {
  time: 'DateTime',
  string: 'String',
  number: 'UInt64',
  map: 'String',
  'string array': 'Array(String)',
  'map array': 'Array(String)',
};

/**
 * `CREATE TABLE` for a trace table with every column the otel source reads, typed as an old
 * server can type them; derived from the source, so a column it starts to read is here too.
 */
export function oldServerOtelTable(name: string, engine = 'Memory'): string {
  const columns = Object.entries(OTEL_COLUMNS).map(([column, kind]) => `\`${column}\` ${OLD_SERVER_TYPES[kind]}`);
  return `CREATE TABLE ${name} (${columns.join(', ')}) ENGINE = ${engine}`;
}

export interface ClickHouseProcess {
  url: string;
  password: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  query(sql: string): Promise<string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function clickhouseServer(password = 'correct-horse-battery'): Promise<ClickHouseProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-ch-'));
  const [http, tcp, inter] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${inter}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
`,
  );
  writeFileSync(
    join(dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default></default><readonly1><readonly>1</readonly></readonly1><readonly2><readonly>2</readonly></readonly2></profiles>
  <users>
    <default><password>${password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <reader><password>${password}</password><networks><ip>127.0.0.1</ip></networks><profile>readonly1</profile><quota>default</quota></reader>
    <reader2><password>${password}</password><networks><ip>127.0.0.1</ip></networks><profile>readonly2</profile><quota>default</quota></reader2>
    <elsewhere><password>${password}</password><networks><ip>127.0.0.1</ip></networks><profile>readonly1</profile><quota>default</quota><allow_databases><database>other</database></allow_databases></elsewhere>
  </users>
  <quotas><default></default></quotas>
</yandex>
`,
  );
  const url = `http://127.0.0.1:${http}`;
  let child: ChildProcess | undefined;

  const query = async (sql: string) => {
    const res = await fetch(`${url}/?user=default&password=${encodeURIComponent(password)}`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(text);
    return text;
  };

  return {
    url,
    password,
    query,
    async start() {
      child = spawn('clickhouse-server', [`--config-file=${dir}/config.xml`], { stdio: 'ignore' });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        try {
          await query('SELECT 1');
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      throw new Error(`clickhouse-server did not start on ${url}`);
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
