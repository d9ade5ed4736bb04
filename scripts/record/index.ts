/**
 * `npm run record`: records the instrumentation fixtures again with the libraries installed as dev
 * dependencies. Each library runs in its own process (instrumentations patch global state) and
 * writes test/fixtures/instrumentation/<library>/<variant>.jsonl; the versions that made them go
 * to test/fixtures/instrumentation/VERSIONS.json. After recording, `UPDATE_COMPAT=1 node --test
 * --import tsx test/instrumentation.test.ts` rewrites the README's compatibility table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LIBRARIES = ['langchain-openinference', 'langgraph-openinference', 'langchain-openllmetry', 'vercel-ai'];
const PACKAGES = [
  '@arizeai/openinference-instrumentation-langchain',
  '@langchain/core',
  '@langchain/langgraph',
  '@traceloop/node-server-sdk',
  '@traceloop/instrumentation-langchain',
  'ai',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace-node',
];
const fixtures = new URL('../../test/fixtures/instrumentation/', import.meta.url);

for (const library of LIBRARIES) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', new URL(`./${library}.ts`, import.meta.url).pathname, new URL(library, fixtures).pathname], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
const version = (name: string) => (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
writeFileSync(new URL('VERSIONS.json', fixtures), `${JSON.stringify({ node: process.version, packages: Object.fromEntries(PACKAGES.map((p) => [p, version(p)])) }, null, 2)}\n`);
