/**
 * Pure verdicts of the prompt drift signal: the versions live in each window with their traffic
 * shares (reported), and, for each rubric that declares the prompt version it was written for,
 * whether live traffic now runs mostly on other versions (exact binomial test against `mostly`).
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import type { Config } from '../../config/shape.ts';
import { binomialUpperTail } from '../../stats/sign-test.ts';
import { formatP, pct } from '../../core/format.ts';
import type { SignalResult } from '../../core/verdict.ts';
import type { PromptVersionRow } from './sql.ts';

const BASE = { driftMode: 'prompt', layer: 'prompt' } as const;

export function evaluatePrompt(rows: readonly PromptVersionRow[], config: Config): SignalResult[] {
  const p = config.signals.prompt;
  const results: SignalResult[] = [];
  const prompts = [...new Set(rows.map((r) => r.prompt))];
  for (const prompt of prompts) {
    const versions = rows.filter((r) => r.prompt === prompt);
    const totalC = versions.reduce((s, r) => s + r.calls_c, 0);
    const totalB = versions.reduce((s, r) => s + r.calls_b, 0);
    const named = versions.slice(0, p.maxVersions);
    const rest = versions.slice(p.maxVersions);
    const shown =
      rest.length > 0 ? [...named, { prompt, version: 'other', calls_c: sum(rest, 'calls_c'), calls_b: sum(rest, 'calls_b'), first_seen_ms: Math.min(...rest.map((r) => r.first_seen_ms)) }] : named;
    for (const v of shown) {
      results.push({
        signal: 'prompt_version_share',
        ...BASE,
        subject: { prompt, version: v.version },
        status: totalC < p.minSamples ? 'no_data' : 'ok',
        value: totalC > 0 ? v.calls_c / totalC : null,
        baseline: totalB > 0 ? v.calls_b / totalB : null,
        samples: { current: totalC, baseline: totalB },
        pValue: null,
        evidence: { traceIds: [], unit: 'ratio', test: 'reported, not tested', firstSeen: new Date(v.first_seen_ms).toISOString() },
        message: `prompt ${prompt} version ${v.version} serves ${pct(totalC > 0 ? v.calls_c / totalC : 0)} of LLM calls now (${pct(totalB > 0 ? v.calls_b / totalB : 0)} in the baseline; first seen ${new Date(v.first_seen_ms).toISOString()})`,
      });
    }
  }
  for (const rubric of config.rubrics.filter((r) => r.promptVersion !== undefined)) {
    results.push(rubricMismatch(rubric.name, rubric.promptVersion!, rubric.prompt, rows, p));
  }
  if (rows.length === 0) results.push(nothingFound('prompt_version_share', 'prompt', 'prompt', { prompt: 'none' }, LOOKED_FOR.prompts));
  return results;
}

function rubricMismatch(rubric: string, written: string, prompt: string | undefined, rows: readonly PromptVersionRow[], p: Config['signals']['prompt']): SignalResult {
  const relevant = rows.filter((r) => prompt === undefined || r.prompt === prompt);
  const totalC = sum(relevant, 'calls_c');
  const totalB = sum(relevant, 'calls_b');
  const offC = sum(
    relevant.filter((r) => r.version !== written),
    'calls_c',
  );
  const offB = sum(
    relevant.filter((r) => r.version !== written),
    'calls_b',
  );
  const live = relevant
    .filter((r) => r.calls_c > 0)
    .slice(0, 5)
    .map((r) => `${r.version} ${pct(r.calls_c / Math.max(1, totalC))}`)
    .join(', ');
  const base = { signal: 'prompt_rubric_mismatch', ...BASE, subject: { rubric }, samples: { current: totalC, baseline: totalB } };
  const scope = prompt ? `prompt ${prompt}` : 'the prompts';
  if (totalC < p.minSamples) {
    return {
      ...base,
      status: 'no_data',
      value: null,
      baseline: null,
      pValue: null,
      evidence: { traceIds: [] },
      message: `rubric ${rubric}: not enough data: ${totalC} LLM calls with a known version of ${scope} now, ${p.minSamples} needed`,
    };
  }
  const share = offC / totalC;
  const pValue = binomialUpperTail(offC, totalC, p.mostly);
  const drift = share > p.mostly && pValue < p.alpha;
  return {
    ...base,
    status: drift ? 'drift' : 'ok',
    value: share,
    baseline: totalB > 0 ? offB / totalB : null,
    pValue,
    evidence: { traceIds: [], unit: 'ratio', test: `exact binomial test of the off-version share against ${p.mostly}`, alpha: p.alpha, writtenFor: written, live },
    message: drift
      ? `rubric ${rubric} was written for ${scope} version ${written}, but ${pct(share)} of live traffic runs on other versions (${live}; p=${formatP(pValue)}): it grades a contract the agent no longer has`
      : `rubric ${rubric} was written for version ${written}; ${pct(share)} of live traffic of ${scope} runs on other versions (${live})`,
  };
}

const sum = (rows: readonly PromptVersionRow[], key: 'calls_c' | 'calls_b') => rows.reduce((s, r) => s + r[key], 0);
