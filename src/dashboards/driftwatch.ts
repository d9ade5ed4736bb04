/**
 * The Grafana dashboard, built with Grafana's Foundation SDK (typed builders) and exported to
 * dashboards/driftwatch.json by `npm run dashboards`; a test keeps the two in sync. The Prometheus
 * data source is a variable, never a fixed uid. Every query honours the instance, drift mode,
 * layer, project and subject variables; every panel says what it shows and how to read it. The
 * rows of the layers are the ones the signals declare (their facets.ts).
 */
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  TextBoxVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableHide,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import type { DashboardRow, PanelSpec } from '../core/facet.ts';
import { CATALOGUE } from '../signals/index.ts';

const datasource = { type: 'prometheus', uid: '${datasource}' };
/** The selector every verdict query carries. */
const VERDICT = 'instance=~"$instance", drift_mode=~"$drift_mode", layer=~"$layer", project=~"$project", subject=~"$subject"';
const INSTANCE = 'instance=~"$instance"';

const q = (expr: string, legend: string) => new DataqueryBuilder().datasource(datasource).expr(expr).legendFormat(legend);
const instantTable = (expr: string) => new DataqueryBuilder().datasource(datasource).expr(expr).instant().format(PromQueryFormat.Table);

type Step = [color: string, from: number | null];
const thresholds = (...steps: Step[]) => new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map(([color, value]) => ({ color, value })));
/** Panels whose value has no fixed good/bad line: drift is judged against the baseline series beside it. */
const RELATIVE = thresholds(['text', null]);

/**
 * The status page of the driftwatch the dashboard shows: it lists each verdict's example traces.
 * At the address the daemon exports (server.externalUrl, as driftwatch_external_url_info), which a
 * browser can open where a scrape target's address often cannot.
 */
const STATUS_PAGE_URL = '${daemon_url}/';
const statusPage = new DashboardLinkBuilder('driftwatch status page (example traces)').url(STATUS_PAGE_URL);

const ts = (title: string, description: string, unit: string | undefined, queries: [string, string][], span = 12) => {
  const p = new TimeseriesPanel().title(title).description(description).datasource(datasource).height(8).span(span).thresholds(RELATIVE).dataLinks([statusPage]);
  if (unit) p.unit(unit);
  for (const [expr, legend] of queries) p.withTarget(q(expr, legend));
  return p;
};
const currentVsBaseline = (signal: string): [string, string][] => [
  [`driftwatch_signal_value{signal="${signal}", ${VERDICT}}`, '{{subject}} current'],
  [`driftwatch_signal_baseline_value{signal="${signal}", ${VERDICT}}`, '{{subject}} baseline'],
];
const samples = (signal: string): [string, string][] => [[`driftwatch_signal_samples{signal="${signal}", ${VERDICT}}`, '{{subject}} {{window}}']];

/** A panel's queries from what its signal declares. */
function queriesOf(p: PanelSpec): [string, string][] {
  if (p.show === 'samples') return samples(p.facet);
  if (p.show === 'value') return [[`driftwatch_signal_value{signal="${p.facet}", ${VERDICT}}`, '{{subject}}']];
  return currentVsBaseline(p.facet);
}

const labelVariable = (name: string, label: string, query: string) =>
  new QueryVariableBuilder(name).label(label).datasource(datasource).query(query).multi(true).includeAll(true).allValue('.*').refresh(VariableRefresh.OnTimeRangeChanged);

export function buildDashboard(rows: readonly DashboardRow[] = CATALOGUE.rows): object {
  const d = new DashboardBuilder('driftwatch')
    .uid('driftwatch')
    .tags(['driftwatch', 'llm', 'drift'])
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withVariable(labelVariable('instance', 'Instance', 'label_values(driftwatch_build_info, instance)'))
    .withVariable(labelVariable('drift_mode', 'Drift mode', 'label_values(driftwatch_signal_status{instance=~"$instance"}, drift_mode)'))
    .withVariable(labelVariable('layer', 'Layer', 'label_values(driftwatch_signal_status{instance=~"$instance", drift_mode=~"$drift_mode"}, layer)'))
    .withVariable(labelVariable('project', 'Project (Langfuse)', 'label_values(driftwatch_signal_status{instance=~"$instance"}, project)'))
    .withVariable(labelVariable('subject', 'Subject', 'label_values(driftwatch_signal_status{instance=~"$instance", drift_mode=~"$drift_mode", layer=~"$layer"}, subject)'))
    .withVariable(
      new QueryVariableBuilder('daemon_url')
        .label('driftwatch address')
        .description('Where people reach the driftwatch shown (its server.externalUrl): the status-page links go there.')
        .datasource(datasource)
        .query('label_values(driftwatch_external_url_info{instance=~"$instance"}, url)')
        .hide(VariableHide.HideVariable)
        .refresh(VariableRefresh.OnTimeRangeChanged),
    )
    .withVariable(
      new TextBoxVariableBuilder('trace_link')
        .label('Trace link prefix')
        .description('Your notify.traceLinkTemplate up to {traceId}: the example-trace table appends the trace id to it.')
        .defaultValue('https://grafana.example.com/explore?traceId='),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('driftwatch alerts')
        .datasource(datasource)
        .enable(true)
        .iconColor('red')
        // A counter that appears already above zero counted events since its process started.
        .expr(
          'sum by (drift_mode, layer, event) ((increase(driftwatch_alert_events_total{instance=~"$instance", drift_mode=~"$drift_mode", layer=~"$layer"}[2m]) > 0) or (driftwatch_alert_events_total{instance=~"$instance", drift_mode=~"$drift_mode", layer=~"$layer"} unless driftwatch_alert_events_total offset 2m))',
        )
        .step('1m')
        .titleFormat('{{event}}: {{drift_mode}}')
        .textFormat('alert {{event}} for drift mode {{drift_mode}} in layer {{layer}}')
        .tagKeys('drift_mode,layer,event'),
    )
    .withRow(new RowBuilder('Overview'))
    .withPanel(
      new StatPanel()
        .title('Signals drifting now, by drift mode')
        .description('Verdicts whose status is drift at the last cycle, per drift mode. An alert opens after alerting.openAfter drifting cycles.')
        .datasource(datasource)
        .height(5)
        .span(6)
        .thresholds(thresholds(['green', null], ['red', 1]))
        .withTarget(q(`sum by (drift_mode) (driftwatch_signal_status{status="drift", ${VERDICT}})`, '{{drift_mode}}')),
    )
    .withPanel(
      new StatPanel()
        .title('Open alerts by layer')
        .description('Alerts open after hysteresis (openAfter, resolveAfter, cooldown), per layer.')
        .datasource(datasource)
        .height(5)
        .span(6)
        .thresholds(thresholds(['green', null], ['red', 1]))
        .withTarget(q(`sum by (layer) (driftwatch_alert_firing{${VERDICT}})`, '{{layer}}')),
    )
    .withPanel(
      new StatPanel()
        .title('Schedule intervals since the last successful cycle')
        .description('How many of the schedule’s longest gaps have passed since a cycle last succeeded; at 3 the DriftwatchNoSuccessfulCycle rule fires.')
        .datasource(datasource)
        .height(5)
        .span(4)
        .decimals(1)
        .thresholds(thresholds(['green', null], ['orange', 2], ['red', 3]))
        .withTarget(q(`(time() - driftwatch_last_successful_cycle_timestamp_seconds{${INSTANCE}}) / driftwatch_schedule_interval_seconds{${INSTANCE}}`, '{{instance}}')),
    )
    .withPanel(
      new StatPanel()
        .title('Trace source up')
        .description('1 when ClickHouse answered at the last cycle; 0 means nothing is judged.')
        .datasource(datasource)
        .height(5)
        .span(4)
        .thresholds(thresholds(['red', null], ['green', 1]))
        .withTarget(q(`driftwatch_source_up{${INSTANCE}}`, '{{instance}}')),
    )
    .withPanel(
      new StatPanel()
        .title('Age of the newest span')
        .description(
          'How old the newest span in the trace table was at the last cycle. Whether traffic stalled is judged against the same hours of earlier days (driftwatch_source_stalled); these colours are a hint for busy services.',
        )
        .unit('s')
        .datasource(datasource)
        .height(5)
        .span(4)
        .thresholds(thresholds(['green', null], ['orange', 900], ['red', 3600]))
        .withTarget(q(`max by (source) (driftwatch_source_newest_span_age_seconds{${INSTANCE}})`, '{{source}}')),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Cycle duration (p90) against the schedule')
        .description('A cycle longer than the schedule interval makes the next one skip (driftwatch_cycles_total{outcome="skipped"}).')
        .unit('s')
        .datasource(datasource)
        .height(8)
        .span(8)
        .thresholds(thresholds(['green', null], ['red', 300]))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Line))
        .withTarget(q(`histogram_quantile(0.9, sum by (le, instance) (rate(driftwatch_cycle_duration_seconds_bucket{${INSTANCE}}[30m])))`, '{{instance}} p90'))
        .withTarget(q(`driftwatch_schedule_interval_seconds{${INSTANCE}}`, '{{instance}} schedule interval')),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Cycles by outcome')
        .description('ok; error (a signal failed or the source did not answer); stalled (too few spans to judge); skipped (the previous cycle still ran). Anything but ok deserves a look.')
        .datasource(datasource)
        .height(8)
        .span(8)
        .thresholds(RELATIVE)
        .withTarget(q(`sum by (outcome) (increase(driftwatch_cycles_total{${INSTANCE}}[30m]))`, '{{outcome}}')),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Notifications and outbox')
        .description(
          'Alert deliveries per sink and outcome; the outbox holds events a sink has not accepted yet (kept across restarts). A growing outbox is what DriftwatchNotificationsFailing catches.',
        )
        .datasource(datasource)
        .height(8)
        .span(8)
        .thresholds(thresholds(['green', null], ['orange', 1], ['red', 10]))
        .withTarget(q(`sum by (sink, outcome) (increase(driftwatch_notifications_total{${INSTANCE}}[30m]))`, '{{sink}} {{outcome}}'))
        .withTarget(q(`driftwatch_outbox_pending{${INSTANCE}}`, 'outbox pending')),
    )
    .withPanel(
      new TablePanel()
        .title('Verdicts now (status = drift, no_data or error)')
        .description('Every verdict of the last cycle that is not ok. Click a subject for the status page, which has the message and example traces.')
        .datasource(datasource)
        .height(8)
        .span(12)
        .thresholds(RELATIVE)
        .dataLinks([new DashboardLinkBuilder('driftwatch status page').url(STATUS_PAGE_URL)])
        .withTarget(instantTable(`driftwatch_signal_status{status!="ok", ${VERDICT}} == 1`)),
    )
    .withPanel(
      new TablePanel()
        .title('Drifting now: an example trace each')
        .description(
          'One example trace per drifting verdict from the current window. Its link opens your trace viewer: set the Trace link prefix variable to your notify.traceLinkTemplate up to {traceId}.',
        )
        .datasource(datasource)
        .height(8)
        .span(12)
        .thresholds(RELATIVE)
        .dataLinks([new DashboardLinkBuilder('Open the trace').url('${trace_link}${__data.fields.trace_id}')])
        .withTarget(instantTable(`driftwatch_signal_example_trace_info{${VERDICT}}`)),
    )
    .withPanel(
      new TablePanel()
        .title('Failure patterns behind drifting subjects')
        .description(
          'How many failure patterns (groups of affected traces by error class, failing step, intent or text) the last cycle found behind each drifting subject. The alert and /report.json name them; driftwatch promote turns them into eval-set rows.',
        )
        .datasource(datasource)
        .height(6)
        .span(12)
        .thresholds(RELATIVE)
        .dataLinks([new DashboardLinkBuilder('driftwatch status page').url(STATUS_PAGE_URL)])
        .withTarget(instantTable(`driftwatch_alert_patterns{${VERDICT}}`)),
    );
  // One row per signal, as each declares it.
  for (const row of rows) {
    d.withRow(new RowBuilder(row.title));
    for (const p of row.panels) d.withPanel(ts(p.title, p.description, p.unit, queriesOf(p)));
  }
  return d.build();
}
