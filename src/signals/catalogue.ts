/**
 * What the registered signals declare, looked up by the parts of driftwatch that must not know any
 * signal: a facet's label and unit (alerts, /metrics), the dashboard's rows, and the rollup
 * families with when each is read (a family two signals share is needed while either is enabled,
 * as far back as the longer of their windows).
 */
import type { Config } from '../config/shape.ts';
import type { DashboardRow, Facet, MetricUnit } from '../core/facet.ts';
import type { PlannedFamily, RollupFamily } from '../rollups/family.ts';
import type { Signal } from './types.ts';

export interface Catalogue {
  readonly signals: readonly Signal<never>[];
  facet(name: string): Facet | undefined;
  /** A facet's unit on /metrics; ratio for a name no signal declares. */
  metricUnit(name: string): MetricUnit;
  /** A facet's label in alerts; its name in words for one no signal declares. */
  label(name: string): string;
  readonly rows: readonly DashboardRow[];
  /** Every facet, in the registry's order. */
  readonly facets: readonly Facet[];
  /** Every family the enabled signals may read, once each. */
  readonly families: readonly PlannedFamily[];
}

/** The catalogue of `signals`; fails on a name, config key or facet declared twice, or a panel of an undeclared facet. */
export function catalogueOf(signals: readonly Signal<never>[]): Catalogue {
  const duplicate = (what: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`two signals declare the ${what} ${n}`);
      seen.add(n);
    }
  };
  duplicate(
    'name',
    signals.map((s) => s.name),
  );
  duplicate(
    'config key',
    signals.map((s) => s.config.key),
  );
  duplicate(
    'facet',
    signals.flatMap((s) => s.facets.map((f) => f.name)),
  );
  const facets = new Map(signals.flatMap((s) => s.facets.map((f) => [f.name, f] as const)));
  for (const s of signals) for (const p of s.dashboard.panels) if (!facets.has(p.facet)) throw new Error(`signal ${s.name}: panel "${p.title}" shows ${p.facet}, which no signal declares as a facet`);
  return {
    signals,
    facet: (name) => facets.get(name),
    metricUnit: (name) => facets.get(name)?.metricUnit ?? 'ratio',
    label: (name) => facets.get(name)?.label ?? name.replaceAll('_', ' '),
    rows: signals.map((s) => s.dashboard),
    facets: [...facets.values()],
    families: plannedFamilies(signals),
  };
}

function plannedFamilies(signals: readonly Signal<never>[]): PlannedFamily[] {
  const readers = new Map<string, { family: RollupFamily; signals: Signal<never>[] }>();
  for (const s of signals)
    for (const f of s.rollups) {
      const entry = readers.get(f.name) ?? { family: f, signals: [] };
      entry.signals.push(s);
      readers.set(f.name, entry);
    }
  return [...readers.values()].map(({ family, signals: by }) => ({
    ...family,
    needed: (c: Config) => by.some((s) => s.enabled(c)) && (family.onlyWhen?.(c) ?? true),
    horizon: (c: Config) => Math.max(0, ...by.filter((s) => s.enabled(c)).map((s) => s.horizon(c))),
  }));
}
