/**
 * Pure verdicts over each rubric's automated scores. `eval_score`: this window against the
 * baseline: numeric scores by a one-sided Welch t-test and Cohen's d, pass/fail rubrics by their
 * failure rate (the shared rate decision), label rubrics by χ² and the Jensen–Shannon distance.
 * `eval_gap`: this window against the rubric's latest CI run (a results file, or eval-run traces of
 * an offline environment), by the same tests and the rubric's margin. Each names the drift mode its rubric means (configured, else read from its name).
 */
import { failed, noData } from '../../core/unjudged.ts';
import type { Config, Rubric } from '../../config/shape.ts';
import type { DriftMode, Judgement, SignalResult } from '../../core/verdict.ts';
import { formatP, pct } from '../../core/format.ts';
import { welchLess, type Summary } from '../../stats/welch.ts';
import { rateIncreaseTest } from '../../stats/proportions.ts';
import { chiSquareHomogeneity, jensenShannonDistance } from '../../stats/distribution.ts';
import { measureRateIncrease } from '../rate-increase.ts';
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import type { LabelRow, OfflineTraceRow, ScoreRow } from './sql.ts';
import { FAIL_LABELS, PASS_LABELS } from './sql.ts';
import type { OfflineRun, OfflineScore } from './offline.ts';
import { DATASET_RUN_ENVIRONMENT } from '../../sources/fragments.ts';

export interface ScoresRows {
  stats: ScoreRow[];
  labels: LabelRow[];
  offline: OfflineRun[];
  /** Eval runs recorded as traces of an offline environment. */
  offlineTraces: OfflineTraceRow[];
  /** CI results files that could not be read, with what was wrong. */
  offlineErrors: { name: string; message: string }[];
}

type S = Config['signals']['scores'];
type Kind = 'numeric' | 'pass' | 'labels';

/** The drift mode a rubric's name suggests, for the four axes of a trace score and their kin. */
const MODE_BY_NAME: [RegExp, DriftMode][] = [
  [/ground|faithful|hallucin|context|citation|retriev/i, 'retrieval-corpus'],
  [/adheren|instruction|format|follow|prompt|style/i, 'prompt'],
  [/plan|step|tool|trajector|task|complet/i, 'agent-step-compounding'],
  [/safe|privacy|pii|toxic|harm|jailbreak/i, 'user-distribution'],
];

/** The mode a drop of this rubric means, and why. */
export function rubricMode(rubric: string, declared: Rubric | undefined): { mode: DriftMode; why: string } {
  if (declared?.driftMode) return { mode: declared.driftMode, why: 'the rubric’s configured driftMode' };
  const named = MODE_BY_NAME.find(([re]) => re.test(rubric));
  if (named) return { mode: named[1], why: `the rubric’s name (${rubric})` };
  return { mode: 'user-distribution', why: 'no configured driftMode and no name to read it from (set rubrics[].driftMode)' };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const pooledSd = (a: Summary, b: Summary) => Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / Math.max(1, a.n + b.n - 2));

/** How a rubric is judged: by its pass threshold, by labels that read pass/fail, by its scores, else by its label mix. */
export function kindOf(rows: readonly Pick<ScoreRow, 'n' | 'scored' | 'passes' | 'fails'>[], declared: Rubric | undefined): Kind {
  if (declared?.passThreshold !== undefined) return 'pass';
  const seen = rows.filter((r) => r.n > 0);
  if (seen.length > 0 && seen.every((r) => r.passes + r.fails === r.n)) return 'pass';
  if (seen.length > 0 && seen.every((r) => r.scored * 2 >= r.n)) return 'numeric';
  return 'labels';
}

/** A window's passes out of its scored targets, by threshold or by label. */
export function passCounts(r: Pick<ScoreRow, 'passes' | 'fails' | 'thresholdPasses' | 'scored'>, declared: Rubric | undefined): { passes: number; total: number } {
  if (declared?.passThreshold === undefined) return { passes: r.passes, total: r.passes + r.fails };
  const atOrAbove = r.thresholdPasses;
  return { passes: declared.higherIsBetter ? atOrAbove : r.scored - atOrAbove, total: r.scored };
}

const summaryOf = (r: ScoreRow, higherIsBetter: boolean): Summary => ({ n: r.scored, mean: (higherIsBetter ? 1 : -1) * (r.mean ?? 0), variance: r.variance ?? 0 });

export function evaluateScores(rows: ScoresRows, config: Config): Judgement[] {
  const s = config.signals.scores;
  const byKey = new Map<string, { rubric: string; evaluator: string; c?: ScoreRow; b?: ScoreRow }>();
  for (const r of rows.stats) {
    const key = JSON.stringify([r.rubric, r.evaluator]);
    const entry = byKey.get(key) ?? { rubric: r.rubric, evaluator: r.evaluator };
    if (Number(r.cur) === 1) entry.c = r;
    else entry.b = r;
    byKey.set(key, entry);
  }
  const out: Judgement[] = [];
  for (const { rubric, evaluator, c, b } of byKey.values()) {
    const declared = config.rubrics.find((r) => r.name === rubric);
    const subject: Record<string, string> = evaluator ? { rubric, evaluator } : { rubric };
    const kind = kindOf(
      [c, b].filter((x): x is ScoreRow => !!x),
      declared,
    );
    const { mode, why } = rubricMode(rubric, declared);
    const labels = rows.labels.filter((l) => l.rubric === rubric && l.evaluator === evaluator);
    out.push(scoreVerdict(subject, kind, c, b, labels, declared, s, mode, why));
    const run = latestRun(rows, rubric, declared);
    if (run) out.push(gapVerdict(subject, kind, c, run, declared, s, mode, why));
  }
  if (byKey.size === 0) out.push(nothingFound('eval_score', 'user-distribution', 'eval', { rubric: 'none' }, `automated ${LOOKED_FOR.judgements}`));
  for (const e of rows.offlineErrors) out.push(offlineError(e));
  return out;
}

function base(subject: Record<string, string>, signal: 'eval_score' | 'eval_gap', mode: DriftMode) {
  return { signal, driftMode: mode, layer: 'eval' as const, subject };
}

function scoreVerdict(
  subject: Record<string, string>,
  kind: Kind,
  c: ScoreRow | undefined,
  b: ScoreRow | undefined,
  labels: readonly LabelRow[],
  declared: Rubric | undefined,
  s: S,
  mode: DriftMode,
  why: string,
): Judgement {
  const name = subject['rubric']!;
  const head = base(subject, 'eval_score', mode);
  const nc = c?.n ?? 0;
  const nb = b?.n ?? 0;
  const tooFew = (counted: string): SignalResult =>
    noData({ ...head, samples: { current: nc, baseline: nb } }, `rubric ${name}: not enough data: ${counted}, ${s.minSamples} needed in each`, { kind });
  if (kind === 'numeric') {
    if (!c || !b || c.scored < s.minSamples || b.scored < s.minSamples) return tooFew(`${c?.scored ?? 0} scores now and ${b?.scored ?? 0} in the baseline`);
    const higher = declared?.higherIsBetter ?? true;
    const cur = summaryOf(c, higher);
    const bas = summaryOf(b, higher);
    const { pValue } = welchLess(cur, bas);
    const sd = pooledSd(cur, bas);
    const d = sd > 0 ? (bas.mean - cur.mean) / sd : bas.mean > cur.mean ? Infinity : 0;
    const dText = d === Infinity ? '∞' : d.toFixed(2);
    return {
      ...head,
      status: 'tested',
      value: c.mean,
      baseline: b.mean,
      samples: { current: c.scored, baseline: b.scored },
      pValue,
      finding: {
        alpha: s.alpha,
        practical: d >= s.minEffect ? true : `below the practical threshold (Cohen’s d ${dText} < ${s.minEffect})`,
        meaning: `significant and practical (Cohen’s d ${dText} ≥ ${s.minEffect}); a drop of this rubric reads as ${mode}, from ${why}`,
        ifDrift: { traceIds: c.lowest },
      },
      evidence: {
        traceIds: [],
        kind,
        test: 'one-sided Welch t-test on the mean score; Cohen’s d over the pooled standard deviation',
        unit: 'score',
        cohensD: Number.isFinite(d) ? round(d) : null,
        modeFrom: why,
      },
      message: `rubric ${name}: mean score ${b.mean!.toFixed(3)} → ${c.mean!.toFixed(3)} (one-sided Welch t-test, p=${formatP(pValue)})`,
    };
  }
  if (kind === 'pass') {
    const pc = c ? passCounts(c, declared) : { passes: 0, total: 0 };
    const pb = b ? passCounts(b, declared) : { passes: 0, total: 0 };
    const v = measureRateIncrease(
      { currentEvents: pc.total - pc.passes, currentTotal: pc.total, baselineEvents: pb.total - pb.passes, baselineTotal: pb.total },
      { minSamples: s.minSamples, minEvents: 5, alpha: s.alpha, minAbsoluteIncrease: s.minFailIncrease, minRelativeIncrease: s.minFailRatio },
      'scored targets',
    );
    const rate = (p: { passes: number; total: number }) => (p.total > 0 ? p.passes / p.total : null);
    const measured = {
      ...head,
      value: rate(pc),
      baseline: rate(pb),
      samples: { current: pc.total, baseline: pb.total },
      message: `rubric ${name}: pass rate ${rate(pb) === null ? 'n/a' : pct(rate(pb)!)} → ${rate(pc) === null ? 'n/a' : pct(rate(pc)!)}`,
    };
    if (v.status === 'no_data') return noData(measured, `${measured.message}: ${v.reason}`, { kind, unit: 'ratio' });
    return {
      ...measured,
      status: 'tested',
      pValue: v.pValue,
      finding: { ...v.finding, meaning: `${v.finding.meaning}; a drop of this rubric reads as ${mode}, from ${why}`, ifDrift: { traceIds: c?.lowest ?? [], modeFrom: why } },
      evidence: { traceIds: [], kind, test: `${v.test} on the failure rate`, unit: 'ratio' },
    };
  }
  const names = [...new Set(labels.map((l) => l.label))].sort();
  const count = (cur: number) => names.map((n) => Number(labels.find((l) => l.label === n && Number(l.cur) === cur)?.n ?? 0));
  const lc = count(1);
  const lb = count(0);
  const tc = lc.reduce((a, x) => a + x, 0);
  const tb = lb.reduce((a, x) => a + x, 0);
  if (tc < s.minSamples || tb < s.minSamples) return tooFew(`${tc} labels now and ${tb} in the baseline`);
  const { pValue } = chiSquareHomogeneity(lc, lb);
  const js = jensenShannonDistance(
    lc.map((x) => x / tc),
    lb.map((x) => x / tb),
  );
  const top = names[lb.indexOf(Math.max(...lb))]!;
  return {
    ...head,
    status: 'tested',
    value: lc[names.indexOf(top)]! / tc,
    baseline: lb[names.indexOf(top)]! / tb,
    samples: { current: tc, baseline: tb },
    pValue,
    finding: {
      alpha: s.alpha,
      practical: js >= s.minJs ? true : `below the practical threshold (JS distance ${js.toFixed(2)} < ${s.minJs})`,
      meaning: `the label mix moved; reads as ${mode}, from ${why}`,
      ifDrift: { traceIds: c?.lowest ?? [], modeFrom: why },
    },
    evidence: {
      traceIds: [],
      kind,
      test: 'χ² test of homogeneity of the label mix; Jensen–Shannon distance',
      unit: 'ratio',
      jsDistance: round(js),
      label: top,
    },
    message: `rubric ${name}: label ${top} ${pct(lb[names.indexOf(top)]! / tb)} → ${pct(lc[names.indexOf(top)]! / tc)} (JS distance ${js.toFixed(2)}, χ² p=${formatP(pValue)})`,
  };
}

/** A rubric's CI run, summarised: what eval_gap holds production against. */
export interface OfflineSummary {
  name: string;
  format: OfflineRun['format'] | 'traces';
  at: string;
  runId?: string;
  /** Items with a numeric score, their mean and sample variance. */
  scored: number;
  mean: number | null;
  variance: number;
  /** Items with a pass or a fail, and of them the passes. */
  judged: number;
  passes: number;
}

const isPass = (x: OfflineScore, declared: Rubric | undefined): boolean | undefined => {
  if (declared?.passThreshold !== undefined && x.score !== undefined) return declared.higherIsBetter ? x.score >= declared.passThreshold : x.score < declared.passThreshold;
  if (x.pass !== undefined) return x.pass;
  const l = x.label?.toLowerCase();
  return l && PASS_LABELS.includes(l) ? true : l && FAIL_LABELS.includes(l) ? false : undefined;
};

/** A results file's items of one rubric, summarised. */
export function summarizeRun(run: OfflineRun, rubric: string, declared: Rubric | undefined): OfflineSummary | null {
  const items = run.scores.filter((x) => x.rubric === rubric);
  if (items.length === 0) return null;
  const scores = items.map((x) => x.score).filter((x): x is number => x !== undefined);
  const mean = scores.length > 0 ? scores.reduce((acc, x) => acc + x, 0) / scores.length : null;
  const variance = mean === null ? 0 : scores.reduce((acc, x) => acc + (x - mean) ** 2, 0) / Math.max(1, scores.length - 1);
  const passed = items.map((x) => isPass(x, declared)).filter((p): p is boolean => p !== undefined);
  return {
    name: run.name,
    format: run.format,
    at: run.at,
    ...(run.runId ? { runId: run.runId } : {}),
    scored: scores.length,
    mean,
    variance,
    judged: passed.length,
    passes: passed.filter(Boolean).length,
  };
}

/** An eval run recorded as traces (their environment is offline), summarised. */
export function summarizeTraces(r: OfflineTraceRow, declared: Rubric | undefined): OfflineSummary {
  const { passes, total } = passCounts({ passes: Number(r.passes), fails: Number(r.fails), thresholdPasses: Number(r.thresholdPasses), scored: Number(r.scored) }, declared);
  return {
    name: r.environment.startsWith(DATASET_RUN_ENVIRONMENT) ? `Langfuse dataset run ${r.environment.slice(DATASET_RUN_ENVIRONMENT.length)}` : `traces in ${r.environment}`,
    format: 'traces',
    at: new Date(Number(r.at)).toISOString(),
    scored: Number(r.scored),
    mean: r.mean === null ? null : Number(r.mean),
    variance: r.variance === null ? 0 : Number(r.variance),
    judged: total,
    passes,
  };
}

/** The newest CI run of this rubric, from the results files and the eval-run traces. */
function latestRun(rows: ScoresRows, rubric: string, declared: Rubric | undefined): OfflineSummary | undefined {
  const runs = [...rows.offline.map((run) => summarizeRun(run, rubric, declared)), ...rows.offlineTraces.filter((r) => r.rubric === rubric).map((r) => summarizeTraces(r, declared))];
  return runs.filter((r): r is OfflineSummary => r !== null).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

function gapVerdict(subject: Record<string, string>, kind: Kind, c: ScoreRow | undefined, run: OfflineSummary, declared: Rubric | undefined, s: S, mode: DriftMode, why: string): Judgement {
  const name = subject['rubric']!;
  const head = base(subject, 'eval_gap', mode);
  const margin = declared?.margin ?? 0.05;
  const offlineRun = { name: run.name, format: run.format, at: run.at, ...(run.runId ? { runId: run.runId } : {}) };
  const tooFew = (reason: string, nLive: number, nOffline: number): SignalResult =>
    noData({ ...head, samples: { current: nLive, baseline: nOffline } }, `rubric ${name} against CI run ${run.name}: ${reason}`, { offlineRun });
  if (kind === 'pass') {
    const live = c ? passCounts(c, declared) : { passes: 0, total: 0 };
    if (live.total < s.minSamples || run.judged < s.minSamples)
      return tooFew(`not enough data: ${live.total} scored targets now and ${run.judged} in the CI run, ${s.minSamples} needed in each`, live.total, run.judged);
    const liveRate = live.passes / live.total;
    const offlineRate = run.passes / run.judged;
    const { test, pValue } = rateIncreaseTest({ currentEvents: live.total - live.passes, currentTotal: live.total, baselineEvents: run.judged - run.passes, baselineTotal: run.judged });
    const gap = offlineRate - liveRate;
    const se = Math.sqrt((liveRate * (1 - liveRate)) / live.total + (offlineRate * (1 - offlineRate)) / run.judged);
    return gapResult(head, name, run, offlineRun, liveRate, offlineRate, live.total, run.judged, pValue, `${test} on the failure rate`, gap, se, margin, s, mode, why, 'ratio', c);
  }
  if (kind !== 'numeric' || run.mean === null) return tooFew('the CI run and production do not both give numeric scores or pass/fail for it, so they cannot be compared', c?.n ?? 0, run.scored);
  if (!c || c.scored < s.minSamples || run.scored < s.minSamples)
    return tooFew(`not enough data: ${c?.scored ?? 0} scores now and ${run.scored} in the CI run, ${s.minSamples} needed in each`, c?.scored ?? 0, run.scored);
  const sign = (declared?.higherIsBetter ?? true) ? 1 : -1;
  const live: Summary = { n: c.scored, mean: sign * c.mean!, variance: c.variance ?? 0 };
  const offline: Summary = { n: run.scored, mean: sign * run.mean, variance: run.variance };
  const { pValue } = welchLess(live, offline);
  const gap = offline.mean - live.mean;
  const se = Math.sqrt(live.variance / live.n + offline.variance / offline.n);
  return gapResult(
    head,
    name,
    run,
    offlineRun,
    c.mean!,
    run.mean,
    c.scored,
    run.scored,
    pValue,
    'one-sided Welch t-test of production’s mean against the CI run’s',
    gap,
    se,
    margin,
    s,
    mode,
    why,
    'score',
    c,
  );
}

function gapResult(
  head: ReturnType<typeof base>,
  name: string,
  run: OfflineSummary,
  offlineRun: Record<string, string>,
  liveValue: number,
  offlineValue: number,
  nLive: number,
  nOffline: number,
  pValue: number,
  test: string,
  gap: number,
  se: number,
  margin: number,
  s: S,
  mode: DriftMode,
  why: string,
  unit: 'ratio' | 'score',
  c: ScoreRow | undefined,
): Judgement {
  const interval = { low: round(gap - 1.96 * se), high: round(gap + 1.96 * se) };
  const show = (v: number) => (unit === 'ratio' ? pct(v) : v.toFixed(3));
  const gapText = unit === 'ratio' ? `${(gap * 100).toFixed(1)} points` : gap.toFixed(3);
  return {
    ...head,
    status: 'tested',
    value: liveValue,
    baseline: offlineValue,
    samples: { current: nLive, baseline: nOffline },
    pValue,
    finding: {
      alpha: s.alpha,
      practical: gap >= margin ? true : `within the margin ${margin} of CI (gap ${gapText})`,
      meaning: `production scores ${gapText} below CI (95% interval ${interval.low}–${interval.high}), beyond the margin ${margin} and significant (p=${formatP(pValue)}); reads as ${mode}, from ${why}`,
      ifDrift: { traceIds: c?.lowest ?? [], modeFrom: why },
    },
    evidence: { traceIds: [], test, unit, offlineRun, gap: round(gap), gapInterval: interval, margin },
    message: `rubric ${name}: ${show(liveValue)} in production against ${show(offlineValue)} in CI run ${run.name} (${run.at.slice(0, 16).replace('T', ' ')})`,
  };
}

function offlineError(e: { name: string; message: string }): SignalResult {
  return failed({ signal: 'eval_gap', driftMode: 'dataset', layer: 'eval', subject: { offline: e.name } }, `CI results ${e.message}`);
}
