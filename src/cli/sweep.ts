/**
 * `backtest --sweep KEY=V1,V2,…`: the values to replay and the table that compares them, so a user
 * picks a threshold by looking at what each value would have opened.
 */
import type { BacktestResult } from '../app/backtest.ts';
import { subjectLabel } from '../metrics/registry.ts';
import { formatDuration } from '../config/duration.ts';
import { UsageError } from './args.ts';

export interface SweepAxis {
  key: string;
  values: string[];
}

/** `KEY=V1,V2,…` → the key and its values; a key given twice, or fewer than one value, is a usage error. */
export function parseSweeps(specs: readonly string[]): SweepAxis[] {
  const axes: SweepAxis[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const key = eq > 0 ? spec.slice(0, eq).trim() : '';
    const values =
      eq > 0
        ? spec
            .slice(eq + 1)
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '')
        : [];
    if (!key || values.length === 0) throw new UsageError(`--sweep "${spec}" is not KEY=V1,V2,… (e.g. --sweep signals.toolApi.minRelativeIncrease=1.25,1.5,2)`);
    if (axes.some((a) => a.key === key)) throw new UsageError(`--sweep ${key} is given twice; list all its values in one --sweep`);
    axes.push({ key, values: [...new Set(values)] });
  }
  return axes;
}

/** Every combination of the axes' values, first axis slowest, as `--set` overrides with their labels. */
export function sweepCombinations(axes: readonly SweepAxis[]): { values: Record<string, string>; overrides: string[] }[] {
  let combos: Record<string, string>[] = [{}];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return combos.map((values) => ({ values, overrides: Object.entries(values).map(([k, v]) => `${k}=${v}`) }));
}

/** The most combinations one sweep replays: each is a full evaluation per replayed cycle. */
export const MAX_SWEEP_COMBINATIONS = 50;

/**
 * The cycle period of a cron schedule when it is a plain "every N minutes" or "once an hour" (the
 * forms the example config uses); null for anything else.
 */
export function schedulePeriodMs(schedule: string): number | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || fields.slice(1).some((f) => f !== '*')) return null;
  const minute = fields[0]!;
  if (minute === '*') return 60_000;
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every) return Number(every[1]) * 60_000;
  if (/^\d+$/.test(minute)) return 3_600_000;
  return null;
}

/**
 * Why the replayed alert timing differs from production's, when it does: openAfter and
 * resolveAfter count cycles, and a backtest's cycles are `--step` apart.
 */
export function stepWarning(stepMs: number, schedule: string, openAfter: number, resolveAfter: number): string | null {
  const period = schedulePeriodMs(schedule);
  if (period === null || period === stepMs) return null;
  return (
    `--step ${formatDuration(stepMs)} replays one cycle every ${formatDuration(stepMs)}, while the schedule (${schedule}) runs one every ${formatDuration(period)}: ` +
    `openAfter ${openAfter} and resolveAfter ${resolveAfter} count cycles, so here an alert opens ${formatDuration(openAfter * stepMs)} after a drift starts ` +
    `(${formatDuration(openAfter * period)} in production); use --step ${formatDuration(period)} to replay the daemon's timing`
  );
}

/** One line per combination: alerts opened, the first, their drift modes and subjects. */
export function formatSweep(axes: readonly SweepAxis[], runs: readonly { values: Record<string, string>; result: BacktestResult }[]): string {
  const first = runs[0]?.result;
  const header = axes.map((a) => a.key);
  const rows = runs.map(({ values, result }) => {
    const opened = [...result.alerts].sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    const modes = [...new Set(opened.map((a) => a.driftMode))].sort();
    const subjects = [...new Set(opened.map((a) => subjectLabel(a.subject)))].sort();
    return [
      ...axes.map((a) => values[a.key]!),
      String(opened.length),
      opened[0]?.openedAt ?? '-',
      modes.join(', ') || '-',
      subjects.length > 4 ? `${subjects.slice(0, 4).join('; ')}; +${subjects.length - 4} more` : subjects.join('; ') || '-',
    ];
  });
  const table = [[...header, 'opened', 'first opened at', 'modes', 'subjects'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  const intro = first
    ? `driftwatch backtest ${first.from} → ${first.to}, step ${first.stepSeconds}s: ${runs.length} configurations × ${first.cycles} cycles in ${first.seconds}s (each cycle’s data read once)`
    : 'driftwatch backtest: nothing replayed';
  return `${intro}\n\n${lines.join('\n')}\n`;
}
