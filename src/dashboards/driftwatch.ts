/**
 * The Grafana dashboard, built with Grafana's Foundation SDK (typed builders) and exported to
 * dashboards/driftwatch.json by `npm run dashboards`; a test keeps the two in sync. The Prometheus
 * data source is a variable, never a fixed uid.
 */
import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder, VariableRefresh } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';

const datasource = { type: 'prometheus', uid: '${datasource}' };
const q = (expr: string, legend: string) => new DataqueryBuilder().datasource(datasource).expr(expr).legendFormat(legend);
const ts = (title: string, unit: string | undefined, queries: [string, string][], span = 12) => {
  const p = new TimeseriesPanel().title(title).datasource(datasource).height(8).span(span);
  if (unit) p.unit(unit);
  for (const [expr, legend] of queries) p.withTarget(q(expr, legend));
  return p;
};
const currentVsBaseline = (signal: string): [string, string][] => [
  [`driftwatch_signal_value{signal="${signal}", subject=~"$subject"}`, '{{subject}} current'],
  [`driftwatch_signal_baseline_value{signal="${signal}", subject=~"$subject"}`, '{{subject}} baseline'],
];
const samples = (signal: string): [string, string][] => [[`driftwatch_signal_samples{signal="${signal}", subject=~"$subject"}`, '{{subject}} {{window}}']];

/** One row per layer: its panels, each a title, a unit and its queries. */
const LAYERS: { row: string; panels: [string, string | undefined, [string, string][]][] }[] = [
  {
    row: 'Tool layer (tool-API drift)',
    panels: [
      ['Tool error rate: current vs baseline', 'percentunit', currentVsBaseline('tool_error_rate')],
      ['Tool retry rate (share of traces): current vs baseline', 'percentunit', currentVsBaseline('tool_retry_rate')],
      ['Tool latency quantile: current vs baseline', 's', currentVsBaseline('tool_latency')],
      ['Calls per window', undefined, samples('tool_error_rate')],
    ],
  },
  {
    row: 'Retrieval layer (retrieval-corpus drift)',
    panels: [
      ['Mean RBO of repeated queries: current vs noise floor', undefined, currentVsBaseline('retrieval_rbo')],
      ['Top-1 change share: current vs noise floor', 'percentunit', currentVsBaseline('retrieval_top1_change')],
      ['Matched repeated queries', undefined, samples('retrieval_rbo')],
      ['Distinct documents per window', undefined, currentVsBaseline('retrieval_distinct_documents')],
    ],
  },
  {
    row: 'Judge layer (judge–human agreement)',
    panels: [
      ['Judge–human κ per rubric: current vs baseline', undefined, currentVsBaseline('judge_human_agreement')],
      ['Judge–human pairs counted', undefined, samples('judge_human_agreement')],
    ],
  },
  {
    row: 'Prompt layer (prompt drift)',
    panels: [
      ['Prompt version shares (current window)', 'percentunit', [['driftwatch_signal_value{signal="prompt_version_share"}', '{{subject}}']]],
      ["Traffic off each rubric's prompt version", 'percentunit', currentVsBaseline('prompt_rubric_mismatch')],
    ],
  },
  {
    row: 'Agent layer (agent-step compounding)',
    panels: [
      ['End-to-end success: current vs baseline', 'percentunit', currentVsBaseline('agent_end_to_end_success')],
      ['Traces per window', undefined, samples('agent_end_to_end_success')],
    ],
  },
  {
    row: 'Input layer (user-distribution drift)',
    panels: [
      ['Mean input length (characters)', undefined, currentVsBaseline('input_length')],
      ['Non-Latin share of inputs', 'percentunit', currentVsBaseline('input_script_mix')],
      ['Turns per session', undefined, currentVsBaseline('input_turns_per_session')],
    ],
  },
  {
    row: 'Dataset layer (dataset drift)',
    panels: [
      ['Traffic the eval set does not cover', 'percentunit', currentVsBaseline('dataset_uncovered_share')],
      ['Inputs compared per window', undefined, samples('dataset_uncovered_share')],
    ],
  },
];

export function buildDashboard(): object {
  const d = new DashboardBuilder('driftwatch')
    .uid('driftwatch')
    .tags(['driftwatch', 'llm', 'drift'])
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withVariable(
      new QueryVariableBuilder('subject')
        .label('Subject')
        .datasource(datasource)
        .query('label_values(driftwatch_signal_status, subject)')
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .refresh(VariableRefresh.OnTimeRangeChanged),
    )
    .withRow(new RowBuilder('Overview'))
    .withPanel(new StatPanel().title('Signals drifting now, by drift mode').datasource(datasource).height(5).span(6).withTarget(q('sum by (drift_mode) (driftwatch_signal_status{status="drift"})', '{{drift_mode}}')))
    .withPanel(new StatPanel().title('Open alerts by layer').datasource(datasource).height(5).span(6).withTarget(q('sum by (layer) (driftwatch_alert_firing)', '{{layer}}')))
    .withPanel(new StatPanel().title('Seconds since last successful cycle').unit('s').datasource(datasource).height(5).span(4).withTarget(q('time() - driftwatch_last_successful_cycle_timestamp_seconds', 'since success')))
    .withPanel(new StatPanel().title('Trace source up').datasource(datasource).height(5).span(4).withTarget(q('driftwatch_source_up', 'source up')))
    .withPanel(new StatPanel().title('Age of the newest span').unit('s').datasource(datasource).height(5).span(4).withTarget(q('max by (source) (driftwatch_source_newest_span_age_seconds)', '{{source}}')))
    .withPanel(ts('Cycle duration (p90)', 's', [['histogram_quantile(0.9, sum by (le) (rate(driftwatch_cycle_duration_seconds_bucket[30m])))', 'p90']], 8))
    .withPanel(ts('Cycles by outcome', undefined, [['sum by (outcome) (increase(driftwatch_cycles_total[30m]))', '{{outcome}}']], 8))
    .withPanel(
      ts('Notifications and outbox', undefined, [
        ['sum by (sink, outcome) (increase(driftwatch_notifications_total[30m]))', '{{sink}} {{outcome}}'],
        ['driftwatch_outbox_pending', 'outbox pending'],
      ], 8),
    )
    .withPanel(new TablePanel().title('Verdicts now (status = drift, no_data or error)').datasource(datasource).height(8).span(24).withTarget(q('driftwatch_signal_status{status!="ok", subject=~"$subject"} == 1', '')));
  for (const layer of LAYERS) {
    d.withRow(new RowBuilder(layer.row));
    for (const [title, unit, queries] of layer.panels) d.withPanel(ts(title, unit, queries));
  }
  return d.build();
}
