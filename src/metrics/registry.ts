/**
 * Every metric driftwatch exposes, defined once, on its own registry. Prefix `driftwatch_`,
 * base units, `_total` on counters, help on all. Subject label values are bounded by the
 * signals themselves (busiest subjects by name, the rest folded into `other`), and label sets
 * that a cycle no longer produces are removed so dashboards never show stale verdicts.
 *
 * `signal` is always a verdict's facet (an error rate, a latency: what its signal declares); the
 * code that computes verdicts is a `module`. A Langfuse project is its own `project` label (empty for otel).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricScale } from './units.ts';
import { CATALOGUE } from '../signals/index.ts';
import type { Catalogue } from '../signals/catalogue.ts';
import type { Facet } from '../core/facet.ts';
import { visibleEscapes } from '../core/escape.ts';
import type { CycleOutcome } from '../engine/cycle.ts';
import type { SignalResult, Status } from '../core/verdict.ts';

const SIGNAL_LABELS = ['signal', 'drift_mode', 'layer', 'project', 'subject'] as const;
const ALERT_LABELS = ['drift_mode', 'layer', 'project', 'subject'] as const;
const STATUSES: readonly Status[] = ['ok', 'drift', 'no_data', 'error'];
/** Trace ids as the common conventions write them (hex, UUIDs, Langfuse ids). */
const TRACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type Metrics = ReturnType<typeof createMetrics>;

/** The metrics of one process; `facets` may declare metric families of their own (src/core/facet.ts). */
export function createMetrics(version: string, facets: readonly Facet[] = CATALOGUE.facets) {
  const registry = new Registry();
  // process_* and nodejs_* (CPU, memory, event-loop lag, handles), as every Node service exposes.
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters (promtool rejects them); the same counts remain per type in nodejs_active_*.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const r = [registry];
  const m = {
    registry,
    signalValue: new Gauge({
      name: 'driftwatch_signal_value',
      help: 'Current-window value of a verdict, in the unit its `unit` label names: ratio (0..1), seconds, characters, turns, kappa (Cohen’s κ), rbo (rank-biased overlap 0..1), documents or score (a rubric’s own scale; its pass rate for pass/fail rubrics).',
      labelNames: [...SIGNAL_LABELS, 'unit'],
      registers: r,
    }),
    signalBaseline: new Gauge({
      name: 'driftwatch_signal_baseline_value',
      help: 'Baseline-window value of a verdict, in the unit its `unit` label names (as driftwatch_signal_value).',
      labelNames: [...SIGNAL_LABELS, 'unit'],
      registers: r,
    }),
    signalSamples: new Gauge({
      name: 'driftwatch_signal_samples',
      help: 'Observations behind a verdict per window (calls, traces, inputs or queries).',
      labelNames: [...SIGNAL_LABELS, 'window'],
      registers: r,
    }),
    signalPValue: new Gauge({ name: 'driftwatch_signal_p_value', help: 'p-value of the verdict’s drift test, before multiple-testing correction.', labelNames: SIGNAL_LABELS, registers: r }),
    signalPValueAdjusted: new Gauge({
      name: 'driftwatch_signal_p_value_adjusted',
      help: 'Benjamini–Hochberg adjusted p-value across the cycle’s tests: the one held to the signal’s alpha (after the seasonal check, when it applies).',
      labelNames: SIGNAL_LABELS,
      registers: r,
    }),
    signalStatus: new Gauge({
      name: 'driftwatch_signal_status',
      help: 'Drift status of a verdict as a state set: 1 for the current status (ok, drift, no_data, error), 0 for the others.',
      labelNames: [...SIGNAL_LABELS, 'status'],
      registers: r,
    }),
    exampleTrace: new Gauge({
      name: 'driftwatch_signal_example_trace_info',
      help: 'One example trace of each drifting verdict (the dashboard links it through your trace viewer); 1 while it drifts.',
      labelNames: [...SIGNAL_LABELS, 'trace_id'],
      registers: r,
    }),
    alertPatterns: new Gauge({
      name: 'driftwatch_alert_patterns',
      help: 'Failure patterns found behind the drifting verdicts of a drift mode, layer and subject (what its alert lists) in the last cycle; absent while nothing of it drifts.',
      labelNames: ALERT_LABELS,
      registers: r,
    }),
    alertFiring: new Gauge({ name: 'driftwatch_alert_firing', help: 'Whether an alert is open (after hysteresis) for a drift mode, layer and subject.', labelNames: ALERT_LABELS, registers: r }),
    alertEventsTotal: new Counter({
      name: 'driftwatch_alert_events_total',
      help: 'Alert lifecycle events by drift mode, layer and event (opened; refired: a reminder while it stays open; resolved): the dashboard’s annotations.',
      labelNames: ['drift_mode', 'layer', 'event'],
      registers: r,
    }),
    cycleDuration: new Histogram({ name: 'driftwatch_cycle_duration_seconds', help: 'Duration of evaluation cycles.', buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: r }),
    cyclesTotal: new Counter({
      name: 'driftwatch_cycles_total',
      help: 'Evaluation cycles by outcome (ok; error; stalled: a source received no or too few spans; skipped when the previous one still ran).',
      labelNames: ['outcome'],
      registers: r,
    }),
    scheduleInterval: new Gauge({
      name: 'driftwatch_schedule_interval_seconds',
      help: 'Longest gap between two cycles the configured schedule makes: the staleness rule waits three of these for a successful cycle.',
      registers: r,
    }),
    lastSuccess: new Gauge({ name: 'driftwatch_last_successful_cycle_timestamp_seconds', help: 'Unix time of the last cycle in which the source answered and no signal failed.', registers: r }),
    sourceUp: new Gauge({ name: 'driftwatch_source_up', help: 'Whether the trace source (ClickHouse) answered at the last cycle.', registers: r }),
    newestSpanAge: new Gauge({
      name: 'driftwatch_source_newest_span_age_seconds',
      help: 'Age of the newest span a trace source holds, at the last cycle (+Inf when it holds none in the baseline or current window).',
      labelNames: ['source'],
      registers: r,
    }),
    sourceNonFinite: new Gauge({
      name: 'driftwatch_source_non_finite_values',
      help: 'Tool calls (`value="duration"`) and judgements (`value="score"`) of the current window left out because that number is not finite (+inf, -inf, NaN): the rest is judged; a producer writes bad values.',
      labelNames: ['source', 'value'],
      registers: r,
    }),
    sourceStalled: new Gauge({
      name: 'driftwatch_source_stalled',
      help: 'Whether a trace source’s current window had no spans, or far fewer than the same hours of previous days (its signals then report no_data).',
      labelNames: ['source'],
      registers: r,
    }),
    cyclePhaseSeconds: new Gauge({
      name: 'driftwatch_cycle_phase_seconds',
      help: 'Seconds the last cycle spent in each phase (refresh, freshness, collect, series, patterns, decide, publish).',
      labelNames: ['phase'],
      registers: r,
    }),
    signalRunDuration: new Gauge({
      name: 'driftwatch_signal_run_duration_seconds',
      help: 'Duration of the last run of each signal module (`module`: tool-api, retrieval, …).',
      labelNames: ['module'],
      registers: r,
    }),
    signalLastSuccess: new Gauge({
      name: 'driftwatch_signal_last_success_timestamp_seconds',
      help: 'Unix time of the last run of each signal module that did not fail.',
      labelNames: ['module'],
      registers: r,
    }),
    signalRunsTotal: new Counter({ name: 'driftwatch_signal_runs_total', help: 'Signal module runs by outcome (ok, no_data, error).', labelNames: ['module', 'outcome'], registers: r }),
    errorsTotal: new Counter({ name: 'driftwatch_errors_total', help: 'Errors by component (source, signal, notify, config, state).', labelNames: ['component'], registers: r }),
    notificationsTotal: new Counter({
      name: 'driftwatch_notifications_total',
      help: 'Alert deliveries by sink and outcome (delivered; failed: retried with backoff; rejected: refused by the sink, retried hourly).',
      labelNames: ['sink', 'outcome'],
      registers: r,
    }),
    outboxPending: new Gauge({ name: 'driftwatch_outbox_pending', help: 'Alert notifications waiting in the durable outbox for delivery.', registers: r }),
    configReloadsTotal: new Counter({ name: 'driftwatch_config_reloads_total', help: 'Config reloads on SIGHUP by outcome (ok, invalid).', labelNames: ['outcome'], registers: r }),
    rollupBucketsBuilt: new Counter({
      name: 'driftwatch_rollup_buckets_built_total',
      help: 'Rollup buckets built or rebuilt (one per family and bucket): the backfill, then the buckets still open to late spans.',
      registers: r,
    }),
    rollupRebuilds: new Counter({
      name: 'driftwatch_rollup_rebuilds_total',
      help: 'Closed rollup buckets rebuilt because their spans changed after they closed (spans later than rollups.lateness, or rows updated or deleted).',
      registers: r,
    }),
    buildInfo: new Gauge({ name: 'driftwatch_build_info', help: 'Always 1; the version label says which driftwatch runs.', labelNames: ['version'], registers: r }),
    externalUrl: new Gauge({
      name: 'driftwatch_external_url_info',
      help: 'Always 1; the url label is where people reach this driftwatch (server.externalUrl), for the links of Prometheus rules and the dashboard.',
      labelNames: ['url'],
      registers: r,
    }),
    /** The families facets declare, by facet name. */
    facetGauges: new Map(
      facets.flatMap((f) =>
        f.metric ? [[f.name, { of: f.metric.of, gauge: new Gauge({ name: f.metric.name, help: f.metric.help, labelNames: [...SIGNAL_LABELS, 'unit'], registers: r }) }] as const] : [],
      ),
    ),
  };
  m.buildInfo.set({ version }, 1);
  for (const outcome of ['ok', 'error', 'stalled', 'skipped']) m.cyclesTotal.inc({ outcome }, 0);
  for (const component of ['source', 'signal', 'notify', 'config', 'state']) m.errorsTotal.inc({ component }, 0);
  m.rollupBucketsBuilt.inc(0);
  m.rollupRebuilds.inc(0);
  return m;
}

/** Label values of one verdict: its Langfuse project apart from the rest of its subject. */
export function signalLabels(r: Pick<SignalResult, 'signal' | 'driftMode' | 'layer' | 'subject'>) {
  return { signal: r.signal, drift_mode: r.driftMode, layer: r.layer, ...projectAndSubject(r.subject) };
}

/** A subject as the `project` and `subject` labels (the dashboard's variables take the same values). */
export function projectAndSubject(subject: Record<string, string>): { project: string; subject: string } {
  const { project = '', ...rest } = subject;
  return { project: visibleEscapes(project.slice(0, 100)), subject: subjectLabel(rest) };
}

/** A subject as one bounded label value (`refund_payment`; `project/tool` when it has several keys). */
export function subjectLabel(subject: Record<string, string>): string {
  const text = Object.values(subject).join('/');
  // Prometheus escapes only backslash, double quote and LF in a label value; other controls are made visible here.
  return text === '' ? 'all' : visibleEscapes(text.slice(0, 100));
}

type Labels = ReturnType<typeof signalLabels>;

/** Keeps the per-signal gauges equal to the last cycle's verdicts, removing label sets that vanished. */
export function createSignalPublisher(m: Metrics, units: Pick<Catalogue, 'metricUnit'> = CATALOGUE) {
  let previous = new Map<string, Labels>();
  return function publish(outcome: CycleOutcome, now: Date): void {
    const current = new Map<string, Labels>();
    for (const r of outcome.report.signals) {
      const labels = signalLabels(r);
      current.set(JSON.stringify(labels), labels);
      const scale = metricScale(r.evidence.unit);
      const unit = { unit: units.metricUnit(r.signal) };
      setOrRemove(m.signalValue, { ...labels, ...unit }, r.value === null ? null : r.value * scale);
      setOrRemove(m.signalBaseline, { ...labels, ...unit }, r.baseline === null ? null : r.baseline * scale);
      const own = m.facetGauges.get(r.signal);
      if (own) setOrRemove(own.gauge, { ...labels, ...unit }, own.of(r));
      setOrRemove(m.signalPValue, labels, r.pValue);
      setOrRemove(m.signalPValueAdjusted, labels, typeof r.evidence.pValueAdjusted === 'number' ? r.evidence.pValueAdjusted : null);
      m.signalSamples.set({ ...labels, window: 'current' }, r.samples.current);
      m.signalSamples.set({ ...labels, window: 'baseline' }, r.samples.baseline);
      for (const status of STATUSES) m.signalStatus.set({ ...labels, status }, r.status === status ? 1 : 0);
    }
    for (const [key, labels] of previous) {
      if (current.has(key)) continue;
      const unit = { unit: units.metricUnit(labels.signal) };
      for (const gauge of [m.signalValue, m.signalBaseline]) gauge.remove({ ...labels, ...unit });
      m.facetGauges.get(labels.signal)?.gauge.remove({ ...labels, ...unit });
      for (const gauge of [m.signalPValue, m.signalPValueAdjusted]) gauge.remove(labels);
      for (const window of ['current', 'baseline']) m.signalSamples.remove({ ...labels, window });
      for (const status of STATUSES) m.signalStatus.remove({ ...labels, status });
    }
    previous = current;
    // One example trace per drifting verdict; ids come from traces, so only plain ones become a label.
    m.exampleTrace.reset();
    for (const r of outcome.report.signals) {
      const id = r.evidence.traceIds[0];
      if (r.status === 'drift' && id && TRACE_ID.test(id)) m.exampleTrace.set({ ...signalLabels(r), trace_id: id }, 1);
    }
    // Per alert (drift mode, layer, subject): the most patterns any of its drifting facets has.
    m.alertPatterns.reset();
    const patternCounts = new Map<string, { labels: Record<string, string>; count: number }>();
    for (const r of outcome.report.signals) {
      if (r.status !== 'drift' || !Array.isArray(r.evidence.patterns)) continue;
      const labels = { drift_mode: r.driftMode, layer: r.layer, ...projectAndSubject(r.subject) };
      const key = JSON.stringify(labels);
      patternCounts.set(key, { labels, count: Math.max(patternCounts.get(key)?.count ?? 0, r.evidence.patterns.length) });
    }
    for (const { labels, count } of patternCounts.values()) m.alertPatterns.set(labels, count);

    m.sourceUp.set(outcome.sourceUp ? 1 : 0);
    for (const { source, freshness, nonFinite } of outcome.freshness) {
      m.newestSpanAge.set({ source }, freshness.newest ? Math.max(0, (now.getTime() - freshness.newest.getTime()) / 1000) : Number.POSITIVE_INFINITY);
      m.sourceStalled.set({ source }, freshness.stalled ? 1 : 0);
      if (nonFinite) for (const [value, n] of Object.entries(nonFinite)) m.sourceNonFinite.set({ source, value }, n);
    }
    for (const [phase, seconds] of Object.entries(outcome.phases)) if (phase !== 'publish') m.cyclePhaseSeconds.set({ phase }, seconds);
    for (const run of outcome.runs) {
      m.signalRunDuration.set({ module: run.signal }, run.seconds);
      m.signalRunsTotal.inc({ module: run.signal, outcome: run.outcome });
      if (run.outcome !== 'error') m.signalLastSuccess.set({ module: run.signal }, now.getTime() / 1000);
    }
    if (!outcome.sourceUp) m.errorsTotal.inc({ component: 'source' });
    const failed = outcome.runs.filter((run) => run.outcome === 'error').length;
    if (failed > 0 && outcome.sourceUp) m.errorsTotal.inc({ component: 'signal' }, failed);
    const ok = outcome.sourceUp && failed === 0 && !outcome.failed;
    const stalled = outcome.freshness.some((f) => f.freshness.stalled);
    m.cyclesTotal.inc({ outcome: !ok ? 'error' : stalled ? 'stalled' : 'ok' });
    if (ok && !stalled) m.lastSuccess.set(now.getTime() / 1000);
  };
}

function setOrRemove(gauge: Gauge<string>, labels: Record<string, string>, value: number | null): void {
  if (value === null || !Number.isFinite(value)) gauge.remove(labels);
  else gauge.set(labels, value);
}

/** Mirrors the open alerts into driftwatch_alert_firing (label sets of closed alerts removed). */
export function publishAlerts(m: Metrics, firing: readonly { driftMode: string; layer: string; subject: Record<string, string> }[]): void {
  m.alertFiring.reset();
  for (const a of firing) m.alertFiring.set({ drift_mode: a.driftMode, layer: a.layer, ...projectAndSubject(a.subject) }, 1);
}

/** Counts the alert events a cycle produced (and saved): opened, renotified, resolved. */
export function countAlertEvents(m: Metrics, events: readonly { kind: string; result: { driftMode: string; layer: string } }[]): void {
  for (const e of events) m.alertEventsTotal.inc({ drift_mode: e.result.driftMode, layer: e.result.layer, event: e.kind });
}
