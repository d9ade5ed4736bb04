/**
 * What a signal declares about each kind of verdict it produces (a facet: `tool_error_rate`,
 * `tool_latency`, …), so that metrics, alerts and the dashboard name, measure and show it without
 * knowing any signal: its label, its unit and the panels of its signal's row.
 */
import type { SignalResult } from './verdict.ts';

/** The unit of a verdict's value on /metrics (the `unit` label of the value families). */
export type MetricUnit = 'ratio' | 'seconds' | 'characters' | 'turns' | 'kappa' | 'rbo' | 'documents' | 'score';

export interface Facet {
  /** The verdict's `signal` field, stable: a metric label value and part of alert fingerprints. */
  readonly name: string;
  /** What alerts call the value ("error rate", "judge–human κ"). */
  readonly label: string;
  /** Unit of the value on /metrics. */
  readonly metricUnit: MetricUnit;
  /** The alert title after the subject, for facets whose value does not read as baseline → current. */
  headline?(r: SignalResult): string;
  /**
   * A metric family of its own beside driftwatch_signal_value (same labels), for facets people
   * chart and alert on by name: its name, help, and the number of a verdict it carries.
   */
  readonly metric?: { readonly name: string; readonly help: string; of(r: SignalResult): number | null };
  /**
   * The verdict holds production against a fixed reference (a CI run), not against its own recent
   * past: a level, not a change, so the short window does not test it again (a quarter hour of
   * production swings around a standing gap; only the whole window says how large it stands).
   */
  readonly fixedReference?: boolean;
}

/** How a panel shows its facet: current against baseline, the samples behind it, or its value alone. */
export type PanelKind = 'current-vs-baseline' | 'samples' | 'value';

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit of the axis (`percentunit`, `s`); none for plain numbers. */
  readonly unit?: string;
  readonly facet: string;
  readonly show: PanelKind;
}

/** A signal's row of the dashboard. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}
