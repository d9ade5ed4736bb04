// The status page in a real browser (Debian's chromium through puppeteer-core): the daemon runs on
// generated traffic with a drifting tool and a drifting tool named like an XSS payload; the test
// looks at what a person sees. Without a browser it is skipped locally and fails under CI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { freshStore, insertRows, toolSpanRow } from './helpers/spans.ts';
import { startLinearFake, type LinearFake } from './helpers/linear-server.ts';
import { generateDemoTraces } from '../src/demo/generate.ts';
import { demoCiResults } from '../src/demo/every-mode.ts';
import { startDaemon, type Daemon } from '../src/app/daemon.ts';
import { createLogger } from '../src/app/app.ts';
import { loadConfigFile } from '../src/config/load.ts';

const HOUR = 3_600_000;
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const BROWSERS = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
const browserPath = BROWSERS.find((p) => existsSync(p));
const skip = !browserPath && !process.env.CI ? `no Chromium found (tried ${BROWSERS.join(', ')}); install Debian's chromium or set CHROME_PATH` : false;
if (skip) process.stdout.write(`# SKIPPED status page browser test: ${skip}\n`);

describe('status page in a browser', { skip }, () => {
  let daemon: Daemon;
  let linear: LinearFake;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requests: string[] = [];
  let headers: Record<string, string> = {};

  before(async () => {
    assert.ok(browserPath, `CI is set but no Chromium was found (tried ${BROWSERS.join(', ')})`);
    const { store, dir } = await freshStore('unused');
    const now = Date.now();
    await generateDemoTraces(store, 'live', {
      from: new Date(now - 8 * 24 * HOUR),
      to: new Date(now + HOUR),
      driftFrom: new Date(now - 3 * HOUR - 20 * 60_000),
      seed: 51,
      scores: { rubric: 'resolution' },
    });
    // A tool whose name is markup, failing far more in the last hours than in its week.
    const hostile = [];
    for (let i = 0; i < 700; i++) {
      const at = new Date(now - 7 * 24 * HOUR + i * 14 * 60_000);
      hostile.push(toolSpanRow({ at, traceId: `h-b-${i}`, tool: HOSTILE, error: i % 100 === 0 }));
    }
    for (let i = 0; i < 120; i++) hostile.push(toolSpanRow({ at: new Date(now - 55 * 60_000 + i * 20_000), traceId: `h-c-${i}`, tool: HOSTILE, error: i % 3 === 0 }));
    await insertRows(store, hostile, 'live');
    await store.close();
    linear = await startLinearFake('lin_api_page_test');
    const file = join(dir, 'page.yaml');
    writeFileSync(join(dir, 'ci-results.jsonl'), demoCiResults());
    writeFileSync(
      file,
      `clickhouse: {embedded: chdb}
traces: {table: live}
server: {host: 127.0.0.1, port: 0}
alerting: {stateDir: state}
notify:
  traceLinkTemplate: "https://traces.example/trace/{traceId}"
  dashboardUrl: "https://grafana.example/d/driftwatch"
  linear: {apiKey: lin_api_page_test, teamId: 9cfb482a-81e3-4154-b5b9-2c805e70a02d, apiUrl: "${linear.url}"}
rubrics: [{name: resolution, driftMode: tool-api}]
signals: {scores: {offline: [{path: ci-results.jsonl, name: nightly}]}}
`,
    );
    daemon = await startDaemon(file, loadConfigFile(file).config, createLogger('fatal'));
    await daemon.tick();
    await daemon.deliveries();
    base = `http://127.0.0.1:${(daemon.server.address() as { port: number }).port}`;
    browser = await puppeteer.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'], headless: true });
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    const response = await page.goto(`${base}/`, { waitUntil: 'load' });
    headers = response!.headers();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop();
    await linear?.close();
  });

  it('shows production against CI first: each rubric’s CI score beside its live one, the gap and its interval', async () => {
    const sections = await page.$$eval('section', (all) => all.map((x) => x.className));
    assert.ok(sections.indexOf('ci') >= 0 && sections.indexOf('ci') < sections.indexOf('alerts'), sections.join(', '));
    const rows = await page.$$eval('section.ci tr.verdict', (all) => all.map((r) => ({ status: r.getAttribute('data-status'), text: r.textContent ?? '', charts: r.querySelectorAll('svg').length })));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'drift');
    assert.match(rows[0]!.text, /resolution/);
    assert.match(rows[0]!.text, /nightly/);
    assert.match(rows[0]!.text, /95% -?0\.\d+ to 0\.\d+/);
    assert.equal(rows[0]!.charts, 1, 'the live hour-by-hour line of the same rubric');
  });

  it('lists a drifting verdict first', async () => {
    const statuses = await page.$$eval('tr.verdict', (rows) => rows.map((r) => r.getAttribute('data-status')));
    assert.ok(statuses.length > 10);
    assert.equal(statuses[0], 'drift');
    assert.match(await page.title(), /^\(\d+ drifting\) driftwatch$/);
  });

  it('draws one point per hour with data, over the baseline and the current window, with the onset marked', async () => {
    const spark = await page.$$eval('tr.verdict[data-signal="tool_error_rate"]', (rows) =>
      rows
        .filter((r) => r.querySelector('td.subject')?.textContent === 'refund_payment')
        .map((r) => {
          const svg = r.querySelector('svg.spark')!;
          const vertices = [...svg.querySelectorAll('polyline')].reduce((n, p) => n + p.getAttribute('points')!.trim().split(/\s+/).length, 0) + svg.querySelectorAll('circle').length;
          return {
            hours: Number(svg.getAttribute('data-hours')),
            points: Number(svg.getAttribute('data-points')),
            vertices,
            onset: svg.querySelectorAll('line.onset').length,
            onsetText: r.querySelector('.onset-text')?.textContent ?? '',
            axis: [...svg.querySelectorAll('text')].map((t) => t.textContent),
          };
        }),
    );
    assert.equal(spark.length, 1);
    const [s] = spark;
    // The last 48 hours of the series at a glance, each hour its own point, the axis labelled.
    assert.equal(s!.hours, 48);
    assert.equal(s!.vertices, s!.points);
    assert.ok(s!.points >= s!.hours - 1, `${s!.points} of ${s!.hours} hours drawn`);
    assert.deepEqual(s!.axis.slice(-2), ['48 h ago', 'now']);
    assert.ok(
      s!.axis.slice(0, -2).every((v) => /^\d+(\.\d)?%$/.test(v!)),
      `values on the axis in the verdict's unit: ${s!.axis.join(', ')}`,
    );
    assert.equal(s!.onset, 1);
    assert.match(s!.onsetText, /^started ≈ \d{4}-\d\d-\d\d \d\d:\d[05] UTC ± \d+ min$/, 'refined to a 5-minute bucket');
  });

  it('links the open alert to its Linear issue, the example traces and the dashboard', async () => {
    const links = await page.$$eval('a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
    const issues = links.filter((l) => l.text === 'Linear issue').map((l) => l.href);
    assert.ok(issues.length > 0);
    for (const href of issues)
      assert.ok(
        linear.issues.some((i) => i.url === href),
        href!,
      );
    assert.ok(links.some((l) => l.href === 'https://grafana.example/d/driftwatch' && l.text === 'Grafana dashboard'));
    const traces = links.filter((l) => l.href?.startsWith('https://traces.example/trace/'));
    assert.ok(traces.length > 0);
    for (const t of traces) assert.equal(t.href, `https://traces.example/trace/${encodeURIComponent(t.text!)}`);
  });

  it('links each open alert to its drift mode’s runbook section, which the daemon serves, and gives times to the minute with their age', async () => {
    const runbooks = await page.$$eval('tr.alert a', (as) => as.filter((a) => a.textContent === 'what to do').map((a) => (a as HTMLAnchorElement).href));
    assert.ok(runbooks.length > 0);
    for (const href of runbooks) {
      const url = new URL(href);
      assert.equal(`${url.origin}${url.pathname}`, `${base}/runbooks`);
      const html = await (await fetch(href)).text();
      assert.ok(html.includes(`id="${url.hash.slice(1)}"`), `${url.hash} is a section of /runbooks`);
    }
    const times = await page.$$eval('time', (ts) => ts.map((t) => t.textContent));
    assert.ok(times.length >= 2, JSON.stringify(times));
    for (const t of times) assert.match(t!, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC \((just now|\d+ (min|h|d) ago)\)$/);
  });

  it('folds each layer’s ok verdicts, and filters by layer and drift mode without a script', async () => {
    const okOutside = await page.$$eval('tr.verdict[data-status="ok"]', (rows) => rows.filter((r) => !r.closest('details.ok-rows')).length);
    assert.equal(okOutside, 0, 'every ok verdict is folded');
    assert.ok((await page.$$('details.ok-rows')).length > 0);
    const visible = () =>
      page.$$eval('tr.verdict', (rows) =>
        rows.filter((r) => (r as HTMLElement).offsetParent !== null && !r.closest('details:not([open])')).map((r) => [r.closest('section')!.getAttribute('data-layer'), r.getAttribute('data-mode')]),
      );
    assert.ok(
      (await visible()).some(([, mode]) => mode !== 'tool-api'),
      'before filtering, more than one drift mode shows',
    );
    await page.click('label[for="mode-tool-api"]');
    const modes = await visible();
    assert.ok(modes.length > 0 && modes.every(([, mode]) => mode === 'tool-api'), JSON.stringify(modes));
    await page.click('label[for="mode-all"]');
    await page.click('label[for="layer-tool"]');
    const sections = await page.$$eval('section.layer', (all) => all.filter((x) => (x as HTMLElement).offsetParent !== null).map((x) => x.getAttribute('data-layer')));
    assert.deepEqual(sections, ['tool']);
    await page.click('label[for="layer-all"]');
    assert.ok((await page.$$eval('section.layer', (all) => all.filter((x) => (x as HTMLElement).offsetParent !== null).length)) > 1);
  });

  it('fits 1400 and 800 pixel wide windows: no sideways scrolling of the page, names never broken', async () => {
    const dir = process.env.DRIFTWATCH_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'driftwatch-page-'));
    for (const width of [1400, 800]) {
      await page.setViewport({ width, height: 1000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${overflow}px wider than a ${width}px window`);
      // A signal name is one line: as tall as one line of its cell's font.
      const broken = await page.$$eval(
        'td.signal',
        (cells) =>
          cells
            .filter((c) => (c as HTMLElement).offsetParent !== null)
            .filter((c) => {
              const range = document.createRange();
              range.selectNodeContents(c.firstChild!);
              return range.getClientRects().length > 1;
            }).length,
      );
      assert.equal(broken, 0, `signal names broken over lines at ${width}px`);
      const shot = await page.screenshot({ fullPage: true, path: join(dir, `status-page-${width}.png`) as `${string}.png` });
      assert.ok(shot.length > 10_000, 'a screenshot was taken');
    }
  });

  it('lists the failure patterns of each open alert, as the Linear issue does', async () => {
    const cells = await page.$$eval('tr.alert td.patterns', (tds) => tds.map((td) => td.textContent ?? ''));
    assert.ok(cells.length > 0 && cells.some((c) => /\d+ traces, \d+% of those affected \((not in the baseline: new|\d+% in the baseline)/.test(c)), JSON.stringify(cells));
    assert.ok(
      linear.issues.some((i) => /### Failure patterns\n- `[^`]+`: \d+ traces/.test(i.description)),
      'the issue lists them too',
    );
  });

  it('shows a tool named like markup as text: no element, no script, no request', async () => {
    const subjects = await page.$$eval('td.subject', (tds) => tds.map((td) => td.textContent));
    assert.ok(subjects.includes(HOSTILE), 'the hostile name is shown as it is');
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.deepEqual(requests, [`${base}/`]);
    assert.match(headers['content-security-policy'] ?? '', /default-src 'none'/);
  });
});
