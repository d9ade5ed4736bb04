// Config: the example parses, bad files fail with path and line, secrets are redacted, schema.json is current.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfigFile, parseConfigText, redact } from './load.ts';
import { configSchema } from './schema.ts';
import { configJsonSchema } from './json-schema.ts';
import { parseDuration, formatDuration } from './duration.ts';

const ENV = {
  CLICKHOUSE_PASSWORD: 'pw-from-env',
  LINEAR_API_KEY: 'lin_api_from_env',
  SLACK_BOT_TOKEN: 'xoxb-from-env',
  ALERT_WEBHOOK_URL: 'https://hooks.example/driftwatch',
  ALERT_WEBHOOK_SECRET: 'whsec-from-env-0123456789',
  RECEIVER_KEY: 'receiver-key-from-env',
};
const testdata = (name: string) => new URL(`../../config/testdata/${name}`, import.meta.url).pathname;
const example = new URL('../../config/driftwatch.example.yaml', import.meta.url).pathname;

function problemsOf(file: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfigFile(file, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail(`${file} was accepted`);
}

function problemsOfText(text: string, env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfigText(text, 'inline.yaml', env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('accepted');
}

describe('config', () => {
  it('parses the example config with no environment variable set (its Linear and Slack blocks are off)', () => {
    const { config } = loadConfigFile(example, {});
    assert.equal(config.notify.linear, undefined);
    assert.equal(config.clickhouse.password, '');
  });

  it('parses the example config with its Linear, Slack and webhook blocks on, with env interpolation', () => {
    // Turned on as the example says: remove the leading '# ' of each block line.
    const text = readFileSync(example, 'utf8').replace(/^  # ((?:linear|slack|webhook):|  (?!#).*)$/gm, '  $1');
    const config = parseConfigText(text, example, ENV);
    assert.equal(config.clickhouse.password, '', 'a server password is not read for the embedded engine');
    assert.equal(config.notify.linear?.apiKey, 'lin_api_from_env');
    assert.equal(config.notify.slack?.token, 'xoxb-from-env');
    assert.equal(config.notify.webhook?.url, 'https://hooks.example/driftwatch');
    assert.deepEqual(config.notify.webhook?.headers, { Authorization: 'Bearer receiver-key-from-env' });
    assert.match(problemsOfText(text, {}).join('\n'), /LINEAR_API_KEY is not set[\s\S]*SLACK_BOT_TOKEN is not set[\s\S]*ALERT_WEBHOOK_URL is not set/);
    assert.equal(config.windows.baseline, 7 * 86_400_000);
    assert.equal(config.signals.toolApi.alpha, 0.001);
  });

  it('documents every option of the schema in the example config', () => {
    const text = readFileSync(example, 'utf8');
    const keys = new Set<string>();
    const walk = (schema: { properties?: Record<string, unknown> }, path: string[]) => {
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        keys.add([...path, key].join('.'));
        walk(sub as never, [...path, key]);
      }
    };
    walk(configJsonSchema() as never, []);
    for (const key of keys) {
      const leaf = key.split('.').at(-1)!;
      assert.match(text, new RegExp(`^\\s*#?\\s*${leaf}:`, 'm'), `${key} is not in the example config`);
    }
  });

  it('keeps config/schema.json in sync with the zod schema (npm run schema)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('../../config/schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it('accepts the minimal configs with everything else defaulted', () => {
    const minimal = loadConfigFile(testdata('config-good-minimal.yaml'), {}).config;
    assert.equal(minimal.clickhouse.embedded, '/tmp/driftwatch-minimal');
    assert.equal(minimal.schedule, '*/5 * * * *');
    assert.equal(minimal.windows.current, 3_600_000);
    assert.equal(minimal.windows.ingestLag, 120_000);
    const server = loadConfigFile(testdata('config-good-server.yaml'), { CH_PASSWORD: 'x' }).config;
    assert.equal(server.clickhouse.url, 'http://127.0.0.1:8123');
    assert.equal(server.clickhouse.embedded, undefined);
  });

  it('returns a frozen config', () => {
    const c = parseConfigText('clickhouse: {embedded: /tmp/a}', '/tmp/x.yaml', {});
    assert.ok(Object.isFrozen(c));
  });

  const bad: [string, RegExp][] = [
    ['config-bad-unknown-key.yaml', /^windows\.curent \(line 4\): Unrecognized key/],
    ['config-bad-duration.yaml', /^windows\.baseline \(line 4\): "7 days" is not a duration/],
    ['config-bad-identifier.yaml', /^traces\.table \(line 4\): must be a plain ClickHouse identifier/],
    ['config-bad-both-stores.yaml', /^clickhouse \(line 1\): set either clickhouse\.embedded or clickhouse\.url/],
    ['config-bad-env.yaml', /^line 3: environment variable DRIFTWATCH_TEST_UNSET_VARIABLE is not set/],
    ['config-bad-yaml.yaml', /^line 3: /],
    ['config-bad-linear.yaml', /^notify\.linear\.teamId \(line 4\): required: the UUID of the team/],
  ];
  const langfuse: [string, RegExp][] = [
    ['traces: {schema: langfuse}', /^traces\.projects \(line 1\): required with schema langfuse: the Langfuse project ids to watch, e\.g\. projects: \[.*SELECT project_id/],
    ['traces: {schema: langfuse, projects: []}', /^traces\.projects \(line 1\): name at least one: the Langfuse project ids/],
    ['traces: {schema: langfuse, projects: abc}', /^traces\.projects \(line 1\): a list of project ids: /],
  ];
  for (const [text, expected] of langfuse) {
    it(`says where Langfuse project ids come from: ${text}`, () => {
      assert.throws(
        () => parseConfigText(text, 'langfuse.yaml', {}),
        (err: unknown) => err instanceof ConfigError && err.problems.some((p) => expected.test(p)),
      );
    });
  }
  for (const [file, expected] of bad) {
    it(`rejects ${file} with the path and line`, () => {
      const problems = problemsOf(testdata(file));
      assert.ok(
        problems.some((p) => expected.test(p)),
        problems.join('\n'),
      );
    });
  }

  it('reports every problem of a file at once', () => {
    const problems = problemsOf(testdata('config-bad-schema-type.yaml'));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('signals.toolApi.minSamples (line 5)')));
    assert.ok(problems.some((p) => p.startsWith('signals.toolApi.alpha (line 6)')));
    assert.ok(problems.some((p) => p.startsWith('schedule (line 7): has 3 fields; expected 5')));
  });

  it('never puts a secret into an error or a redacted copy', () => {
    const problems = problemsOf(testdata('config-bad-linear.yaml'));
    assert.ok(!problems.join('\n').includes('lin_api_secretvalue123'));
    const withSinks = readFileSync(example, 'utf8').replace(/^  # ((?:linear|slack|webhook):|  (?!#).*)$/gm, '  $1');
    const config = parseConfigText(withSinks, example, ENV);
    const text = JSON.stringify(redact(config));
    for (const secret of Object.values(ENV)) assert.ok(!text.includes(secret), `${secret} leaked`);
    assert.match(text, /\[redacted\]/);
  });

  const absurd: [string, string, RegExp][] = [
    ['a window of 9999999999 days', 'windows: {baseline: 9999999999d}', /^windows\.baseline \(line 1\): "9999999999d" is longer than 366d/],
    ['a query timeout a timer cannot wait', 'clickhouse: {queryTimeout: 30d}', /^clickhouse\.queryTimeout \(line 1\): "30d" is longer than 24d, the longest a timer can wait/],
    ['a shutdown grace a timer cannot wait', 'server: {shutdownGrace: 9999999999d}', /^server\.shutdownGrace \(line 1\): .* longer than 24d/],
    ['a signal window beyond a year', 'signals: {judge: {windows: {baseline: 400d}}}', /^signals\.judge\.windows\.baseline \(line 1\): "400d" is longer than 366d/],
    ['an empty file', '', /^the file is empty/],
    ['a file of only comments', '# traces: {table: otel_traces}\n', /^the file is empty/],
  ];
  for (const [name, text, expected] of absurd) {
    it(`rejects ${name} before run time, naming it`, () => {
      const problems = problemsOfText(text, {});
      assert.ok(
        problems.some((p) => expected.test(p)),
        problems.join('\n'),
      );
    });
  }
  it('accepts the longest durations allowed', () => {
    const c = parseConfigText('windows: {baseline: 366d}\nclickhouse: {queryTimeout: 24d}', '/tmp/x.yaml', {});
    assert.equal(c.clickhouse.queryTimeout, 24 * 86_400_000);
  });

  it('rejects unknown keys everywhere, not only at the top', () => {
    assert.throws(() => configSchema.parse({ signals: { toolApi: { latency: { p: 0.9 } } } }), /Unrecognized key/);
  });
});

describe('durations', () => {
  const table: [string, number | undefined][] = [
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['250ms', 250],
    ['1 h', undefined],
    ['h', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of table) it(`"${text}" → ${ms}`, () => assert.equal(parseDuration(text), ms));
  it('formats back', () => assert.equal(formatDuration(5_400_000), '1h30m'));
});
