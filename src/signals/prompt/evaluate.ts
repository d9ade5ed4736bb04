/**
 * Pure verdicts of the prompt drift signal: the versions live in each window with their traffic
 * shares (reported), and, for each rubric that declares the prompt version it was written for,
 * whether live traffic now runs mostly on other versions (exact binomial test against `mostly`).
 */
import { LOOKED_FOR, nothingFound } from '../nothing-found.ts';
import { noData } from '../../core/unjudged.ts';
import type { Config } from '../../config/shape.ts';
import { binomialUpperTail } from '../../stats/sign-test.ts';
import { formatP, pct } from '../../core/format.ts';
import type { Judgement } from '../../core/verdict.ts';
import type { PromptVersionRow } from './sql.ts';

const BASE = { driftMode: 'prompt', layer: 'prompt' } as const;

export function evaluatePrompt(rows: readonly PromptVersionRow[], config: Config): Judgement[] {
  const p = config.signals.prompt;
  const results: Judgement[] = [];
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
      const share = {
        signal: 'prompt_version_share',
        ...BASE,
        subject: { prompt, version: v.version },
        value: totalC > 0 ? v.calls_c / totalC : null,
        baseline: totalB > 0 ? v.calls_b / totalB : null,
        samples: { current: totalC, baseline: totalB },
      };
      const notes = { unit: 'ratio' as const, test: 'reported, not tested', firstSeen: new Date(v.first_seen_ms).toISOString() };
      const message = `prompt ${prompt} version ${v.version} serves ${pct(totalC > 0 ? v.calls_c / totalC : 0)} of LLM calls now (${pct(totalB > 0 ? v.calls_b / totalB : 0)} in the baseline; first seen ${new Date(v.first_seen_ms).toISOString()})`;
      // A report, never a drift: shown beside the rubric-mismatch test.
      results.push(totalC < p.minSamples ? noData(share, message, notes) : { ...share, status: 'ok', pValue: null, evidence: { ...notes, traceIds: [] }, message });
    }
  }
  for (const rubric of config.rubrics.filter((r) => r.promptVersion !== undefined)) {
    results.push(rubricMismatch(rubric.name, rubric.promptVersion!, rubric.prompt, rows, p));
  }
  if (rows.length === 0) results.push(nothingFound('prompt_version_share', 'prompt', 'prompt', { prompt: 'none' }, LOOKED_FOR.prompts));
  return results;
}

function rubricMismatch(rubric: string, written: string, prompt: string | undefined, rows: readonly PromptVersionRow[], p: Config['signals']['prompt']): Judgement {
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
    return noData(base, `rubric ${rubric}: not enough data: ${totalC} LLM calls with a known version of ${scope} now, ${p.minSamples} needed`);
  }
  const share = offC / totalC;
  const pValue = binomialUpperTail(offC, totalC, p.mostly);
  return {
    ...base,
    status: 'tested',
    value: share,
    baseline: totalB > 0 ? offB / totalB : null,
    pValue,
    finding: {
      alpha: p.alpha,
      practical: share > p.mostly ? true : `no more than ${pct(p.mostly)} of it, the share that matters`,
      meaning: 'it grades a contract the agent no longer has',
    },
    evidence: { traceIds: [], unit: 'ratio', test: `exact binomial test of the off-version share against ${p.mostly}`, writtenFor: written, live },
    message: `rubric ${rubric} was written for ${scope} version ${written}; ${pct(share)} of live traffic runs on other versions (${live}; p=${formatP(pValue)})`,
  };
}

const sum = (rows: readonly PromptVersionRow[], key: 'calls_c' | 'calls_b') => rows.reduce((s, r) => s + r[key], 0);
