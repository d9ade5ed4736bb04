/**
 * Tests that need a program installed on the machine (Debian's clickhouse-server, promtool,
 * prometheus). Without it they are skipped, with a line saying what to install; with `CI` set a
 * missing program is not a reason to skip: the test runs and fails on it (`.ci/run` installs them).
 */
import { spawnSync } from 'node:child_process';

const onPath = (program: string) => spawnSync('sh', ['-c', 'command -v "$0"', program], { stdio: 'ignore' }).status === 0;

/** A skip reason for `node:test` when `program` is missing outside CI, else false. */
export function needs(program: string, install: string): string | false {
  if (onPath(program) || process.env.CI) return false;
  const reason = `${program} not found; install ${install} to run this test (CI runs it)`;
  process.stdout.write(`# SKIPPED: ${reason}\n`);
  return reason;
}
