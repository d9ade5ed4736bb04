/**
 * `GET /`: what driftwatch sees, for a person without Grafana at hand. One self-contained HTML
 * document (inline CSS and SVG, no script, no external asset): the last cycle and its health,
 * production against CI where a rubric has a CI run, every layer with its verdicts (drifting
 * first) and their hourly sparklines, the open alerts with their links. Read-only. Everything that came from traces is escaped, and the server sends
 * a Content-Security-Policy that forbids scripts and outside requests besides.
 */
import type { Report } from '../engine/cycle.ts';
import type { AlertState } from '../alerting/state-machine.ts';
import type { SignalResult } from '../core/verdict.ts';
import { DRIFT_MODES, LAYERS, STATUS_ORDER } from '../core/modes.ts';
import { formatValue, onsetText, patternLines, runbookAnchor } from '../notify/content.ts';
import { formatP } from '../core/format.ts';
import { traceUrl } from '../notify/untrusted.ts';
import { svgSparkline } from './svg-sparkline.ts';

export interface StatusView {
  now: Date;
  /** Seconds between reloads of the page: the cycle cadence. */
  refreshSeconds: number;
  last: {
    finishedAt: Date;
    report: Report;
    sourceUp: boolean;
    /** Sources whose current window had no or too few spans, with why. */
    stalled: string[];
  } | null;
  /** Set while the daemon waits at start for a trace store that does not answer. */
  waiting?: { reason: string; attempts: number; nextAttemptAt: Date } | null;
  alerts: readonly AlertState[];
  /** Per alert episode, what sinks remember (a Linear issue's URL). */
  refs: Readonly<Record<string, Record<string, string>>>;
  traceLinkTemplate?: string;
  dashboardUrl?: string;
}

export const STATUS_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Only http(s) links leave the page; anything else is not a link. */
function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** `2026-12-06 20:44 UTC (12 min ago)`: to the minute, and how long ago (or until) for a reader at `now`. */
export function whenText(at: Date, now: Date): string {
  const stamp = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  const span = Math.abs(seconds);
  const amount = span < 60 ? null : span < 3600 ? `${Math.round(span / 60)} min` : span < 172_800 ? `${Math.round(span / 3600)} h` : `${Math.round(span / 86_400)} d`;
  return `${stamp} (${amount === null ? 'just now' : seconds > 0 ? `${amount} ago` : `in ${amount}`})`;
}

const timeTag = (at: Date, now: Date) => `<time datetime="${at.toISOString()}">${escapeHtml(whenText(at, now))}</time>`;

const link = (href: string | null, text: string) => (href ? `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${escapeHtml(text)}</a>` : escapeHtml(text));
const subjectText = (subject: Record<string, string>) => (Object.values(subject).length > 0 ? Object.values(subject).join(' / ') : '(all)');

function traceLinks(ids: readonly string[], template: string | undefined): string {
  if (ids.length === 0) return '<span class="muted">none</span>';
  return ids
    .slice(0, 5)
    .map((id) => {
      const url = traceUrl(template, id);
      return link(url ? safeHref(url) : null, id);
    })
    .join(' ');
}

function verdictRow(r: SignalResult, report: Report, template: string | undefined): string {
  const hourly = r.evidence.hourly;
  const unitValue = (v: number | null) => formatValue(r, v);
  const adjusted = typeof r.evidence.pValueAdjusted === 'number' ? formatP(r.evidence.pValueAdjusted) : r.pValue === null ? 'n/a' : formatP(r.pValue);
  const chart = hourly
    ? svgSparkline(
        {
          from: hourly.from,
          values: hourly.values,
          current: report.windows.current,
          onset: r.evidence.onset,
          label: `${r.signal} ${subjectText(r.subject)} hour by hour`,
          format: (v) => formatValue(r, v),
        },
        escapeHtml,
      )
    : '<span class="muted">no hourly series</span>';
  return [
    `<tr class="verdict ${r.status}" data-status="${r.status}" data-signal="${escapeHtml(r.signal)}" data-mode="${escapeHtml(r.driftMode)}">`,
    `<td><span class="badge ${r.status}">${r.status}</span></td>`,
    `<td class="signal">${escapeHtml(r.signal)}<div class="muted">${escapeHtml(r.driftMode)}</div></td>`,
    `<td class="subject">${escapeHtml(subjectText(r.subject))}</td>`,
    `<td class="num">${escapeHtml(unitValue(r.value))}<div class="muted">baseline ${escapeHtml(unitValue(r.baseline))}</div></td>`,
    `<td class="num">${r.samples.current}<div class="muted">${r.samples.baseline}</div></td>`,
    `<td class="num">${escapeHtml(adjusted)}</td>`,
    `<td>${chart}${r.evidence.onset ? `<div class="onset-text">${escapeHtml(onsetText(r.evidence.onset))}</div>` : ''}</td>`,
    `<td class="message">${escapeHtml(r.message)}<div class="traces">${r.status === 'drift' ? traceLinks(r.evidence.traceIds, template) : ''}</div></td>`,
    '</tr>',
  ].join('');
}

const VERDICT_HEAD =
  '<thead><tr><th>status</th><th>signal</th><th>subject</th><th>now / baseline</th><th>samples now / baseline</th><th>adjusted p</th><th>last 48 hours</th><th>what it says</th></tr></thead>';

/** A layer's verdicts: what needs a look in the open (drift, no data, errors), its ok verdicts folded. */
function layerSection(layer: string, verdicts: SignalResult[], report: Report, template: string | undefined): string {
  const sorted = [...verdicts].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.signal.localeCompare(b.signal));
  const drifting = sorted.filter((r) => r.status === 'drift').length;
  const shown = sorted.filter((r) => r.status !== 'ok');
  const ok = sorted.filter((r) => r.status === 'ok');
  return [
    `<section class="layer" data-layer="${escapeHtml(layer)}"><h2>${escapeHtml(layer)}${drifting > 0 ? ` <span class="badge drift">${drifting} drifting</span>` : ''}</h2>`,
    shown.length > 0 ? `<table>${VERDICT_HEAD}<tbody>${shown.map((r) => verdictRow(r, report, template)).join('')}</tbody></table>` : '',
    ok.length > 0
      ? `<details class="ok-rows"><summary>${ok.length} ok verdict${ok.length > 1 ? 's' : ''}</summary><table>${VERDICT_HEAD}<tbody>${ok.map((r) => verdictRow(r, report, template)).join('')}</tbody></table></details>`
      : '',
    '</section>',
  ].join('');
}

/**
 * Filters by layer and drift mode without a script (the page allows none): radio buttons, and
 * one CSS rule per choice that hides what does not match it.
 */
function filters(verdicts: readonly SignalResult[]): { html: string; css: string } {
  const layers = LAYERS.filter((l) => verdicts.some((r) => r.layer === l));
  const modes = DRIFT_MODES.filter((m) => verdicts.some((r) => r.driftMode === m));
  if (layers.length + modes.length <= 2) return { html: '', css: '' };
  const group = (name: string, title: string, values: readonly string[]) =>
    `<span class="filter"><b>${title}</b> ${['all', ...values]
      .map((v) => `<input type="radio" name="${name}" id="${name}-${v}"${v === 'all' ? ' checked' : ''}><label for="${name}-${v}">${escapeHtml(v)}</label>`)
      .join(' ')}</span>`;
  const css = [
    ...layers.map((l) => `body:has(#layer-${l}:checked) section.layer:not([data-layer="${l}"]){display:none}`),
    ...modes.map((m) => `body:has(#mode-${m}:checked) tr.verdict:not([data-mode="${m}"]){display:none}`),
    ...modes.map((m) => `body:has(#mode-${m}:checked) details.ok-rows{display:block}`),
  ].join('\n');
  return { html: `<nav class="filters">${group('layer', 'layer', layers)} ${group('mode', 'drift mode', modes)}</nav>`, css };
}

/** The alert's top patterns, one per line (names came from traces, so they are escaped). */
function patternList(r: SignalResult | undefined): string {
  const lines = r ? patternLines(r) : [];
  return lines.length > 0 ? lines.map((l) => `<div>${escapeHtml(l)}</div>`).join('') : '<span class="muted">none</span>';
}

function alertsSection(view: StatusView): string {
  const open = view.alerts.filter((a) => a.phase === 'firing');
  if (open.length === 0) return '<section class="alerts"><h2>Open alerts</h2><p class="muted">none</p></section>';
  const rows = open.map((a) => {
    const issue = a.episode ? view.refs[a.episode]?.linearUrl : undefined;
    const traces = a.lastResult?.evidence.traceIds ?? [];
    return [
      `<tr class="alert"><td><span class="badge drift">${escapeHtml(a.key.driftMode)}</span></td>`,
      `<td>${escapeHtml(a.key.layer)}</td><td class="subject">${escapeHtml(subjectText(a.key.subject))}</td>`,
      `<td>${a.openedAt && !Number.isNaN(Date.parse(a.openedAt)) ? timeTag(new Date(a.openedAt), view.now) : '<span class="muted">unknown</span>'}</td>`,
      // The daemon serves docs/runbooks.md at /runbooks, one section per drift mode (and one for eval scores).
      `<td><a href="runbooks#${encodeURIComponent(runbookAnchor(a.key))}">what to do</a></td>`,
      `<td>${issue ? link(safeHref(issue), 'Linear issue') : '<span class="muted">no issue</span>'}</td>`,
      `<td class="patterns">${patternList(a.lastResult)}</td>`,
      `<td class="traces">${traceLinks(traces, view.traceLinkTemplate)}</td></tr>`,
    ].join('');
  });
  return `<section class="alerts"><h2>Open alerts</h2><table><thead><tr><th>drift mode</th><th>layer</th><th>subject</th><th>opened</th><th>runbook</th><th>issue</th><th>failure patterns</th><th>example traces</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * Verdicts held against a CI run (`evidence.offlineRun`): production and CI side by side, with the
 * gap's interval and the hour-by-hour line of the same subject's live verdict. Shown first: it is
 * the question the page exists for, "does it still pass its evals in production?".
 */
function ciSection(verdicts: readonly SignalResult[], report: Report): string {
  const held = verdicts.filter((r) => r.evidence['offlineRun'] && r.status !== 'error');
  if (held.length === 0) return '';
  const rows = held
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || subjectText(a.subject).localeCompare(subjectText(b.subject)))
    .map((r) => {
      const run = r.evidence['offlineRun'] as { name?: string; at?: string };
      const interval = r.evidence['gapInterval'] as { low: number; high: number } | undefined;
      const live = verdicts.find((v) => v !== r && v.layer === r.layer && JSON.stringify(v.subject) === JSON.stringify(r.subject) && v.evidence.hourly);
      const hourly = live?.evidence.hourly;
      const chart = hourly
        ? svgSparkline({ from: hourly.from, values: hourly.values, current: report.windows.current, label: `${subjectText(r.subject)} in production hour by hour` }, escapeHtml)
        : '<span class="muted">no hourly series</span>';
      const gap = typeof r.evidence['gap'] === 'number' ? String(r.evidence['gap']) : 'n/a';
      return [
        `<tr class="verdict ${r.status}" data-status="${r.status}">`,
        `<td><span class="badge ${r.status}">${r.status}</span></td>`,
        `<td class="subject">${escapeHtml(subjectText(r.subject))}<div class="muted">${escapeHtml(r.driftMode)}</div></td>`,
        `<td class="num">${escapeHtml(formatValue(r, r.baseline))}<div class="muted">${escapeHtml(run.name ?? '')} ${escapeHtml((run.at ?? '').slice(0, 16).replace('T', ' '))}</div></td>`,
        `<td class="num">${escapeHtml(formatValue(r, r.value))}<div class="muted">n ${r.samples.current} / ${r.samples.baseline}</div></td>`,
        `<td class="num">${escapeHtml(gap)}${interval ? `<div class="muted">95% ${escapeHtml(String(interval.low))} to ${escapeHtml(String(interval.high))}</div>` : ''}</td>`,
        `<td>${chart}</td>`,
        `<td class="message">${escapeHtml(r.message)}</td></tr>`,
      ].join('');
    });
  return `<section class="ci"><h2>Production against CI</h2><table><thead><tr><th>status</th><th>rubric</th><th>CI</th><th>production now</th><th>gap</th><th>hour by hour</th><th>what it says</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function healthSection(view: StatusView): string {
  const last = view.last;
  if (view.waiting) {
    const w = view.waiting;
    return [
      '<section class="health">',
      `<p><span class="badge error">not ready</span> The trace store has not answered since the daemon started (${w.attempts} attempt${w.attempts > 1 ? 's' : ''}); no cycle has run.</p>`,
      `<p class="error-line">${escapeHtml(w.reason)}</p>`,
      `<p class="muted">Next attempt at ${timeTag(w.nextAttemptAt, view.now)}. The alerts below are those the last run left open.</p>`,
      '</section>',
    ].join('');
  }
  if (!last) return '<section class="health"><p>No cycle has finished yet.</p></section>';
  const { report } = last;
  const failing = report.errors.length;
  const health = !last.sourceUp
    ? 'trace source not answering'
    : last.stalled.length > 0
      ? `stalled: ${last.stalled.join('; ')}`
      : failing > 0
        ? `${failing} signal${failing > 1 ? 's' : ''} failed`
        : 'healthy';
  const cls = health === 'healthy' ? 'ok' : 'error';
  const dashboard = safeHref(view.dashboardUrl);
  return [
    '<section class="health">',
    `<p>Last cycle finished ${timeTag(last.finishedAt, view.now)}: <span class="badge ${cls}">${escapeHtml(health)}</span></p>`,
    `<p class="muted">current window ${escapeHtml(report.windows.current.from)} → ${escapeHtml(report.windows.current.to)}; baseline from ${escapeHtml(report.windows.baseline.from)}</p>`,
    ...report.errors.map((e) => `<p class="error-line">${escapeHtml(e.signal ?? 'source')}: ${escapeHtml(e.message)}</p>`),
    dashboard ? `<p>${link(dashboard, 'Grafana dashboard')}</p>` : '',
    '</section>',
  ].join('');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d1d1f;background:#fafafa}
h1{font-size:20px;margin:0 0 .5em}h2{font-size:16px;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e3e3e3;padding:4px 6px;text-align:left;vertical-align:top}
th{font-weight:600;font-size:12px;color:#555}.num{text-align:right;white-space:nowrap}.muted{color:#888;font-size:12px}
.signal{white-space:nowrap}.subject{overflow-wrap:break-word;word-break:normal;max-width:18em}
.filters{margin:.6em 0;font-size:13px}.filter{margin-right:1.5em}.filters input{margin-left:.6em}
section.layer,section.alerts,section.ci{overflow-x:auto}details.ok-rows{margin:.3em 0}details.ok-rows summary{cursor:pointer;color:#555;font-size:13px}
svg.spark text{font-size:9px;fill:#666}svg.spark line.axis{stroke:#ccc}
@media (max-width:1000px){section.layer th:nth-child(5),section.layer td:nth-child(5),section.layer th:nth-child(6),section.layer td:nth-child(6){display:none}.message{min-width:16em}}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#ddd}
.badge.drift{background:#d93025;color:#fff}.badge.error{background:#f29900;color:#fff}.badge.no_data{background:#bbb}.badge.ok{background:#188038;color:#fff}
tr.drift{background:#fff4f3}.message{max-width:40em;overflow-wrap:break-word;word-break:normal}
svg.spark polyline{fill:none;stroke:#1a73e8;stroke-width:1.2}svg.spark circle{fill:#1a73e8}svg.spark rect.current{fill:#fde7e4}svg.spark line.onset{stroke:#d93025;stroke-width:1.5}
.onset-text{color:#d93025;font-size:12px}.error-line{color:#b3261e}
`;

export function renderStatusPage(view: StatusView): string {
  const verdicts = view.last?.report.signals ?? [];
  const layers = LAYERS.map((layer) => ({ layer, verdicts: verdicts.filter((r) => r.layer === layer) })).filter((l) => l.verdicts.length > 0);
  // Layers with drift first, then in their usual order.
  layers.sort((a, b) => Number(b.verdicts.some((r) => r.status === 'drift')) - Number(a.verdicts.some((r) => r.status === 'drift')));
  const drifting = verdicts.filter((r) => r.status === 'drift').length;
  const filter = filters(verdicts);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="refresh" content="${Math.max(5, Math.round(view.refreshSeconds))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${drifting > 0 ? `(${drifting} drifting) ` : ''}driftwatch</title><style>${STYLE}${filter.css}</style></head><body>`,
    `<h1>driftwatch ${drifting > 0 ? `<span class="badge drift">${drifting} drifting</span>` : view.last ? '<span class="badge ok">no drift</span>' : '<span class="badge">no cycle yet</span>'}</h1>`,
    healthSection(view),
    view.last ? ciSection(verdicts, view.last.report) : '',
    alertsSection(view),
    filter.html,
    ...layers.map((l) => layerSection(l.layer, l.verdicts, view.last!.report, view.traceLinkTemplate)),
    `<p class="muted">Page generated ${escapeHtml(whenText(view.now, view.now).replace(' (just now)', ''))}; it reloads every ${Math.round(view.refreshSeconds)} s. Read-only.</p>`,
    '</body></html>',
  ].join('\n');
}
