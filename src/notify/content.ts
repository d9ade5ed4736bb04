/**
 * Pure builders of what an alert says: a title that names the drift mode and the subject, a
 * markdown description with baseline vs current, samples, test, p-value, example traces and
 * the playbook, and the texts of later comments. Every sink renders from this.
 */
import type { AlertEvent } from '../alerting/state-machine.ts';
import type { Pattern, SignalResult } from '../core/verdict.ts';
import { formatP } from '../core/format.ts';
import { PLAYBOOK } from './playbook.ts';
import { markdownCode, markdownText, singleLine, traceUrl } from './untrusted.ts';
import { labelledSparkline } from './sparkline.ts';
import { projectAndSubject } from '../metrics/registry.ts';
import { CATALOGUE } from '../signals/index.ts';
import type { Catalogue } from '../signals/catalogue.ts';

/**
 * What an alert says. `title` and `summary` are plain single lines (each sink escapes them for its
 * own syntax); `description` and `comment` are Markdown in which every text that came from traces
 * is already escaped or a code span.
 */
export interface AlertContent {
  title: string;
  /** Markdown body of a new issue or first message. */
  description: string;
  /** Markdown text of a follow-up (still drifting, or recovered). */
  comment: string;
  /** One line for chat sinks. */
  summary: string;
  /** The hourly sparkline and the onset, one plain line ('' when the verdict has no series). */
  chart: string;
  /** Where to look, for sinks that lay links out themselves (Slack's buttons and link lists). */
  links: AlertLinks;
  /** The top failure patterns as plain single lines (names came from traces: each sink escapes them). */
  patterns: string[];
  /** How much the change touches, in one line ('' when the verdict is not a rate). */
  impact: string;
}

export interface AlertLinks {
  /** The Grafana dashboard filtered to this alert's drift mode, layer and subject. */
  dashboard?: string;
  /** The runbook section of this drift mode and the status page, served by the daemon (server.externalUrl). */
  runbook?: string;
  statusPage?: string;
  /** Example traces from the current window (failing), each with its link when a template is set. */
  failing: TraceLink[];
  /** Baseline traces in which the same thing passed, to compare with. */
  passing: TraceLink[];
}

export interface TraceLink {
  id: string;
  url?: string;
}

/** Longest title (Linear allows 255; shorter reads better in lists). */
const TITLE_MAX = 200;

/** Formats a signal value in its unit. */
export function formatValue(r: Pick<SignalResult, 'evidence'>, v: number | null): string {
  if (v === null) return 'n/a';
  if (r.evidence.unit === 'ms') return `${Math.round(v)} ms`;
  if (r.evidence.unit === 'count') return String(v);
  if (r.evidence.unit === 'score') return v.toFixed(2);
  return `${(v * 100).toFixed(1)}%`;
}

function subjectText(r: SignalResult): string {
  const values = Object.values(r.subject);
  return values.length > 0 ? values.join(' / ') : r.signal;
}

/** The subject in Markdown: each value a code span (values come from traces). */
function subjectMarkdown(r: SignalResult): string {
  const values = Object.values(r.subject);
  return values.length > 0 ? values.map(markdownCode).join(' / ') : markdownCode(r.signal);
}

/** How alerts name a verdict's value: its facet's label and, for some, a headline of their own. */
export type FacetNames = Pick<Catalogue, 'facet' | 'label'>;

export function alertTitle(r: SignalResult, names: FacetNames = CATALOGUE): string {
  const mode = PLAYBOOK[r.driftMode].label;
  const headline = names.facet(r.signal)?.headline?.(r) ?? `${names.label(r.signal)} ${formatValue(r, r.baseline)} → ${formatValue(r, r.value)}`;
  return singleLine(`${mode}: ${subjectText(r)} ${headline}`, TITLE_MAX);
}

function traceLinks(traceIds: readonly string[], template: string | undefined): TraceLink[] {
  return traceIds.slice(0, 10).map((id) => {
    const url = traceUrl(template, id);
    return url ? { id, url } : { id };
  });
}

/** Where links in an alert point: the trace viewer, the dashboard, the daemon itself, the config file. */
export interface LinkOptions {
  traceLinkTemplate?: string;
  dashboardUrl?: string;
  /** The config file, named in the promote command. */
  configFile?: string;
  /** Where people reach the daemon (server.externalUrl): its runbooks and status page. */
  externalUrl?: string;
}

/**
 * How much a drifting rate touches: the change in rate times what the current window counted an
 * hour (calls, traces, inputs), since the onset when it is known. '' for values that are not rates
 * (a latency, a κ, a mean score), whose change counts no conversations.
 */
export function impactText(r: Pick<SignalResult, 'value' | 'baseline' | 'samples' | 'evidence'>, current: { from: string; to: string }): string {
  const hours = (Date.parse(current.to) - Date.parse(current.from)) / 3_600_000;
  if (r.evidence.unit !== 'ratio' || r.value === null || r.baseline === null || !(hours > 0) || r.samples.current <= 0) return '';
  const perHour = r.samples.current / hours;
  const extra = Math.round(Math.abs(r.value - r.baseline) * perHour);
  if (extra < 1) return '';
  const since = r.evidence.onset ? `, since ${onsetText(r.evidence.onset).replace(/^started ≈ /, '')}` : '';
  return `about ${extra} of the ${Math.round(perHour)} counted an hour are affected beyond the baseline rate${since}`;
}

/** The runbook section for a verdict: its drift mode's, or the eval scores' for an eval-layer verdict. */
export const runbookAnchor = (r: Pick<SignalResult, 'driftMode' | 'layer'>): string => (r.layer === 'eval' ? 'eval-score' : r.driftMode);

function traceList(links: readonly TraceLink[]): string {
  if (links.length === 0) return '_none recorded_';
  return links.map((l) => (l.url ? `- [${markdownText(l.id)}](${l.url})` : `- ${markdownCode(l.id)}`)).join('\n');
}

/** The dashboard with its variables set to this verdict's metric labels (Grafana's `var-` query parameters). */
export function dashboardLink(dashboardUrl: string, r: Pick<SignalResult, 'driftMode' | 'layer' | 'subject'>): string {
  const url = new URL(dashboardUrl);
  const { project, subject } = projectAndSubject(r.subject);
  url.searchParams.set('var-drift_mode', r.driftMode);
  url.searchParams.set('var-layer', r.layer);
  if (project) url.searchParams.set('var-project', project);
  url.searchParams.set('var-subject', subject);
  return url.toString();
}

/** Current minus baseline in the verdict's unit; rates in percentage points (`+15.1 pp`), never "%". */
export function changeText(r: Pick<SignalResult, 'evidence' | 'value' | 'baseline'>): string {
  if (r.value === null || r.baseline === null) return 'n/a';
  const d = r.value - r.baseline;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (r.evidence.unit === 'ms') return `${sign}${Math.round(a)} ms`;
  if (r.evidence.unit === 'count') return `${sign}${Number.isInteger(a) ? a : a.toFixed(1)}`;
  if (r.evidence.unit === 'score') return `${sign}${a.toFixed(2)}`;
  return `${sign}${(a * 100).toFixed(1)} pp`;
}

function evidenceTable(r: SignalResult): string {
  const p = r.pValue === null ? 'n/a' : formatP(r.pValue);
  // After the seasonal check the verdict's p is the larger of two: say both, or the message's
  // p (the whole baseline's) and this line's look like two answers to one question.
  const seasonal = r.evidence.seasonal as { pValue?: number } | undefined;
  const whole = r.evidence.pValueWholeBaseline;
  const why = typeof whole === 'number' && typeof seasonal?.pValue === 'number' ? ` (the larger of the whole baseline's ${formatP(whole)} and the same hours' ${formatP(seasonal.pValue)})` : '';
  const adjusted = typeof r.evidence.pValueAdjusted === 'number' ? ` (adjusted for ${r.evidence.testsInCycle} tests: ${formatP(r.evidence.pValueAdjusted)})` : '';
  return [
    '| | baseline | current | change |',
    '|---|---|---|---|',
    `| ${CATALOGUE.facet(r.signal)?.label ?? r.signal} | ${formatValue(r, r.baseline)} | ${formatValue(r, r.value)} | ${changeText(r)} |`,
    `| samples | ${r.samples.baseline} | ${r.samples.current} | |`,
    '',
    `**Test:** ${r.evidence.test ?? 'n/a'}; p-value ${p}${why}${adjusted}${r.evidence.alpha !== undefined ? `; α = ${r.evidence.alpha}` : ''}.`,
  ].join('\n');
}

/** When a drift began: `started ≈ 2026-11-20 06:00 UTC ± 1 h` (the hour resolution, widened by the interval). */
export function onsetText(onset: NonNullable<SignalResult['evidence']['onset']>): string {
  const at = Date.parse(onset.at);
  // The change happened up to one slot before `at`, anywhere in the interval around it.
  const minutes = Math.max(at - Date.parse(onset.earliest), Date.parse(onset.latest) - at) / 60_000 + (onset.stepMinutes ?? 60);
  return `started ≈ ${onset.at.slice(0, 16).replace('T', ' ')} UTC ± ${minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.round(minutes)} min`}`;
}

/** The last 48 hours as a sparkline in the verdict's unit, and the onset when known; '' without a series. */
export function chartText(r: Pick<SignalResult, 'evidence'>): string {
  const hourly = r.evidence.hourly;
  const line = hourly ? labelledSparkline(hourly.values, (v) => formatValue(r, v), 48) : null;
  const parts = [line, r.evidence.onset ? onsetText(r.evidence.onset) : null].filter((p): p is string => !!p);
  return parts.join(' · ');
}

/** Patterns an alert shows; the report keeps up to patterns.maxPatterns. */
const PATTERNS_SHOWN = 3;

/** `120 traces, 80% of those affected (not in the baseline: new)`: numbers only, safe anywhere. */
function patternFigures(p: Pattern): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const baseline = p.baselineShare === 0 ? 'not in the baseline: new' : p.share > p.baselineShare ? `${pct(p.baselineShare)} in the baseline: grew` : `${pct(p.baselineShare)} in the baseline`;
  return `${p.size} traces, ${pct(p.share)} of those affected (${baseline})`;
}

/** The top patterns as plain single lines: `name: figures` (names came from traces). */
export function patternLines(r: Pick<SignalResult, 'evidence'>): string[] {
  return (r.evidence.patterns ?? []).slice(0, PATTERNS_SHOWN).map((p) => `${singleLine(p.name, 120)}: ${patternFigures(p)}`);
}

const WINDOW_START = 'around the start of the current window';

/** A playbook step that points at the window's start, pointed at the onset instead when it is known. */
export function whenItBegan(step: string, r: Pick<SignalResult, 'evidence'>): string {
  const onset = r.evidence.onset;
  return onset && step.includes(WINDOW_START) ? step.replace(WINDOW_START, `around when it began (${onsetText(onset).replace(/^started ≈ /, '')})`) : step;
}

/** A path as one shell word: bare when it is plainly safe, else single-quoted. */
export function shellWord(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The Markdown section of failure patterns, with the command that promotes them into the eval set. */
function patternSection(r: SignalResult, fingerprint: string, configFile?: string): string[] {
  const patterns = r.evidence.patterns ?? [];
  if (patterns.length === 0) return [];
  const sample = r.evidence.patternSample;
  const method = sample?.method === 'hdbscan' ? 'text clustering (HDBSCAN)' : 'exact signature';
  return [
    '### Failure patterns',
    ...patterns.slice(0, PATTERNS_SHOWN).map((p) => `- ${markdownCode(singleLine(p.name, 120))}: ${patternFigures(p)}`),
    ...(sample ? [`_${sample.affected} affected traces sampled, ${sample.unclustered} in no pattern; grouped by ${method}._`] : []),
    // A path with a backtick cannot sit in a code span: then the placeholder, as without a path.
    `Promote them into the eval set: \`driftwatch promote --config ${configFile && !configFile.includes('`') ? shellWord(configFile) : 'FILE'} --alert ${fingerprint} --all\``,
    '',
  ];
}

export function buildAlertContent(event: AlertEvent, options: LinkOptions = {}): AlertContent {
  const { traceLinkTemplate, dashboardUrl, configFile, externalUrl } = options;
  const r = event.result;
  const base = externalUrl?.replace(/\/+$/, '');
  const links: AlertLinks = {
    ...(dashboardUrl ? { dashboard: dashboardLink(dashboardUrl, r) } : {}),
    ...(base ? { runbook: `${base}/runbooks#${runbookAnchor(r)}`, statusPage: `${base}/` } : {}),
    failing: traceLinks(r.evidence.traceIds, traceLinkTemplate),
    passing: traceLinks(r.evidence.passingTraceIds ?? [], traceLinkTemplate),
  };
  const tracesSection = ['### Example traces', traceList(links.failing), ...(links.passing.length > 0 ? ['', '### Compare with a passing trace from the baseline', traceList(links.passing)] : [])];
  const dashboardLine = links.dashboard ? [`[Open the dashboard for this subject](${links.dashboard})`, ''] : [];
  const daemonLine = links.runbook && links.statusPage ? [`[What to do: the runbook](${links.runbook}) · [Status page](${links.statusPage})`, ''] : [];
  const playbook = PLAYBOOK[r.driftMode];
  const title = alertTitle(r);
  const windows = `current window ${event.windows.current.from} → ${event.windows.current.to}; baseline ${event.windows.baseline.from} → ${event.windows.baseline.to}`;
  const chart = chartText(r);
  const chartLines = chart ? [`**Hour by hour:** ${markdownCode(chart)}`, ''] : [];
  const impact = impactText(r, event.windows.current);
  const impactLines = impact ? [`**Impact:** ${impact}.`, ''] : [];
  const description = [
    `driftwatch found **${playbook.label.toLowerCase()}** (\`driftMode: ${r.driftMode}\`, layer \`${r.layer}\`, signal \`${r.signal}\`) for ${subjectMarkdown(r)}.`,
    '',
    markdownText(r.message),
    '',
    ...impactLines,
    ...dashboardLine,
    ...daemonLine,
    ...chartLines,
    evidenceTable(r),
    '',
    `_${windows}._`,
    '',
    ...(event.facets.length > 1 ? [`### Everything that drifted for ${subjectMarkdown(r)}`, ...event.facets.map((f) => `- ${markdownText(f.message)}`), ''] : []),
    ...(Array.isArray(r.evidence.details) && r.evidence.details.length > 0 ? ['### Evidence', ...(r.evidence.details as string[]).map((d) => `- ${markdownText(String(d))}`), ''] : []),
    ...patternSection(r, event.fingerprint, configFile),
    ...tracesSection,
    '',
    '### What this usually means',
    playbook.meaning,
    '',
    '### What to check first',
    ...playbook.checkFirst.map((step, i) => `${i + 1}. ${whenItBegan(step, r)}`),
    '',
    `<sub>fingerprint \`${event.fingerprint}\` · opened ${event.openedAt}</sub>`,
  ].join('\n');
  const comment =
    event.kind === 'resolved'
      ? [`**Recovered** at ${event.at}:`, ...event.facets.map((f) => `- ${markdownText(f.message)}`)].join('\n')
      : [`**Still drifting** at ${event.at}:`, ...event.facets.map((f) => `- ${markdownText(f.message)}`), '', ...chartLines, evidenceTable(r), '', ...tracesSection].join('\n');
  const summary = event.kind === 'resolved' ? `Recovered: ${title}` : event.kind === 'refired' ? `Still drifting: ${title}` : `${title} — ${singleLine(r.message, 1000)}`;
  return { title, description, comment, summary, chart, links, patterns: event.kind === 'resolved' ? [] : patternLines(r), impact: event.kind === 'resolved' ? '' : impact };
}
