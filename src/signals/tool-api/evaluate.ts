/**
 * Pure verdicts of the tool-API signal from its aggregate rows: per tool, error rate and
 * retry rate (the shared rate-increase test), latency (share of calls above the baseline quantile,
 * the same test, practical only when the quantile itself rose by a minimum ratio and amount), all
 * three settled by the cycle's decide stage, and error classes never seen in the baseline (a
 * novelty rule, settled here).
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { measureRateIncrease } from '../rate-increase.ts';
import { formatP, pct } from '../../core/format.ts';
import type { Judgement, SignalResult } from '../../core/verdict.ts';
import type { CallStatsRow, NewErrorClassRow, RetryStatsRow } from './sql.ts';

export interface ToolApiRows {
  calls: CallStatsRow[];
  retries: RetryStatsRow[];
  newClasses: NewErrorClassRow[];
}

const BASE = { driftMode: 'tool-api', layer: 'tool' } as const;

/** Turns the three aggregate row sets into four verdicts per tool. */
export function evaluateToolApi(rows: ToolApiRows, config: Config): Judgement[] {
  const t = config.signals.toolApi;
  const retriesByTool = new Map(rows.retries.map((r) => [r.tool, r]));
  const classesByTool = new Map<string, NewErrorClassRow[]>();
  for (const c of rows.newClasses) classesByTool.set(c.tool, [...(classesByTool.get(c.tool) ?? []), c]);
  if (rows.calls.length === 0) return [nothingFound('tool_error_rate', 'tool-api', 'tool', { tool: 'none' }, LOOKED_FOR.tools)];
  const results: Judgement[] = [];
  for (const row of [...rows.calls].sort((a, b) => b.calls_c - a.calls_c || a.tool.localeCompare(b.tool))) {
    const subject = { tool: row.tool };
    const retry = retriesByTool.get(row.tool);
    const facets = [errorRate(row, t), ...(retry ? [retryRate(retry, t)] : []), latency(row, t), newErrorClasses(row, classesByTool.get(row.tool) ?? [], t, subject)];
    // A baseline trace in which the same tool passed, for the side-by-side comparison alerts ask for.
    const passing = row.passing_traces.slice(0, 1);
    for (const f of facets) if (passing.length > 0 && f.status !== 'no_data') f.evidence.passingTraceIds = passing;
    results.push(...facets);
  }
  return results;
}

type T = Config['signals']['toolApi'];

interface RateFacet {
  signal: string;
  /** What is counted: `calls` or `traces`. */
  unit: string;
  /** How the event reads in the message: `error rate`, `retry rate … of traces`. */
  label: string;
  verb: string;
  events: { current: number; baseline: number };
  totals: { current: number; baseline: number };
  traceIds: string[];
}

/** A rate facet (error rate, retry rate) of one tool, measured by the shared rate-increase test. */
function rateFacet(tool: string, f: RateFacet, t: T): Judgement {
  const v = measureRateIncrease({ baselineEvents: f.events.baseline, baselineTotal: f.totals.baseline, currentEvents: f.events.current, currentTotal: f.totals.current }, t, f.unit);
  const base = { signal: f.signal, ...BASE, subject: { tool }, value: v.current, baseline: v.baseline, samples: { ...f.totals } };
  const head = `${tool} ${f.label} ${rate(v.baseline)} → ${rate(v.current)} (${f.events.current}/${f.totals.current} ${f.unit} ${f.verb} now, ${f.events.baseline}/${f.totals.baseline} in the baseline)`;
  if (v.status === 'no_data') return noData(base, `${head}: ${v.reason}`);
  return { ...base, status: 'tested', pValue: v.pValue, finding: v.finding, evidence: { traceIds: f.traceIds.slice(0, 10), test: v.test, unit: 'ratio' }, message: head };
}

const errorRate = (row: CallStatsRow, t: T) =>
  rateFacet(
    row.tool,
    {
      signal: 'tool_error_rate',
      unit: 'calls',
      label: 'error rate',
      verb: 'failed',
      events: { current: row.errors_c, baseline: row.errors_b },
      totals: { current: row.calls_c, baseline: row.calls_b },
      traceIds: row.error_traces,
    },
    t,
  );

const retryRate = (row: RetryStatsRow, t: T) =>
  rateFacet(
    row.tool,
    {
      signal: 'tool_retry_rate',
      unit: 'traces',
      label: 'retry rate',
      verb: 'retried',
      events: { current: row.retried_c, baseline: row.retried_b },
      totals: { current: row.traces_c, baseline: row.traces_b },
      traceIds: row.retry_traces,
    },
    t,
  );

/**
 * Latency: the share of calls above the baseline quantile, measured by the rate-increase test;
 * practical when the quantile itself rose by the configured ratio and milliseconds.
 */
function latency(row: CallStatsRow, t: T): Judgement {
  const q = t.latency.quantile;
  const label = `p${Math.round(q * 100)}`;
  const v = measureRateIncrease(
    { baselineEvents: row.slow_b, baselineTotal: row.calls_b, currentEvents: row.slow_c, currentTotal: row.calls_c },
    { ...t, minAbsoluteIncrease: 0, minRelativeIncrease: 1 },
    'calls',
  );
  const qc = row.q_c ?? null;
  const qb = row.q_b ?? null;
  const base = { signal: 'tool_latency', ...BASE, subject: { tool: row.tool }, baseline: round(qb), samples: { current: row.calls_c, baseline: row.calls_b } };
  const head = `${row.tool} ${label} latency ${ms(qb)} → ${ms(qc)}`;
  if (v.status === 'no_data') return noData({ ...base, value: row.calls_c === 0 ? null : round(qc) }, `${head}: ${v.reason}`);
  const slower = `${pct(v.current ?? 0)} of calls above the baseline ${label} (baseline ${pct(v.baseline ?? 0)})`;
  const quantileRose = qc !== null && qb !== null && qc - qb >= t.latency.minIncreaseMs && qc >= qb * t.latency.minRatio;
  const practical = v.finding.practical !== true ? v.finding.practical : quantileRose ? true : `the ${label} rose less than ×${t.latency.minRatio} and +${t.latency.minIncreaseMs} ms`;
  return {
    ...base,
    status: 'tested',
    value: round(qc),
    pValue: v.pValue,
    finding: { ...v.finding, practical, meaning: `significant (${v.test}, p=${formatP(v.pValue)})` },
    evidence: {
      traceIds: row.slow_traces.slice(0, 10),
      test: `${v.test} on the share of calls above the baseline ${label}`,
      unit: 'ms',
      quantile: q,
      slowShare: { current: v.current, baseline: v.baseline },
    },
    message: `${head} (${slower})`,
  };
}

function newErrorClasses(row: CallStatsRow, classes: NewErrorClassRow[], t: T, subject: { tool: string }): SignalResult {
  const minCount = t.newErrorClass.minCount;
  const enough = row.calls_c >= t.minSamples && row.calls_b >= t.minSamples;
  const firing = classes.filter((c) => c.count >= minCount);
  const newCalls = firing.reduce((sum, c) => sum + c.count, 0);
  const names = firing.map((c) => `"${c.error_class}" ×${c.count}`).join(', ');
  const about = {
    signal: 'tool_new_error_class',
    ...BASE,
    subject,
    value: row.calls_c > 0 ? newCalls / row.calls_c : null,
    baseline: 0,
    samples: { current: row.calls_c, baseline: row.calls_b },
  };
  const notes = { test: `novelty: a class absent from the baseline seen at least ${minCount} times`, unit: 'ratio' as const, classes: firing.map((c) => ({ class: c.error_class, count: c.count })) };
  if (!enough) return noData(about, `${row.tool}: not enough data to tell new error classes (${row.calls_c} calls now, ${row.calls_b} in the baseline, ${t.minSamples} needed in each)`, notes);
  // A novelty rule, settled here: a class never seen in the baseline needs no test.
  const drift = firing.length > 0;
  return {
    ...about,
    status: drift ? 'drift' : 'ok',
    pValue: null,
    evidence: { ...notes, traceIds: drift ? [...new Set(firing.flatMap((c) => c.traces))].slice(0, 10) : [] },
    message: drift ? `${row.tool} has error classes never seen in the baseline: ${names}` : `${row.tool} has no new error class seen ${minCount}+ times`,
  };
}

const rate = (r: number | null) => (r === null ? 'n/a' : pct(r));
const ms = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} ms`);
const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
