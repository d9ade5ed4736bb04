/**
 * The pattern step of a cycle: for each drifting verdict of a signal that names its affected
 * traces, sample them in the current window and the baseline's sampled hours (bounded by
 * `patterns.maxTraces`), group them and attach `evidence.patterns`. A failure here is logged and
 * noted on the verdict; it never changes the verdict.
 */
import type { Logger } from 'pino';
import type { CollectContext, Signal, SignalResult } from '../signals/types.ts';
import { signaturePatterns, textPatterns, type AffectedItem } from './group.ts';
import { sampledRanges } from './ranges.ts';
import type { AffectedQuery, PatternSpec, SampledRanges } from './types.ts';
import type { Range } from '../engine/windows.ts';

/**
 * A query that must test traces before it knows they are affected (an input's distance to the eval
 * set) tests at most this many candidates per affected trace wanted, as {maxCandidates:UInt32}.
 */
const CANDIDATES_PER_TRACE = 4;

/** Fewer affected traces than this in the baseline's sampled hours, and the whole baseline is read. */
const MIN_BASELINE_SAMPLE = 20;

export async function withPatterns(signal: Signal<never>, verdicts: SignalResult[], ctx: CollectContext, log: Logger): Promise<SignalResult[]> {
  const spec = signal.patterns;
  if (!spec || !ctx.config.patterns.enabled) return verdicts;
  const out: SignalResult[] = [];
  for (const verdict of verdicts) {
    if (verdict.status !== 'drift') {
      out.push(verdict);
      continue;
    }
    try {
      const sample = await sampleAffected(spec, verdict, ctx);
      if (!sample) {
        out.push(verdict);
        continue;
      }
      const { query, ranges, current, baseline } = sample;
      const p = ctx.config.patterns;
      const options = { minClusterSize: p.minClusterSize, minSamples: p.minSamples, maxPatterns: p.maxPatterns, examples: p.examples };
      const { patterns, ...summary } = query.by === 'text' ? textPatterns(current, baseline, options) : signaturePatterns(current, baseline, options);
      const window = { from: ranges.current.from.toISOString(), to: ranges.current.to.toISOString() };
      out.push({ ...verdict, evidence: { ...verdict.evidence, patterns, patternSample: { ...summary, window, baselineScope: ranges.baseline.length > 1 ? 'same-hours' : 'whole' } } });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ signal: verdict.signal, subject: verdict.subject, err: message }, 'failure patterns could not be found');
      out.push({ ...verdict, evidence: { ...verdict.evidence, patternsError: message } });
    }
  }
  return out;
}

/** A drifting verdict's affected traces: up to maxTraces of the current window, as many over the baseline's sampled ranges. */
export async function sampleAffected(spec: PatternSpec, verdict: SignalResult, ctx: CollectContext): Promise<{ query: AffectedQuery; ranges: SampledRanges; current: AffectedItem[]; baseline: AffectedItem[] } | null> {
  const query = await spec.affected(verdict, ctx);
  if (!query) return null;
  const ranges = spec.ranges?.(ctx.windows, ctx.config) ?? sampledRanges(ctx.windows);
  const max = ctx.config.patterns.maxTraces;
  const current = await affected(ctx, query, ranges.current, max);
  const perRange = Math.ceil(max / ranges.baseline.length);
  // One range after another: a few small queries, never a burst on a busy cluster.
  let baseline: AffectedItem[] = [];
  for (const r of ranges.baseline) baseline.push(...(await affected(ctx, query, r, perRange)));
  // Too few to give a share (affected traces are rare in the baseline): read the whole baseline,
  // whose count is then complete (under maxTraces), not a sample.
  if (baseline.length < MIN_BASELINE_SAMPLE && ranges.baseline.length > 1) {
    baseline = await affected(ctx, query, ctx.windows.baseline, max);
    return { query, ranges: { current: ranges.current, baseline: [ctx.windows.baseline] }, current, baseline };
  }
  return { query, ranges, current, baseline };
}

async function affected(ctx: CollectContext, q: AffectedQuery, range: Range, maxTraces: number): Promise<AffectedItem[]> {
  const store = q.store ?? ctx.store;
  const rows = await store.query<{ trace_id: string; signature: string; text: string }>(q.sql, { ...q.params, fromMs: range.from.getTime(), toMs: range.to.getTime(), maxTraces, maxCandidates: maxTraces * CANDIDATES_PER_TRACE });
  return rows.map((r) => ({ traceId: r.trace_id, signature: r.signature, text: r.text }));
}
