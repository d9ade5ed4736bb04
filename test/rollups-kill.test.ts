// A backfill killed with SIGKILL (the daemon's host rebooted, an OOM kill) resumes where it
// stopped and reaches the report an uninterrupted run gives. Real child processes of the CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../src/engine/cycle.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { freshStore } from './helpers/spans.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);

describe('a backfill killed with SIGKILL', () => {
  it('resumes to the report an uninterrupted run gives', async () => {
    const work = mkdtempSync(join(tmpdir(), 'driftwatch-kill-'));
    const { store: s2, dir: d2 } = await freshStore('otel_traces');
    await generateDemoTraces(s2, 'otel_traces', { from: new Date(NOW.getTime() - 8 * 24 * HOUR), to: NOW, driftFrom: new Date(NOW.getTime() - 50 * MINUTE), seed: 4, intervalSeconds: 6 });
    await s2.close();
    const cfg = (db: string) => {
      const file = join(work, `${db}.yaml`);
      writeFileSync(
        file,
        `clickhouse: {embedded: ${join(d2, 'chdb')}}\ntraces: {schema: otel, table: otel_traces}\nrollups: {database: ${db}, backfillChunk: 6h}\nalerting: {stateDir: ${join(work, db)}}\n`,
      );
      return file;
    };
    const at = NOW.toISOString();
    const once = (file: string, killOnProgress = false) =>
      new Promise<{ code: number | null; stdout: string; killed: boolean }>((resolve) => {
        const child = spawn(process.execPath, ['bin/driftwatch.js', 'once', '--config', file, '--at', at, '--json', '--dry-run']);
        let stdout = '';
        let killed = false;
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => {
          if (killOnProgress && !killed && d.toString().includes('rollups backfill:')) {
            killed = true;
            child.kill('SIGKILL');
          }
        });
        child.on('close', (code) => resolve({ code, stdout, killed }));
      });
    const killed = await once(cfg('resumed'), true);
    assert.ok(killed.killed, 'the backfill finished before it could be killed');
    const resumed = await once(cfg('resumed'));
    assert.equal(resumed.code, 0);
    const clean = await once(cfg('uninterrupted'));
    assert.equal(clean.code, 0);
    const a = JSON.parse(resumed.stdout) as Report;
    const b = JSON.parse(clean.stdout) as Report;
    assert.deepEqual(a.signals, b.signals);
    assert.ok(a.signals.some((s) => s.status === 'drift'));
  });
});
