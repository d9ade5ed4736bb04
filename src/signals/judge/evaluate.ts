/**
 * Pure verdicts of the judge–human agreement signal, per rubric: raw agreement, Cohen's κ (labels)
 * or quadratic-weighted κ (ordinal scores) with seeded bootstrap intervals and the human label
 * prevalence. It drifts when κ fell significantly and practically below the baseline's (z-test on
 * the bootstrap standard errors), or when even the upper bound of the current κ is below a
 * fraction of the human–human κ. The drop is attributed to `prompt` when a prompt version appeared
 * in or shortly before the current window, else to `user-distribution`.
 */
import { createHash } from 'node:crypto';
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config, Rubric } from '../../config/shape.ts';
import { bootstrap, cohenKappa, prevalence, rawAgreement, seededRandom, weightedKappa, type Pair } from '../../stats/agreement.ts';
import { normalUpperTail } from '../../stats/normal.ts';
import { formatP } from '../../core/format.ts';
import { promptChanges, type PromptVersionRow } from '../prompt/sql.ts';
import type { Judgement } from '../../core/verdict.ts';
import type { JudgedTargetRow } from './sql.ts';
import type { JudgeWindows } from './windows.ts';

export interface JudgeRows {
  targets: JudgedTargetRow[];
  prompts: PromptVersionRow[];
  windows: JudgeWindows;
}

type J = Config['signals']['judge'];

interface Agreement {
  kappa: number;
  raw: number;
  ci: { low: number; high: number };
  se: number;
  prevalence: Record<string, number>;
  pairs: number;
}

export function evaluateJudge(rows: JudgeRows, config: Config): Judgement[] {
  const j = config.signals.judge;
  const rubrics = [...new Set(rows.targets.map((t) => t.rubric))].sort();
  if (rubrics.length === 0) return [nothingFound('judge_human_agreement', 'user-distribution', 'judge', { rubric: 'none' }, LOOKED_FOR.judgements)];
  return rubrics.map((rubric) =>
    judgeRubric(
      rubric,
      rows.targets.filter((t) => t.rubric === rubric),
      rows,
      j,
      config.rubrics,
    ),
  );
}

function judgeRubric(rubric: string, targets: JudgedTargetRow[], rows: JudgeRows, j: J, rubrics: readonly Rubric[]): Judgement {
  const declared = rubrics.find((r) => r.name === rubric);
  const withJudge = targets.filter((t) => t.judge_n > 0 && t.judge !== '');
  const current: Pair<string>[] = withJudge.filter((t) => t.cur === 1).map((t) => [t.judge, t.humans[0]!]);
  const baseline: Pair<string>[] = withJudge.filter((t) => t.cur === 0).map((t) => [t.judge, t.humans[0]!]);
  const humanHuman: Pair<string>[] = targets.filter((t) => t.humans.length >= 2).map((t) => [t.humans[0]!, t.humans[1]!]);
  // auto: integer scores on a scale of three or more points are ordinal; two values are labels.
  const values = [...current, ...baseline, ...humanHuman].flat();
  const ordinal = declared?.scale === 'ordinal' || (declared?.scale !== 'labels' && values.every((v) => /^(10|[1-9])$/.test(v)) && new Set(values).size >= 3);
  const kappa = ordinal ? ordinalKappa([...current, ...baseline, ...humanHuman]) : (pairs: readonly Pair<string>[]) => cohenKappa(pairs);
  const kind = ordinal ? 'quadratic-weighted κ' : 'Cohen’s κ';
  const seed = (window: string) => createHash('sha256').update(`${rubric}|${window}`).digest().readUInt32LE(0);
  const measure = (pairs: Pair<string>[], window: string): Agreement => {
    const b = bootstrap(pairs, kappa, j.bootstrap.resamples, j.bootstrap.confidence, seededRandom(seed(window)));
    return { kappa: kappa(pairs), raw: rawAgreement(pairs), ci: { low: b.low, high: b.high }, se: b.se, prevalence: prevalence(pairs), pairs: pairs.length };
  };
  const hh =
    humanHuman.length >= j.minPairs
      ? { kappa: kappa(humanHuman), pairs: humanHuman.length, source: 'measured' as const }
      : { kappa: j.interRaterKappa, pairs: humanHuman.length, source: 'configured' as const };
  const attribution = attribute(rows, declared?.prompt, j);
  const base = {
    signal: 'judge_human_agreement',
    driftMode: attribution.mode,
    layer: 'judge' as const,
    subject: { rubric },
    samples: { current: current.length, baseline: baseline.length },
  };
  if (current.length < j.minPairs) {
    return noData(base, `rubric ${rubric}: not enough data: ${current.length} judge–human pairs in the current ${days(rows.windows.current)}, ${j.minPairs} needed`, { humanHuman: hh });
  }
  const now = measure(current, 'current');
  const before = baseline.length >= j.minPairs ? measure(baseline, 'baseline') : undefined;
  const z = before ? (before.kappa - now.kappa) / Math.sqrt(before.se ** 2 + now.se ** 2) : NaN;
  const pValue = before && Number.isFinite(z) ? normalUpperTail(z) : null;
  const floor = j.parityFraction * hh.kappa;
  const belowParity = now.ci.high < floor;
  const disagreeing = withJudge.filter((t) => t.cur === 1 && t.judge !== t.humans[0]).map((t) => t.trace_id);
  const f = (x: number) => x.toFixed(2);
  const parts = [
    `${kind} ${before ? `${f(before.kappa)} → ` : ''}${f(now.kappa)} (95% CI ${f(now.ci.low)}–${f(now.ci.high)}; raw agreement ${f(now.raw)}, human labels ${prevalenceText(now.prevalence)}) over ${current.length} pairs`,
    before ? `drop test p=${pValue === null ? 'n/a' : formatP(pValue)}` : `baseline has ${baseline.length} pairs, too few to compare`,
    `human–human κ ${f(hh.kappa)} (${hh.source === 'measured' ? `measured on ${hh.pairs} double-labelled targets` : 'configured'})`,
  ];
  const measured = {
    ...base,
    value: round(now.kappa),
    baseline: before ? round(before.kappa) : null,
    evidence: {
      traceIds: disagreeing.slice(0, 10),
      test: 'z-test of the κ difference on bootstrap standard errors; parity: upper CI bound against the human–human κ',
      unit: 'score' as const,
      kappa: kind,
      rawAgreement: { current: round(now.raw), baseline: before ? round(before.raw) : null },
      ci: { current: [round(now.ci.low), round(now.ci.high)], baseline: before ? [round(before.ci.low), round(before.ci.high)] : null },
      prevalence: { current: now.prevalence, baseline: before?.prevalence ?? null },
      humanHuman: hh,
      attribution: attribution.mode,
      windows: { current: iso(rows.windows.current), baseline: iso(rows.windows.baseline) },
      details: [...parts, `Why ${attribution.mode}: ${attribution.why}.`],
    },
    message: `rubric ${rubric}: ${parts.join('; ')}`,
  };
  // Parity is a rule: a judge this far below humans is drift whatever its own history says.
  if (belowParity) return { ...measured, status: 'drift', pValue, message: `${measured.message}: the judge is below ${j.parityFraction} of human–human agreement; ${attribution.why}` };
  if (!before || pValue === null) return { ...measured, status: 'ok', pValue, message: `${measured.message}: the judge agrees with humans as before` };
  const practical = before.kappa - now.kappa >= j.minKappaDrop ? true : `κ fell less than the ${j.minKappaDrop} that matters`;
  return { ...measured, status: 'tested', pValue, finding: { alpha: j.alpha, practical, meaning: `agreement fell significantly; ${attribution.why}` } };
}

/** Prompt drift when a version appeared in the current window or the lookback before it, else user-distribution. */
function attribute(rows: JudgeRows, prompt: string | undefined, j: J): { mode: 'prompt' | 'user-distribution'; why: string } {
  const w = rows.windows;
  const since = w.current.from.getTime() - j.promptChangeLookback;
  const changes = promptChanges(rows.prompts, { fromMs: w.baseline.from.getTime() }, since, w.current.to.getTime(), prompt);
  if (changes.length > 0) {
    const c = changes[0]!;
    return { mode: 'prompt', why: `prompt ${c.prompt} moved to version ${c.version}, first seen ${c.firstSeen}, now ${(c.share * 100).toFixed(0)}% of its calls` };
  }
  return {
    mode: 'user-distribution',
    why: `no prompt version appeared between ${new Date(since).toISOString()} and ${w.current.to.toISOString()}, so what changed is what the judge is shown: the users’ inputs`,
  };
}

function ordinalKappa(all: readonly Pair<string>[]) {
  const values = all.flat().map(Number);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const categories = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return (pairs: readonly Pair<string>[]) =>
    weightedKappa(
      pairs.map(([a, b]) => [Number(a), Number(b)] as const),
      categories,
    );
}

const prevalenceText = (p: Record<string, number>) =>
  Object.entries(p)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
    .join(', ');
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const days = (r: { from: Date; to: Date }) => `${Math.round((r.to.getTime() - r.from.getTime()) / 86_400_000)} days`;
const iso = (r: { from: Date; to: Date }) => ({ from: r.from.toISOString(), to: r.to.toISOString() });
