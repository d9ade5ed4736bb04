// Alert texts are pure functions of the event: title names the mode and subject, the body carries the evidence.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { alertTitle, buildAlertContent, changeText, dashboardLink, onsetText, shellWord, whenItBegan } from './content.ts';
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { SignalResult } from '../core/verdict.ts';

const result: SignalResult = {
  signal: 'tool_error_rate',
  driftMode: 'tool-api',
  layer: 'tool',
  subject: { tool: 'refund_payment' },
  status: 'drift',
  value: 0.148,
  baseline: 0.021,
  samples: { current: 312, baseline: 4210 },
  pValue: 1.2e-9,
  evidence: { traceIds: Array.from({ length: 12 }, (_, i) => `trace-${i}`), test: 'two-proportion z', alpha: 0.001, pValueAdjusted: 2.4e-9, testsInCycle: 8, unit: 'ratio' },
  message: 'refund_payment error rate 2.1% → 14.8%',
};
const event: AlertEvent = {
  id: 'e1',
  kind: 'opened',
  fingerprint: 'abcd',
  episode: 'abcd@t',
  at: '2026-11-20T12:00:00.000Z',
  openedAt: '2026-11-20T12:00:00.000Z',
  result,
  facets: [result, { ...result, signal: 'tool_retry_rate', message: 'refund_payment retry rate 1.0% → 20.5% of traces' }],
  windows: { current: { from: '2026-11-20T10:58:00.000Z', to: '2026-11-20T11:58:00.000Z' }, baseline: { from: '2026-11-13T10:58:00.000Z', to: '2026-11-20T10:58:00.000Z' } },
};

it('titles an alert with the drift mode, subject and the move', () => {
  assert.equal(alertTitle(result), 'Tool-API drift: refund_payment error rate 2.1% → 14.8%');
  assert.equal(alertTitle({ ...result, signal: 'tool_latency', value: 892.4, baseline: 487, evidence: { ...result.evidence, unit: 'ms' } }), 'Tool-API drift: refund_payment latency 487 ms → 892 ms');
});

it('describes baseline vs current, samples, test, p-value, at most 10 linked traces and the playbook', () => {
  const c = buildAlertContent(event, { traceLinkTemplate: 'https://grafana.example/explore?traceId={traceId}' });
  assert.match(c.description, /\| error rate \| 2\.1% \| 14\.8% \| \+12\.7 pp \|/);
  assert.match(c.description, /\| samples \| 4210 \| 312 \| \|/);
  assert.match(c.description, /two-proportion z; p-value 1\.2e-9 \(adjusted for 8 tests: 2\.4e-9\); α = 0\.001/);
  assert.equal((c.description.match(/\]\(https:\/\/grafana\.example\/explore\?traceId=trace-\d+\)/g) ?? []).length, 10);
  assert.match(c.description, /### What this usually means\n.*vendor changed a schema/);
  assert.match(c.description, /### What to check first\n1\. /);
  assert.match(c.description, /fingerprint `abcd`/);
  const html = render(c.description);
  assert.match(
    html,
    /<h3>Everything that drifted for <code>refund_payment<\/code><\/h3>\n<ul>\n<li>refund_payment error rate 2\.1% → 14\.8%<\/li>\n<li>refund_payment retry rate 1\.0% → 20\.5% of traces<\/li>/,
  );
});

// Rendered as a Markdown renderer with raw HTML and autolinks on would (the strictest reading).
const markdown = new MarkdownIt({ html: true, linkify: true });
const render = (text: string) => markdown.render(text);

it('renders text from traces as text: no links, headings, rules, HTML or mentions of its own', () => {
  const hostile = '<!channel> [click](https://evil.example/x) ## owned\n---\n<img src=x onerror=alert(1)> evil.example `tick` *bold*';
  const hostileResult: SignalResult = {
    ...result,
    subject: { tool: hostile },
    message: `${hostile} error rate 2.1% → 14.8%`,
    evidence: { ...result.evidence, traceIds: ['t1)[x](https://evil.example/y', hostile] },
  };
  const hostileEvent: AlertEvent = { ...event, result: hostileResult, facets: [hostileResult, { ...hostileResult, signal: 'tool_retry_rate' }] };
  const c = buildAlertContent(hostileEvent, { traceLinkTemplate: 'https://grafana.example/explore?traceId={traceId}' });
  for (const body of [c.description, c.comment]) {
    const html = render(body);
    assert.doesNotMatch(html, /href="https:\/\/evil/, 'a link to the hostile target');
    assert.doesNotMatch(html, /<img|<h2|<hr/, 'HTML, a heading or a rule from trace text');
    assert.doesNotMatch(html, /<em>bold|<strong>bold/);
    // Every link goes to the configured trace view, with the hostile id encoded inside it.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^https:\/\/grafana\.example\/explore\?traceId=[^()\s]*$/);
    assert.ok(html.includes('[click](https://evil.example/x)'), 'the hostile text is still shown, as text');
  }
  assert.doesNotMatch(c.title, /[\n\r\u0000-\u001f]/);
  assert.ok(c.title.length <= 200);
  assert.doesNotMatch(c.summary, /\n/);
});

it('lists trace ids as code without a link template, and writes recovery comments', () => {
  const c = buildAlertContent({ ...event, kind: 'resolved' });
  assert.match(c.description, /- `trace-0`/);
  assert.match(c.comment, /^\*\*Recovered\*\* at 2026-11-20T12:00:00\.000Z/);
  assert.match(c.summary, /^Recovered: Tool-API drift/);
});

it('draws the last 48 hours as a sparkline with its range, and says when the drift started', () => {
  const values = [...Array(100).fill(0.02), ...Array(20).fill(0.021), 0.15, 0.16];
  const charted: SignalResult = {
    ...result,
    evidence: {
      ...result.evidence,
      hourly: { from: '2026-11-15T00:00:00.000Z', values },
      onset: { at: '2026-11-20T06:00:00.000Z', earliest: '2026-11-20T06:00:00.000Z', latest: '2026-11-20T07:00:00.000Z', stepMinutes: 60, method: 'm' },
    },
  };
  const c = buildAlertContent({ ...event, result: charted, facets: [charted] });
  assert.equal(c.chart, `${'▁'.repeat(46)}██ 2.0%–16.0%, last 48 h · started ≈ 2026-11-20 06:00 UTC ± 2 h`);
  assert.ok(render(c.description).includes(`<strong>Hour by hour:</strong> <code>${c.chart}</code>`));
  assert.equal(buildAlertContent(event).chart, '', 'no series, no chart');
});

it('prints an onset refined over 5-minute buckets in minutes', () => {
  const cases: [Omit<NonNullable<SignalResult['evidence']['onset']>, 'method'>, string][] = [
    [{ at: '2026-11-20T06:05:00.000Z', earliest: '2026-11-20T06:00:00.000Z', latest: '2026-11-20T06:10:00.000Z', stepMinutes: 5 }, 'started ≈ 2026-11-20 06:05 UTC ± 10 min'],
    [{ at: '2026-11-20T06:05:00.000Z', earliest: '2026-11-20T06:05:00.000Z', latest: '2026-11-20T06:05:00.000Z', stepMinutes: 5 }, 'started ≈ 2026-11-20 06:05 UTC ± 5 min'],
    [{ at: '2026-11-20T06:00:00.000Z', earliest: '2026-11-20T05:00:00.000Z', latest: '2026-11-20T06:00:00.000Z', stepMinutes: 60 }, 'started ≈ 2026-11-20 06:00 UTC ± 2 h'],
  ];
  for (const [onset, text] of cases) assert.equal(onsetText({ ...onset, method: 'm' }), text);
});

it('writes a change in the verdict’s unit: rates in percentage points, never %', () => {
  const cases: [Partial<SignalResult>, string][] = [
    [{ value: 0.148, baseline: 0.021 }, '+12.7 pp'],
    [{ value: 0.5, baseline: 0.9 }, '−40.0 pp'],
    [{ value: 892.4, baseline: 487, evidence: { traceIds: [], unit: 'ms' } }, '+405 ms'],
    [{ value: 0.41, baseline: 0.72, evidence: { traceIds: [], unit: 'score' } }, '−0.31'],
    [{ value: 3, baseline: 3, evidence: { traceIds: [], unit: 'count' } }, '±0'],
    [{ value: null, baseline: 0.2 }, 'n/a'],
  ];
  for (const [patch, expected] of cases) assert.equal(changeText({ ...result, ...patch }), expected);
});

it('links the dashboard filtered to the subject, and a passing baseline trace beside the failing ones', () => {
  assert.equal(
    dashboardLink('https://grafana.example/d/driftwatch?orgId=2', { driftMode: 'tool-api', layer: 'tool', subject: { project: 'shop', tool: 'refund payment&x' } }),
    'https://grafana.example/d/driftwatch?orgId=2&var-drift_mode=tool-api&var-layer=tool&var-project=shop&var-subject=refund+payment%26x',
  );
  const withPassing: AlertEvent = { ...event, result: { ...result, evidence: { ...result.evidence, passingTraceIds: ['ok-1'] } } };
  const c = buildAlertContent(withPassing, { traceLinkTemplate: 'https://grafana.example/explore?traceId={traceId}', dashboardUrl: 'https://grafana.example/d/driftwatch' });
  assert.match(c.description, /\[Open the dashboard for this subject\]\(https:\/\/grafana\.example\/d\/driftwatch\?var-drift_mode=tool-api&var-layer=tool&var-subject=refund_payment\)/);
  assert.match(c.description, /### Compare with a passing trace from the baseline\n- \[ok\\-1\]\(https:\/\/grafana\.example\/explore\?traceId=ok-1\)/);
  assert.deepEqual(c.links.passing, [{ id: 'ok-1', url: 'https://grafana.example/explore?traceId=ok-1' }]);
  assert.equal(c.links.failing.length, 10);
  assert.doesNotMatch(buildAlertContent(event).description, /Compare with|Open the dashboard|runbook/, 'nothing to link, no section');
});

it('links the runbook of its drift mode and the status page where people reach the daemon', () => {
  const c = buildAlertContent(event, { externalUrl: 'https://driftwatch.example/ops/' });
  assert.equal(c.links.runbook, 'https://driftwatch.example/ops/runbooks#tool-api');
  assert.equal(c.links.statusPage, 'https://driftwatch.example/ops/');
  assert.match(c.description, /\[What to do: the runbook\]\(https:\/\/driftwatch\.example\/ops\/runbooks#tool-api\) · \[Status page\]\(https:\/\/driftwatch\.example\/ops\/\)/);
  const gap: SignalResult = { ...result, signal: 'eval_gap', driftMode: 'prompt', layer: 'eval' };
  assert.equal(buildAlertContent({ ...event, result: gap, facets: [gap] }, { externalUrl: 'https://driftwatch.example' }).links.runbook, 'https://driftwatch.example/runbooks#eval-score');
});

it("links only trace ids that are safe in a trace viewer's query", () => {
  const ids = ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c-lf', "x' OR 1=1 --", 'a b', ''];
  const odd: SignalResult = { ...result, evidence: { ...result.evidence, traceIds: ids } };
  const c = buildAlertContent({ ...event, result: odd, facets: [odd] }, { traceLinkTemplate: 'https://grafana.example/explore?traceId={traceId}' });
  assert.deepEqual(
    c.links.failing.map((l) => l.url !== undefined),
    [true, true, false, false, false],
  );
});

it('lists the top three failure patterns with their shares, and the command that promotes them', () => {
  const patterns = [
    { name: 'SchemaValidationError: field "amount_cents"', size: 40, share: 0.8, baselineShare: 0, traceIds: ['t1'] },
    { name: 'TimeoutError', size: 6, share: 0.12, baselineShare: 0.9, traceIds: ['t2'] },
    { name: 'ConnectionReset', size: 3, share: 0.06, baselineShare: 0.02, traceIds: ['t3'] },
    { name: 'fourth', size: 1, share: 0.02, baselineShare: 0, traceIds: ['t4'] },
  ];
  const withPatterns: SignalResult = {
    ...result,
    evidence: {
      ...result.evidence,
      patterns,
      patternSample: { method: 'signature', affected: 50, baselineAffected: 120, unclustered: 1, window: { from: 'a', to: 'b' }, baselineScope: 'same-hours' },
    },
  };
  const c = buildAlertContent({ ...event, result: withPatterns, facets: [withPatterns] });
  assert.match(
    c.description,
    /### Failure patterns\n- `SchemaValidationError: field "amount_cents"`: 40 traces, 80% of those affected \(not in the baseline: new\)\n- `TimeoutError`: 6 traces, 12% of those affected \(90% in the baseline\)\n- `ConnectionReset`: 3 traces, 6% of those affected \(2% in the baseline: grew\)\n_50 affected traces sampled, 1 in no pattern; grouped by exact signature\._\nPromote them into the eval set: `driftwatch promote --config FILE --alert abcd --all`/,
  );
  assert.doesNotMatch(c.description, /fourth/);
  // With the config file known (the daemon and once pass it), the command runs as printed.
  for (const [file, word] of [
    ['/etc/driftwatch/driftwatch.yaml', '/etc/driftwatch/driftwatch.yaml'],
    ['/srv/my configs/dw.yaml', "'/srv/my configs/dw.yaml'"],
    ['/tmp/a`b.yaml', 'FILE'],
  ] as const) {
    const named = buildAlertContent({ ...event, result: withPatterns, facets: [withPatterns] }, { configFile: file });
    assert.ok(named.description.includes(`\`driftwatch promote --config ${word} --alert abcd --all\``), `${file}: ${named.description}`);
  }
  assert.deepEqual(c.patterns, [
    'SchemaValidationError: field "amount_cents": 40 traces, 80% of those affected (not in the baseline: new)',
    'TimeoutError: 6 traces, 12% of those affected (90% in the baseline)',
    'ConnectionReset: 3 traces, 6% of those affected (2% in the baseline: grew)',
  ]);
  // A hostile pattern name renders as code, never as a link or heading.
  const hostile: SignalResult = { ...withPatterns, evidence: { ...withPatterns.evidence, patterns: [{ ...patterns[0]!, name: '[x](https://evil.example) ## owned `tick`' }] } };
  const html = render(buildAlertContent({ ...event, result: hostile, facets: [hostile] }).description);
  assert.doesNotMatch(html, /href="https:\/\/evil/);
  assert.match(html, /<code>\[x\]\(https:\/\/evil\.example\) ## owned `tick`<\/code>/);
  assert.deepEqual(buildAlertContent({ ...event, kind: 'resolved', result: withPatterns, facets: [withPatterns] }).patterns, []);
});

it('quotes a path as one shell word only when it must', () => {
  const cases: [string, string][] = [
    ['/etc/driftwatch.yaml', '/etc/driftwatch.yaml'],
    ['config/dw-prod_1.yaml', 'config/dw-prod_1.yaml'],
    ['/srv/my configs/dw.yaml', "'/srv/my configs/dw.yaml'"],
    ["/srv/it's/dw.yaml", "'/srv/it'\\''s/dw.yaml'"],
    ['$(rm -rf ~).yaml', "'$(rm -rf ~).yaml'"],
  ];
  for (const [path, word] of cases) assert.equal(shellWord(path), word, path);
});

it('points a playbook step at the onset when it is known, else at the window', () => {
  const step = "Check the tool vendor's changelog around the start of the current window.";
  const onset = { at: '2026-11-20T06:00:00.000Z', earliest: '2026-11-20T06:00:00.000Z', latest: '2026-11-20T06:00:00.000Z', stepMinutes: 60 };
  assert.equal(whenItBegan(step, { evidence: { traceIds: [], onset } as never }), "Check the tool vendor's changelog around when it began (2026-11-20 06:00 UTC ± 1 h).");
  assert.equal(whenItBegan(step, { evidence: { traceIds: [] } }), step);
  assert.equal(whenItBegan('Diff the top-k lists.', { evidence: { traceIds: [], onset } as never }), 'Diff the top-k lists.');
});

it('names both p-values when the seasonal check made the verdict’s p the larger of two', () => {
  const seasonal: SignalResult = { ...result, pValue: 4.2e-13, evidence: { ...result.evidence, pValueWholeBaseline: 2.3e-13, seasonal: { pValue: 4.2e-13 } } };
  const c = buildAlertContent({ ...event, result: seasonal, facets: [seasonal] });
  assert.match(c.description, /\*\*Test:\*\* two-proportion z; p-value 4\.2e-13 \(the larger of the whole baseline's 2\.3e-13 and the same hours' 4\.2e-13\) \(adjusted for 8 tests/);
  assert.doesNotMatch(buildAlertContent(event).description, /the larger of/);
});
