// What can be checked of the deployment files without a container engine: every file parses, every
// path compose mounts exists, Prometheus accepts its config with the mounts as compose sets them,
// Grafana finds the dashboard where provisioning looks, the Collector writes the table driftwatch
// reads, the driftwatch config loads, and the Dockerfile copies what exists and the build context keeps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfigFile } from '../src/config/load.ts';
import { needs } from './helpers/requires.ts';

const deploy = resolve(import.meta.dirname, '../deploy');
const root = resolve(import.meta.dirname, '..');
const yaml = (file: string) => parse(readFileSync(join(deploy, file), 'utf8'));
type Service = { volumes?: string[]; build?: { context: string; args?: Record<string, string> }; image?: string; environment?: Record<string, string> };
const compose = yaml('compose.yaml') as { services: Record<string, Service> };
/** host path → container path of a service's bind mounts. */
const mounts = (service: string) =>
  (compose.services[service]!.volumes ?? [])
    .filter((v) => v.startsWith('.'))
    .map((v) => {
      const [host, container] = v.split(':');
      return { host: resolve(deploy, host!), container: container! };
    });

describe('deploy/', () => {
  it('runs ClickHouse, the Collector, driftwatch, Prometheus, Alertmanager and Grafana, and every mounted file exists', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['alertmanager', 'clickhouse', 'driftwatch', 'grafana', 'otel-collector', 'prometheus']);
    for (const service of Object.keys(compose.services)) for (const m of mounts(service)) assert.ok(existsSync(m.host), `${service} mounts ${m.host}, which does not exist`);
    assert.match(compose.services['otel-collector']!.image!, /^otel\/opentelemetry-collector-contrib:/);
    assert.equal(compose.services.driftwatch!.build!.args!.ENGINE, 'none', 'the server-only image');
  });

  it('the Collector writes the table driftwatch reads, in the database it reads', () => {
    const collector = yaml('otel-collector.yaml') as { exporters: { clickhouse: { database: string; traces_table_name: string } }; service: { pipelines: { traces: { exporters: string[] } } } };
    const config = loadConfigFile(join(deploy, 'driftwatch.yaml'), { DRIFTWATCH_CLICKHOUSE_PASSWORD: 'x' }).config;
    assert.equal(config.traces.schema, 'otel');
    assert.equal(collector.exporters.clickhouse.database, config.clickhouse.database);
    assert.equal(collector.exporters.clickhouse.traces_table_name, config.traces.schema === 'otel' ? config.traces.table : '');
    assert.deepEqual(collector.service.pipelines.traces.exporters, ['clickhouse']);
    // The server-only image has no embedded engine: rollups must live on the server.
    assert.ok(config.clickhouse.url && config.rollups.database);
    const init = readFileSync(join(deploy, 'clickhouse/init-driftwatch.sh'), 'utf8');
    assert.match(init, new RegExp(`GRANT SELECT ON ${config.clickhouse.database}\\.\\* TO ${config.clickhouse.username}`));
    assert.match(init, new RegExp(`ON ${config.rollups.database}\\.\\* TO ${config.clickhouse.username}`));
    assert.equal(spawnSync('bash', ['-n', join(deploy, 'clickhouse/init-driftwatch.sh')]).status, 0);
  });

  it('Grafana finds the dashboard where its provisioning looks, and a Prometheus data source', () => {
    const provider = yaml('grafana/provisioning/dashboards/driftwatch.yaml') as { providers: { options: { path: string } }[] };
    const dashboard = mounts('grafana').find((m) => m.host.endsWith('driftwatch.json'))!;
    assert.ok(dashboard.container.startsWith(`${provider.providers[0]!.options.path}/`), `${dashboard.container} is outside ${provider.providers[0]!.options.path}`);
    const sources = yaml('grafana/provisioning/datasources/prometheus.yaml') as { datasources: { type: string; url: string }[] };
    assert.equal(sources.datasources[0]!.type, 'prometheus');
    assert.match(sources.datasources[0]!.url, /^http:\/\/prometheus:9090$/);
  });

  it('every example trace opens in Grafana: the ClickHouse data source is provisioned, and the trace link queries its traces', () => {
    const grafana = compose.services.grafana!;
    assert.match(grafana.environment!.GF_INSTALL_PLUGINS!, /(^|,)grafana-clickhouse-datasource(,|$)/, 'the plugin the data source needs');
    const source = (
      yaml('grafana/provisioning/datasources/clickhouse.yaml') as {
        datasources: { uid: string; type: string; jsonData: { host: string; username: string; traces: { defaultTable: string; otelEnabled: boolean } }; secureJsonData: { password: string } }[];
      }
    ).datasources[0]!;
    assert.equal(source.type, 'grafana-clickhouse-datasource');
    assert.equal(source.jsonData.host, 'clickhouse');
    assert.equal(source.jsonData.traces.otelEnabled, true);
    // The password reaches Grafana from compose, and ClickHouse creates the same user with it, read-only on the traces.
    const variable = /^\$\{?([A-Z_]+)\}?$/.exec(source.secureJsonData.password)![1]!;
    assert.ok(grafana.environment![variable] && compose.services.clickhouse!.environment![variable], `${variable} given to Grafana and ClickHouse`);
    const config = loadConfigFile(join(deploy, 'driftwatch.yaml'), { DRIFTWATCH_CLICKHOUSE_PASSWORD: 'x' }).config;
    const init = readFileSync(join(deploy, 'clickhouse/init-driftwatch.sh'), 'utf8');
    assert.match(init, new RegExp(`CREATE USER IF NOT EXISTS ${source.jsonData.username} .*\\$\\{${variable}\\}`));
    assert.match(init, new RegExp(`GRANT SELECT ON ${config.clickhouse.database}\\.\\* TO ${source.jsonData.username};`));
    // The template, filled with a trace id, opens Explore on that data source with a query for that trace in the Collector's table.
    const url = new URL(config.notify.traceLinkTemplate!.replaceAll('{traceId}', '4bf92f3577b34da6a3ce929d0e0e4736'));
    assert.equal(url.origin, 'http://localhost:3000');
    assert.equal(url.pathname, '/explore');
    const pane = Object.values(
      JSON.parse(url.searchParams.get('panes')!) as Record<string, { datasource: string; queries: { datasource: { type: string; uid: string }; queryType: string; rawSql: string }[] }>,
    )[0]!;
    assert.equal(pane.datasource, source.uid);
    assert.deepEqual(pane.queries[0]!.datasource, { type: source.type, uid: source.uid });
    assert.equal(pane.queries[0]!.queryType, 'traces');
    assert.match(
      pane.queries[0]!.rawSql,
      new RegExp(`FROM "${config.clickhouse.database}"\\."${config.traces.schema === 'otel' ? config.traces.table : ''}" WHERE "TraceId" = '4bf92f3577b34da6a3ce929d0e0e4736'`),
    );
    for (const column of ['traceID', 'spanID', 'parentSpanID', 'serviceName', 'operationName', 'startTime', 'duration', 'tags', 'serviceTags'])
      assert.match(pane.queries[0]!.rawSql, new RegExp(` AS ${column}\\b`));
    // Links from alerts, rules and the dashboard go where a browser reaches driftwatch.
    assert.equal(config.server.externalUrl, 'http://localhost:9464');
  });

  it('promtool accepts the Prometheus config with the rules mounted as compose mounts them', { skip: needs('promtool', "Debian's prometheus package") }, () => {
    const config = readFileSync(join(deploy, 'prometheus.yml'), 'utf8');
    let local = config;
    for (const m of mounts('prometheus')) local = local.replaceAll(m.container, m.host);
    assert.notEqual(local, config, 'the rules path is a mounted one');
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-prom-'));
    writeFileSync(join(dir, 'prometheus.yml'), local);
    const check = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const rules = (parse(readFileSync(join(root, 'dashboards/driftwatch.rules.yml'), 'utf8')) as { groups: { rules: unknown[] }[] }).groups.flatMap((g) => g.rules).length;
    assert.match(check.stdout, new RegExp(`SUCCESS: ${rules} rules found`));
    assert.match(config, /job_name: driftwatch/, 'the rules expect the job `driftwatch`');
  });

  it('amtool accepts the Alertmanager config; drift rules and health rules take their own routes, and Prometheus sends to it', {
    skip: needs('amtool', "Debian's prometheus-alertmanager package"),
  }, () => {
    const file = join(deploy, 'alertmanager.yml');
    const check = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const route = (...labels: string[]) => spawnSync('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels], { encoding: 'utf8' }).stdout.trim();
    assert.equal(route('alertname=DriftwatchToolApiDrift', 'drift_mode=tool-api', 'subject=refund_payment'), 'drift');
    assert.equal(route('alertname=DriftwatchSourceDown', 'instance=driftwatch:9464'), 'driftwatch-health');
    const prometheus = yaml('prometheus.yml') as { alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    const [host, port] = prometheus.alerting.alertmanagers[0]!.static_configs[0]!.targets[0]!.split(':');
    assert.equal(host, 'alertmanager');
    assert.ok(Object.hasOwn(compose.services, host!));
    assert.ok(mounts('alertmanager').some((m) => m.host === file));
    assert.equal(port, '9093');
  });

  it('the Dockerfile builds on a Node LTS, copies what exists and the build context keeps, and checks health on the configured port', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const major = Number(/ARG NODE_IMAGE=node:(\d+)-/.exec(dockerfile)?.[1]);
    assert.ok(major >= 22 && major % 2 === 0, `node ${major} is not a supported LTS line`);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(' ')) {
        assert.ok(existsSync(join(root, source)), `COPY ${source}: missing`);
        assert.ok(!ignored.some((i) => source === i || source.startsWith(`${i}/`)), `COPY ${source}: excluded by .dockerignore`);
      }
    }
    assert.match(dockerfile, /npm ci --omit=dev \$omit/);
    assert.match(dockerfile, /HEALTHCHECK[\s\S]*"healthcheck", "--config"/);
    assert.match(dockerfile, /^VOLUME \/var\/lib\/driftwatch$/m);
    assert.match(dockerfile, /^USER driftwatch$/m);
  });
});
