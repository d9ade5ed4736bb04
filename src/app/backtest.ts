/**
 * `driftwatch backtest`: replays cycles over history with the current thresholds and alert
 * hygiene, sending nothing, and reports when each signal would have drifted and when alerts
 * would have opened, re-notified and resolved. This is how thresholds are tuned.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import type { Store } from '../clickhouse/store.ts';
import { runCycle, type CycleOutcome, type ScopedSource } from '../engine/cycle.ts';
import { QueryMemo } from './query-memo.ts';
import { applyAlertRules, type AlertStates } from '../alerting/state-machine.ts';
import { alertTitle } from '../notify/content.ts';
import { SIGNALS } from '../signals/index.ts';
import { subjectLabel } from '../metrics/registry.ts';
import { computeWindows } from '../core/windows.ts';
import type { RollupEngine } from '../rollups/engine.ts';
import { formatDuration } from '../config/duration.ts';
import { spanCountsOnce } from './span-counts-once.ts';

export interface BacktestAlert {
  fingerprint: string;
  driftMode: string;
  layer: string;
  subject: Record<string, string>;
  title: string;
  openedAt: string;
  /** When the opening verdict says the change began (absent when no single change stood out). */
  onset?: { at: string; earliest: string; latest: string };
  notifications: string[];
  resolvedAt: string | null;
}

export interface BacktestDrift {
  signal: string;
  driftMode: string;
  subject: Record<string, string>;
  cycles: number;
  first: string;
  last: string;
}

export interface BacktestResult {
  from: string;
  to: string;
  stepSeconds: number;
  /** The alert hygiene the replay used: defaults, per-layer overrides and mute windows. */
  hygiene: Pick<Config['alerting'], 'openAfter' | 'resolveAfter' | 'cooldown' | 'byLayer' | 'mutes'>;
  cycles: number;
  seconds: number;
  drifting: BacktestDrift[];
  alerts: BacktestAlert[];
  muted: { at: string; signal: string; subject: Record<string, string>; reason: string }[];
  errors: { at: string; message: string }[];
}

export interface BacktestDeps {
  config: Config;
  store: Store;
  sources: ScopedSource[];
  log: Logger;
  /** The rollups every replayed cycle merges (null: every cycle scans raw spans). */
  rollups: RollupEngine | null;
  /** Progress: before and after the rollups are built, and after each replayed cycle (stderr in the CLI). */
  progress?: (event: BacktestProgress) => void;
}

/** Where a backtest is: building the replayed range's rollups (one source at a time), or replaying cycles. */
export type BacktestProgress = { phase: 'rollups'; source: string; done: boolean } | { phase: 'cycles'; done: number; total: number };

/** One configuration a sweep replays: the `--sweep` values that made it, and the config they give. */
export interface BacktestVariant {
  values: Record<string, string>;
  config: Config;
}

export async function backtest(deps: BacktestDeps, from: Date, to: Date, stepMs: number): Promise<BacktestResult> {
  const [result] = await backtestSweep(deps, [{ values: {}, config: deps.config }], from, to, stepMs);
  return result!;
}

/**
 * Replays the range once for several configurations: at each replayed instant every variant runs
 * its cycle, but what the cycles read is read once (QueryMemo), so a variant costs its evaluation,
 * decision and alert rules, not another pass over the stores. Results in the variants' order.
 */
export async function backtestSweep(deps: BacktestDeps, variants: readonly BacktestVariant[], from: Date, to: Date, stepMs: number): Promise<BacktestResult[]> {
  const started = performance.now();
  const replays = variants.map((v) => new Replay(v.config));
  // Buckets are built once for the whole replayed range (and again only for a variant whose
  // rollup definitions differ); every cycle then only merges them.
  if (deps.rollups) {
    const built = new Set<string>();
    for (const { config } of variants) {
      const first = computeWindows(from, config.windows, config.rollups.bucket).current.to;
      const last = computeWindows(to, config.windows, config.rollups.bucket).current.to;
      for (const { source } of deps.sources) {
        const key = JSON.stringify([source.id, deps.rollups.reader(source, config).params, first, last]);
        if (built.has(key)) continue;
        built.add(key);
        deps.progress?.({ phase: 'rollups', source: source.id, done: false });
        await deps.rollups.refresh(source, config, first, last, new Date());
        deps.progress?.({ phase: 'rollups', source: source.id, done: true });
      }
    }
  }
  const memo = variants.length > 1 ? new QueryMemo() : null;
  const store = memo ? memo.store(deps.store) : deps.store;
  const counted = deps.rollups ? spanCountsOnce(deps.rollups, ...replayedRange(variants, from, to)) : null;
  const rollups = memo && counted ? memo.rollups(counted) : counted;
  const signals = rollups ? await signalsWithData({ ...deps, store }, rollups, variants, from, to) : SIGNALS;
  const total = Math.floor((to.getTime() - from.getTime()) / stepMs) + 1;
  let done = 0;
  for (let t = from.getTime(); t <= to.getTime(); t += stepMs) {
    for (const replay of replays) {
      const outcome = await runCycle(
        { config: replay.config, store, sources: deps.sources, signals, log: deps.log, rollups, refresh: false, series: false, patterns: false, nonFinite: false },
        new Date(t),
      );
      replay.record(outcome);
    }
    memo?.clear();
    done++;
    deps.progress?.({ phase: 'cycles', done, total });
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  return replays.map((r) => r.result(from, to, stepMs, seconds));
}

/** From the earliest baseline to the latest current window any variant's replayed cycle reads. */
function replayedRange(variants: readonly BacktestVariant[], from: Date, to: Date): [number, number] {
  const firsts = variants.map(({ config }) => computeWindows(from, config.windows, config.rollups.bucket).baseline.from.getTime());
  const lasts = variants.map(({ config }) => computeWindows(to, config.windows, config.rollups.bucket).current.to.getTime());
  return [Math.min(...firsts), Math.max(...lasts)];
}

/** One configuration's replay: its alert states and what it would have done, cycle by cycle. */
class Replay {
  private readonly drifting = new Map<string, BacktestDrift>();
  private readonly alerts = new Map<string, BacktestAlert>();
  private readonly muted: BacktestResult['muted'] = [];
  private readonly errors: BacktestResult['errors'] = [];
  private states: AlertStates = {};
  private cycles = 0;

  constructor(readonly config: Config) {}

  record({ report, sourceUp, freshness }: CycleOutcome): void {
    this.cycles++;
    const evaluatedAt = report.evaluatedAt;
    for (const e of report.errors) this.errors.push({ at: evaluatedAt, message: e.message });
    for (const r of report.signals.filter((s) => s.status === 'drift')) {
      const key = `${r.signal}|${subjectLabel(r.subject)}`;
      const d = this.drifting.get(key) ?? { signal: r.signal, driftMode: r.driftMode, subject: r.subject, cycles: 0, first: evaluatedAt, last: evaluatedAt };
      d.cycles++;
      d.last = evaluatedAt;
      this.drifting.set(key, d);
    }
    const out = applyAlertRules(this.states, report.signals, report.windows, new Date(evaluatedAt), this.config.alerting, {
      absentIsClean: sourceUp && report.errors.length === 0 && freshness.every((f) => !f.freshness.stalled),
    });
    this.states = out.states;
    for (const m of out.muted) this.muted.push({ at: evaluatedAt, signal: m.result.signal, subject: m.result.subject, reason: m.reason });
    for (const e of out.events) {
      if (e.kind === 'opened') {
        const o = e.result.evidence.onset;
        this.alerts.set(e.episode, {
          fingerprint: e.fingerprint,
          driftMode: e.result.driftMode,
          layer: e.result.layer,
          subject: e.result.subject,
          title: alertTitle(e.result),
          openedAt: e.at,
          ...(o ? { onset: { at: o.at, earliest: o.earliest, latest: o.latest } } : {}),
          notifications: [e.at],
          resolvedAt: null,
        });
        continue;
      }
      const a = this.alerts.get(e.episode);
      if (!a) continue;
      if (e.kind === 'refired') a.notifications.push(e.at);
      else a.resolvedAt = e.at;
    }
  }

  result(from: Date, to: Date, stepMs: number, seconds: number): BacktestResult {
    const a = this.config.alerting;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      stepSeconds: stepMs / 1000,
      hygiene: { openAfter: a.openAfter, resolveAfter: a.resolveAfter, cooldown: a.cooldown, byLayer: a.byLayer, mutes: a.mutes },
      cycles: this.cycles,
      seconds,
      drifting: [...this.drifting.values()],
      alerts: [...this.alerts.values()],
      muted: this.muted,
      errors: this.errors,
    };
  }
}

/**
 * Signals with something to judge somewhere in the replayed range: each is asked once about the
 * whole range (merged from the rollups just built, so this is cheap), under the first variant that
 * enables it; one that produces no verdict there (no retrievals, no judgements, …) would produce
 * none in any cycle and is not run.
 */
async function signalsWithData(deps: BacktestDeps, rollups: RollupEngine, variants: readonly BacktestVariant[], from: Date, to: Date) {
  const keep: (typeof SIGNALS)[number][] = [];
  for (const signal of SIGNALS) {
    let found = false;
    for (const { config } of variants) {
      if (found || !signal.enabled(config)) continue;
      const first = computeWindows(from, config.windows, config.rollups.bucket);
      const last = computeWindows(to, config.windows, config.rollups.bucket);
      const windows = { current: { from: first.current.from, to: last.current.to }, baseline: first.baseline };
      for (const { source } of deps.sources) {
        try {
          const rows = await signal.collect({ store: deps.store, source, windows, config, rollups: rollups.reader(source, config) });
          found ||= signal.evaluate(rows, config, windows).length > 0;
        } catch {
          found = true; // let the cycles report the failure
        }
      }
    }
    if (found) keep.push(signal);
  }
  return keep;
}

/** The human-readable form of a backtest. */
export function formatBacktest(r: BacktestResult): string {
  const h = r.hygiene;
  const overrides = Object.entries(h.byLayer)
    .map(
      ([layer, o]) =>
        `${layer}: ${[o?.openAfter && `open after ${o.openAfter}`, o?.resolveAfter && `resolve after ${o.resolveAfter}`, o?.cooldown && `cooldown ${formatDuration(o.cooldown)}`].filter(Boolean).join(', ')}`,
    )
    .join('; ');
  const lines = [
    `driftwatch backtest ${r.from} → ${r.to}, step ${r.stepSeconds}s: ${r.cycles} cycles in ${r.seconds}s`,
    `Alert hygiene: open after ${h.openAfter} drifting cycles, resolve after ${h.resolveAfter} clean ones, cooldown ${formatDuration(h.cooldown)}${overrides ? `; ${overrides}` : ''}; ${h.mutes.length} mute window(s)`,
    '',
  ];
  lines.push(r.drifting.length === 0 ? 'No signal would have drifted.' : 'Would have drifted (signal, subject: drifting cycles, first → last):');
  for (const d of r.drifting) lines.push(`  ${d.signal} ${subjectLabel(d.subject)}: ${d.cycles} cycles, ${d.first} → ${d.last}`);
  lines.push('', r.alerts.length === 0 ? 'No alert would have opened.' : 'Alerts that would have opened:');
  for (const a of r.alerts) {
    lines.push(`  opened ${a.openedAt}  ${a.title}${a.onset ? ` (started ≈ ${a.onset.at})` : ''}`);
    if (a.notifications.length > 1) lines.push(`    re-notified ${a.notifications.slice(1).join(', ')}`);
    lines.push(a.resolvedAt ? `    resolved ${a.resolvedAt}` : '    still open at the end');
  }
  if (r.muted.length > 0) {
    lines.push('', 'Muted:');
    for (const m of r.muted) lines.push(`  ${m.at} ${m.signal} ${subjectLabel(m.subject)}: ${m.reason}`);
  }
  if (r.errors.length > 0) lines.push('', `${r.errors.length} cycle errors; first: ${r.errors[0]!.at} ${r.errors[0]!.message}`);
  return `${lines.join('\n')}\n`;
}
