/**
 * Pure verdicts of the tool-API signal from its aggregate rows: per tool, error rate and
 * retry rate (rate-increase decision), latency (share of calls above the baseline quantile,
 * same decision, plus a minimum ratio and absolute increase of the quantile itself) and
 * error classes never seen in the baseline (novelty rule).
 */
import type { Config } from '../../config/schema.ts';
import { decideRateIncrease, formatP, pct, type RateVerdict } from '../rate-increase.ts';
import type { SignalResult } from '../types.ts';
import type { CallStatsRow, NewErrorClassRow, RetryStatsRow } from './sql.ts';

export interface ToolApiRows {
  calls: CallStatsRow[];
  retries: RetryStatsRow[];
  newClasses: NewErrorClassRow[];
}

const BASE = { driftMode: 'tool-api', layer: 'tool' } as const;

/** Turns the three aggregate row sets into four verdicts per tool. */
export function evaluateToolApi(rows: ToolApiRows, config: Config): SignalResult[] {
  const t = config.signals.toolApi;
  const retriesByTool = new Map(rows.retries.map((r) => [r.tool, r]));
  const classesByTool = new Map<string, NewErrorClassRow[]>();
  for (const c of rows.newClasses) classesByTool.set(c.tool, [...(classesByTool.get(c.tool) ?? []), c]);
  const results: SignalResult[] = [];
  for (const row of [...rows.calls].sort((a, b) => b.calls_c - a.calls_c || a.tool.localeCompare(b.tool))) {
    const subject = { tool: row.tool };
    results.push(errorRate(row, t));
    const retry = retriesByTool.get(row.tool);
    if (retry) results.push(retryRate(retry, t));
    results.push(latency(row, t));
    results.push(newErrorClasses(row, classesByTool.get(row.tool) ?? [], t, subject));
  }
  return results;
}

type T = Config['signals']['toolApi'];

function fromVerdict(t: T, signal: string, tool: string, v: RateVerdict, samples: SignalResult['samples'], traceIds: string[], message: string): SignalResult {
  return {
    signal,
    ...BASE,
    subject: { tool },
    status: v.status,
    value: v.current,
    baseline: v.baseline,
    samples,
    pValue: v.pValue,
    evidence: { traceIds: v.status === 'no_data' ? [] : traceIds.slice(0, 10), ...(v.test ? { test: v.test, alpha: t.alpha } : {}), unit: 'ratio' },
    message,
  };
}

function errorRate(row: CallStatsRow, t: T): SignalResult {
  const v = decideRateIncrease(
    { baselineEvents: row.errors_b, baselineTotal: row.calls_b, currentEvents: row.errors_c, currentTotal: row.calls_c },
    t,
    'calls',
  );
  return fromVerdict(
    t,
    'tool_error_rate',
    row.tool,
    v,
    { current: row.calls_c, baseline: row.calls_b },
    row.error_traces,
    `${row.tool} error rate ${rate(v.baseline)} → ${rate(v.current)} (${row.errors_c}/${row.calls_c} calls now, ${row.errors_b}/${row.calls_b} in the baseline): ${v.reason}`,
  );
}

function retryRate(row: RetryStatsRow, t: T): SignalResult {
  const v = decideRateIncrease(
    { baselineEvents: row.retried_b, baselineTotal: row.traces_b, currentEvents: row.retried_c, currentTotal: row.traces_c },
    t,
    'traces',
  );
  return fromVerdict(
    t,
    'tool_retry_rate',
    row.tool,
    v,
    { current: row.traces_c, baseline: row.traces_b },
    row.retry_traces,
    `${row.tool} retry rate ${rate(v.baseline)} → ${rate(v.current)} of traces (${row.retried_c}/${row.traces_c} traces retried now, ${row.retried_b}/${row.traces_b} in the baseline): ${v.reason}`,
  );
}

function latency(row: CallStatsRow, t: T): SignalResult {
  const q = t.latency.quantile;
  const label = `p${Math.round(q * 100)}`;
  const v = decideRateIncrease(
    { baselineEvents: row.slow_b, baselineTotal: row.calls_b, currentEvents: row.slow_c, currentTotal: row.calls_c },
    { ...t, minAbsoluteIncrease: 0, minRelativeIncrease: 1 },
    'calls',
  );
  const qc = row.q_c ?? null;
  const qb = row.q_b ?? null;
  let status = v.status;
  let reason = v.reason;
  if (v.status !== 'no_data') {
    const slower = `${pct(v.current ?? 0)} of calls above the baseline ${label} (baseline ${pct(v.baseline ?? 0)})`;
    const practical = qc !== null && qb !== null && qc - qb >= t.latency.minIncreaseMs && qc >= qb * t.latency.minRatio;
    if (status === 'drift' && !practical) {
      status = 'ok';
      reason = `${slower}, but the ${label} rose less than ×${t.latency.minRatio} and +${t.latency.minIncreaseMs} ms`;
    } else {
      reason = `${slower}; ${v.status === 'drift' ? `significant (${v.test}, p=${formatP(v.pValue ?? 1)})` : v.reason}`;
    }
  }
  return {
    signal: 'tool_latency',
    ...BASE,
    subject: { tool: row.tool },
    status,
    value: status === 'no_data' && row.calls_c === 0 ? null : round(qc),
    baseline: round(qb),
    samples: { current: row.calls_c, baseline: row.calls_b },
    pValue: v.pValue,
    evidence: {
      traceIds: status === 'no_data' ? [] : row.slow_traces.slice(0, 10),
      ...(v.test ? { test: `${v.test} on the share of calls above the baseline ${label}`, alpha: t.alpha } : {}),
      unit: 'ms',
      quantile: q,
      slowShare: { current: v.current, baseline: v.baseline },
    },
    message: `${row.tool} ${label} latency ${ms(qb)} → ${ms(qc)}: ${reason}`,
  };
}

function newErrorClasses(row: CallStatsRow, classes: NewErrorClassRow[], t: T, subject: { tool: string }): SignalResult {
  const minCount = t.newErrorClass.minCount;
  const enough = row.calls_c >= t.minSamples && row.calls_b >= t.minSamples;
  const firing = classes.filter((c) => c.count >= minCount);
  const newCalls = firing.reduce((sum, c) => sum + c.count, 0);
  const status = !enough ? 'no_data' : firing.length > 0 ? 'drift' : 'ok';
  const names = firing.map((c) => `"${c.error_class}" ×${c.count}`).join(', ');
  return {
    signal: 'tool_new_error_class',
    ...BASE,
    subject,
    status,
    value: row.calls_c > 0 ? newCalls / row.calls_c : null,
    baseline: 0,
    samples: { current: row.calls_c, baseline: row.calls_b },
    pValue: null,
    evidence: {
      traceIds: status === 'drift' ? [...new Set(firing.flatMap((c) => c.traces))].slice(0, 10) : [],
      test: `novelty: a class absent from the baseline seen at least ${minCount} times`,
      unit: 'ratio',
      classes: firing.map((c) => ({ class: c.error_class, count: c.count })),
    },
    message:
      status === 'no_data'
        ? `${row.tool}: not enough data to tell new error classes (${row.calls_c} calls now, ${row.calls_b} in the baseline, ${t.minSamples} needed in each)`
        : status === 'drift'
          ? `${row.tool} has error classes never seen in the baseline: ${names}`
          : `${row.tool} has no new error class seen ${minCount}+ times`,
  };
}

const rate = (r: number | null) => (r === null ? 'n/a' : pct(r));
const ms = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} ms`);
const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
