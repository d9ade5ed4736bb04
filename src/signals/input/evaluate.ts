/**
 * Pure verdicts of the user-distribution signal, one per service and feature: input length (KS
 * test at the baseline's percentiles; effect: PSI over frozen baseline deciles and the KS
 * distance), dominant script mix (chi-square; effect: Jensen–Shannon distance) and turns per
 * session (chi-square; effect: Jensen–Shannon). All p-values are corrected together across the
 * cycle (Benjamini–Hochberg), so the features are tested as one family.
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { chiSquareHomogeneity, jensenShannonDistance, ksPValue, populationStabilityIndex } from '../../stats/distribution.ts';
import { formatP, pct } from '../../core/format.ts';
import type { Judgement } from '../../core/verdict.ts';
import type { CategoryRow, LengthRow } from './sql.ts';

export interface InputRows {
  length: LengthRow[];
  scripts: CategoryRow[];
  turns: CategoryRow[];
}

type I = Config['signals']['input'];
const BASE = { driftMode: 'user-distribution', layer: 'input' } as const;

export function evaluateInput(rows: InputRows, config: Config): Judgement[] {
  const i = config.signals.input;
  const subjects = [...new Set([...rows.length, ...rows.scripts, ...rows.turns].map((r) => r.subject))].sort();
  if (subjects.length === 0) return [nothingFound('input_length', 'user-distribution', 'input', { service: 'none' }, LOOKED_FOR.inputs)];
  return subjects.flatMap((subject) => {
    const out = [
      lengthVerdict(
        subject,
        rows.length.filter((r) => r.subject === subject),
        i,
      ),
      scriptVerdict(
        subject,
        rows.scripts.filter((r) => r.subject === subject),
        i,
      ),
    ];
    const turns = rows.turns.filter((r) => r.subject === subject);
    if (turns.length > 0) out.push(turnsVerdict(subject, turns, i));
    return out;
  });
}

function lengthVerdict(subject: string, rows: LengthRow[], i: I): Judgement {
  const c = rows.find((r) => r.cur === 1);
  const b = rows.find((r) => r.cur === 0);
  const base = { signal: 'input_length', ...BASE, subject: { service: subject }, samples: { current: c?.n ?? 0, baseline: b?.n ?? 0 } };
  if (!c || !b || c.n < i.minSamples || b.n < i.minSamples) {
    return noData(
      { ...base, value: c?.mean_len ?? null, baseline: b?.mean_len ?? null },
      `${subject}: not enough data: ${c?.n ?? 0} inputs now and ${b?.n ?? 0} in the baseline, ${i.minSamples} needed in each`,
    );
  }
  const cdfC = c.at_or_below.map((x) => x / c.n);
  const cdfB = b.at_or_below.map((x) => x / b.n);
  const d = Math.max(...cdfC.map((x, k) => Math.abs(x - cdfB[k]!)));
  const pValue = ksPValue(d, b.n, c.n);
  // Decile bins frozen from the baseline: cumulative counts at the 10th, 20th … 90th percentile.
  const bins = (r: LengthRow) => {
    const cum = [0, ...[9, 19, 29, 39, 49, 59, 69, 79, 89].map((k) => r.at_or_below[k]!), r.n];
    return cum.slice(1).map((x, k) => x - cum[k]!);
  };
  const psi = populationStabilityIndex(bins(b), bins(c));
  const practical = psi >= i.minPsi && d >= i.minKsD ? true : `below the practical threshold (needs PSI ${i.minPsi} and KS D ${i.minKsD})`;
  return {
    ...base,
    status: 'tested',
    value: Math.round(c.mean_len),
    baseline: Math.round(b.mean_len),
    pValue,
    finding: { alpha: i.alpha, practical, meaning: 'the inputs users send changed length', ifDrift: { traceIds: c.examples } },
    evidence: {
      traceIds: [],
      test: 'two-sample Kolmogorov–Smirnov at the baseline percentiles; PSI over baseline deciles',
      unit: 'count',
      ksD: round(d),
      psi: round(psi),
    },
    message: `${subject} input length: mean ${Math.round(b.mean_len)} → ${Math.round(c.mean_len)} characters (KS D=${d.toFixed(2)}, p=${formatP(pValue)}; PSI ${psi.toFixed(2)})`,
  };
}

function categorical(
  signal: 'input_script_mix' | 'input_turns_per_session',
  subject: string,
  rows: CategoryRow[],
  i: I,
  describe: (c: Map<string, number>, b: Map<string, number>) => { value: number; baseline: number; text: string; meaning: string },
): Judgement {
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const count = (cur: number) => new Map(categories.map((k) => [k, rows.find((r) => r.cur === cur && r.category === k)?.n ?? 0]));
  const c = count(1);
  const b = count(0);
  const nc = [...c.values()].reduce((s, x) => s + x, 0);
  const nb = [...b.values()].reduce((s, x) => s + x, 0);
  const unit = signal === 'input_turns_per_session' ? 'sessions' : 'inputs';
  const base = { signal, ...BASE, subject: { service: subject }, samples: { current: nc, baseline: nb } };
  if (nc < i.minSamples || nb < i.minSamples) {
    return noData(base, `${subject}: not enough data: ${nc} ${unit} now and ${nb} in the baseline, ${i.minSamples} needed in each`);
  }
  const vc = categories.map((k) => c.get(k)!);
  const vb = categories.map((k) => b.get(k)!);
  const { pValue } = chiSquareHomogeneity(vb, vc);
  const js = jensenShannonDistance(vb, vc);
  const d = describe(c, b);
  return {
    ...base,
    status: 'tested',
    value: round(d.value),
    baseline: round(d.baseline),
    pValue,
    finding: { alpha: i.alpha, practical: js >= i.minJs ? true : `below the practical threshold (needs JS distance ${i.minJs})`, meaning: d.meaning },
    evidence: {
      traceIds: [],
      test: 'chi-square test of homogeneity; effect: Jensen–Shannon distance',
      unit: signal === 'input_script_mix' ? 'ratio' : 'count',
      jsDistance: round(js),
      current: Object.fromEntries(c),
      baseline: Object.fromEntries(b),
    },
    message: `${subject} ${d.text} (JS ${js.toFixed(2)}, p=${formatP(pValue)})`,
  };
}

function scriptVerdict(subject: string, rows: CategoryRow[], i: I): Judgement {
  return categorical('input_script_mix', subject, rows, i, (c, b) => {
    const share = (m: Map<string, number>) => {
      const total = [...m.values()].reduce((s, x) => s + x, 0);
      return total > 0 ? 1 - ((m.get('latin') ?? 0) + (m.get('none') ?? 0)) / total : 0;
    };
    const top = (m: Map<string, number>) =>
      [...m]
        .filter(([, n]) => n > 0)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 4)
        .map(([k, n]) => `${k} ${pct(n / [...m.values()].reduce((s, x) => s + x, 0))}`)
        .join(', ');
    return {
      value: share(c),
      baseline: share(b),
      text: `script mix: non-Latin inputs ${pct(share(b))} → ${pct(share(c))} (now ${top(c)}; before ${top(b)})`,
      meaning: 'users write in other scripts than before',
    };
  });
}

function turnsVerdict(subject: string, rows: CategoryRow[], i: I): Judgement {
  return categorical('input_turns_per_session', subject, rows, i, (c, b) => {
    const mean = (m: Map<string, number>) => {
      const total = [...m.values()].reduce((s, x) => s + x, 0);
      return total > 0 ? [...m].reduce((s, [k, n]) => s + Number(k) * n, 0) / total : 0;
    };
    return {
      value: mean(c),
      baseline: mean(b),
      text: `turns per session: mean ${mean(b).toFixed(1)} → ${mean(c).toFixed(1)} (10+ counted as 10)`,
      meaning: 'conversations run longer or shorter than before',
    };
  });
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
