/**
 * `npm run record:promptfoo`: runs real promptfoo (fetched by npx at the pinned version; it is not a
 * dependency) over scripts/record/promptfoo/, a CI eval of the rubrics `resolution` and
 * `adherence` with a local agent in place of a model, and writes its results file to
 * test/fixtures/ci-results/promptfoo-results.json. Nothing leaves the machine: telemetry, update
 * checks and sharing are off.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const VERSION = '0.121.20';
const dir = new URL('./promptfoo/', import.meta.url).pathname;
const out = new URL('../../test/fixtures/ci-results/promptfoo-results.json', import.meta.url).pathname;
const run = spawnSync('npx', ['--yes', `promptfoo@${VERSION}`, 'eval', '-c', 'promptfooconfig.yaml', '-o', out, '--no-cache', '--no-progress-bar', '--no-share'], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_DISABLE_SHARING: '1' },
});
// promptfoo exits 100 when some test failed, which a CI run of a falling rubric does.
if (run.status !== 0 && run.status !== 100) process.exit(run.status ?? 1);
// The file records where it was written; a fixture names no path of the machine that made it.
writeFileSync(out, readFileSync(out, 'utf8').replaceAll(JSON.stringify(out), JSON.stringify('promptfoo-results.json')));
