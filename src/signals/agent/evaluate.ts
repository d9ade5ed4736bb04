/**
 * Pure verdicts of the agent-step compounding signal, per agent: end-to-end success fell
 * significantly and practically (the shared rate-increase test on failed traces, settled by the
 * decide stage) and no single tool's failures explain it (removing the traces where that tool
 * failed leaves no drift; if one does, it is tool-API drift and reported there). The message
 * shows the arithmetic: per-step success raised to the steps a typical trace takes, against the
 * observed end-to-end success, and names what grew: steps per trace, a step type's failure rate,
 * or loops.
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { measureRateIncrease, type RateThresholds } from '../rate-increase.ts';
import { pct } from '../../core/format.ts';
import { wouldDrift, type Judgement } from '../../core/verdict.ts';
import type { AgentWindowRow } from './sql.ts';

type A = Config['signals']['agent'];

export function evaluateAgent(rows: readonly AgentWindowRow[], config: Config): Judgement[] {
  const a = config.signals.agent;
  const agents = [...new Set(rows.map((r) => r.agent))].sort();
  if (agents.length === 0) return [nothingFound('agent_end_to_end_success', 'agent-step-compounding', 'agent', { agent: 'none' }, LOOKED_FOR.roots)];
  return agents.map((agent) => {
    const c = rows.find((r) => r.agent === agent && r.cur === 1) ?? empty(agent, 1);
    const b = rows.find((r) => r.agent === agent && r.cur === 0) ?? empty(agent, 0);
    return verdict(agent, c, b, a);
  });
}

function thresholds(a: A): RateThresholds {
  return { minSamples: a.minSamples, minEvents: a.minEvents, alpha: a.alpha, minAbsoluteIncrease: a.minAbsoluteDrop, minRelativeIncrease: a.minRelativeIncrease };
}

function verdict(agent: string, c: AgentWindowRow, b: AgentWindowRow, a: A): Judgement {
  const counts = { baselineEvents: b.failed, baselineTotal: b.traces, currentEvents: c.failed, currentTotal: c.traces };
  const v = measureRateIncrease(counts, thresholds(a), 'traces');
  const success = (r: AgentWindowRow) => (r.traces > 0 ? 1 - r.failed / r.traces : null);
  const base = {
    signal: 'agent_end_to_end_success',
    driftMode: 'agent-step-compounding' as const,
    layer: 'agent' as const,
    subject: { agent },
    value: success(c),
    baseline: success(b),
    samples: { current: c.traces, baseline: b.traces },
  };
  if (v.status === 'no_data') return noData(base, `${agent}: ${v.reason}`);
  const arithmetic = `${arithmeticOf(c)} (baseline: ${arithmeticOf(b)})`;
  const head = `${agent} end-to-end success ${pct(success(b) ?? 0)} → ${pct(success(c) ?? 0)} (${c.traces - c.failed}/${c.traces} traces now, ${b.traces - b.failed}/${b.traces} before)`;
  const grew = whatGrew(c, b, a);
  // A fall one tool's failures explain is tool-API drift, reported for the tool: not practical here.
  const explainer = wouldDrift(v) ? explainedByOneTool(c, b, a) : undefined;
  const practical = explainer ? `${explainer}'s failures explain it (without the traces where it failed, success holds): that is tool-API drift, reported for the tool` : v.finding.practical;
  return {
    ...base,
    status: 'tested',
    pValue: v.pValue,
    finding: {
      ...v.finding,
      practical,
      meaning: `${v.finding.meaning}. Per step: ${arithmetic}. No single tool explains it; what grew: ${grew.length > 0 ? grew.join('; ') : 'nothing measured here (look at the failed traces)'}`,
      ifDrift: { details: [arithmetic, ...grew.map((g) => `What grew: ${g}`)] },
    },
    evidence: {
      traceIds: c.failed_examples.slice(0, 10),
      test: v.test,
      unit: 'ratio',
      arithmetic,
      grew,
      ...(explainer ? { explainedBy: explainer } : {}),
      details: [arithmetic],
    },
    message: head,
  };
}

/** "llm 99.0%^4.1 × tool 97.0%^3.2 = 84% predicted, 31% observed" for one window. */
function arithmeticOf(r: AgentWindowRow): string {
  if (r.traces === 0) return 'no traces';
  const kinds = Object.keys(r.kind_steps).sort();
  let predicted = 1;
  const factors = kinds.map((k) => {
    const steps = r.kind_steps[k] ?? 0;
    const ok = steps > 0 ? 1 - (r.kind_errors[k] ?? 0) / steps : 1;
    const perTrace = steps / r.traces;
    predicted *= ok ** perTrace;
    return `${k} ${(ok * 100).toFixed(1)}%^${perTrace.toFixed(1)}`;
  });
  return `${factors.join(' × ') || 'no steps'} = ${pct(predicted)} predicted from per-step success over ${(r.steps / r.traces).toFixed(1)} steps per trace, ${pct(1 - r.failed / r.traces)} observed`;
}

function whatGrew(c: AgentWindowRow, b: AgentWindowRow, a: A): string[] {
  if (c.traces === 0 || b.traces === 0) return [];
  const grew: string[] = [];
  const spc = c.steps / c.traces;
  const spb = b.steps / b.traces;
  if (spb > 0 && spc >= spb * 1.2) grew.push(`steps per trace ${spb.toFixed(1)} → ${spc.toFixed(1)} (+${(((spc - spb) / spb) * 100).toFixed(0)}%)`);
  const loopC = c.looping / c.traces;
  const loopB = b.looping / b.traces;
  if (loopC - loopB >= 0.05) grew.push(`loops (one tool called ${a.loopMinCalls}+ times in a trace) ${pct(loopB)} → ${pct(loopC)} of traces`);
  const rate = (r: AgentWindowRow, k: string) => ((r.kind_steps[k] ?? 0) > 0 ? (r.kind_errors[k] ?? 0) / r.kind_steps[k]! : 0);
  const worst = Object.keys(c.kind_steps)
    .map((k) => ({ k, from: rate(b, k), to: rate(c, k) }))
    .filter((x) => x.to - x.from >= 0.02)
    .sort((x, y) => y.to - y.from - (x.to - x.from))[0];
  if (worst) grew.push(`${worst.k} step failure rate ${pct(worst.from)} → ${pct(worst.to)}`);
  return grew;
}

/** The tool whose failed traces, once removed from both windows, leave no drift; the biggest such tool. */
function explainedByOneTool(c: AgentWindowRow, b: AgentWindowRow, a: A): string | undefined {
  const tools = Object.keys(c.tool_error_failed).sort((x, y) => (c.tool_error_failed[y] ?? 0) - (c.tool_error_failed[x] ?? 0));
  for (const tool of tools) {
    const without = {
      baselineEvents: b.failed - (b.tool_error_failed[tool] ?? 0),
      baselineTotal: b.traces - (b.tool_error_traces[tool] ?? 0),
      currentEvents: c.failed - (c.tool_error_failed[tool] ?? 0),
      currentTotal: c.traces - (c.tool_error_traces[tool] ?? 0),
    };
    // Judged on what is left, with the same thresholds but no minimum sample (the rest may be small).
    const v = measureRateIncrease(without, { ...thresholds(a), minSamples: 1, minEvents: 1 }, 'traces');
    if (v.status !== 'tested' || !wouldDrift(v)) return tool;
  }
  return undefined;
}

function empty(agent: string, cur: number): AgentWindowRow {
  return { agent, cur, traces: 0, failed: 0, steps: 0, kind_steps: {}, kind_errors: {}, looping: 0, tool_error_traces: {}, tool_error_failed: {}, failed_examples: [] };
}
