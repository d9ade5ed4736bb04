/**
 * The pattern step of a cycle: for each drifting verdict of a signal that names its affected
 * traces, count their signatures from the rollups where the signal keeps them, else sample them in
 * the current window and the baseline's sampled hours (bounded by `patterns.maxTraces`); group
 * them and attach `evidence.patterns`. A failure here is logged and
 * noted on the verdict; it never changes the verdict.
 */
import type { Logger } from 'pino';
import type { CollectContext } from '../rollups/context.ts';
import type { Evidence, SignalResult } from '../core/verdict.ts';
import { countedPatterns, signaturePatterns, textPatterns, type AffectedItem, type SignatureCount } from './group.ts';
import { sampledRanges } from './ranges.ts';
import type { AffectedQuery, PatternSpec, SampledRanges } from './types.ts';
import type { Range } from '../core/windows.ts';

/**
 * A query that must test traces before it knows they are affected (an input's distance to the eval
 * set) tests at most this many candidates per affected trace wanted, as {maxCandidates:UInt32}.
 */
const CANDIDATES_PER_TRACE = 4;

/** Fewer affected traces than this in the baseline's sampled hours, and the whole baseline is read. */
const MIN_BASELINE_SAMPLE = 20;

/** A drifting verdict's failure patterns, found by its signal's pattern spec (when it has one). */
export async function withPatterns(signal: { readonly name: string; readonly patterns?: PatternSpec }, verdicts: SignalResult[], ctx: CollectContext, log: Logger): Promise<SignalResult[]> {
  const spec = signal.patterns;
  if (!spec || !ctx.config.patterns.enabled) return verdicts;
  const started = performance.now();
  const out: SignalResult[] = [];
  // Facets of one subject often name the same traces (a tool's error rate, retries and new classes:
  // its failing calls): they are sampled and grouped once.
  const sampled = new Map<string, Promise<PatternEvidence | null>>();
  for (const verdict of verdicts) {
    if (verdict.status !== 'drift') {
      out.push(verdict);
      continue;
    }
    try {
      const { rollups } = ctx;
      const counted = rollups && spec.counted ? await spec.counted(verdict, { ...ctx, rollups }) : null;
      let evidence: PatternEvidence | null = null;
      if (counted) evidence = fromCounts(counted, ctx);
      else {
        const query = await spec.affected(verdict, ctx);
        if (query) {
          // Queries whose baseline parameters are read later are never taken for each other.
          const key = query.baselineParams ? `own ${sampled.size}` : JSON.stringify([query.sql, query.params, query.store === undefined]);
          if (!sampled.has(key)) sampled.set(key, group(spec, verdict, ctx, query));
          evidence = await sampled.get(key)!;
        }
      }
      out.push(evidence ? { ...verdict, evidence: { ...verdict.evidence, ...evidence } } : verdict);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ signal: verdict.signal, subject: verdict.subject, err }, 'failure patterns could not be found');
      out.push({ ...verdict, evidence: { ...verdict.evidence, patternsError: message } });
    }
  }
  if (out.some((r) => r.evidence.patternSample)) log.debug({ signal: signal.name, samples: sampled.size, ms: Math.round(performance.now() - started) }, 'failure patterns found');
  return out;
}

type PatternEvidence = Pick<Evidence, 'patterns' | 'patternSample'>;

function fromCounts(counts: readonly SignatureCount[], ctx: CollectContext): PatternEvidence {
  const { patterns, ...summary } = countedPatterns(counts, options(ctx));
  const window = { from: ctx.windows.current.from.toISOString(), to: ctx.windows.current.to.toISOString() };
  return { patterns, patternSample: { ...summary, window, baselineScope: 'whole' } };
}

const options = (ctx: CollectContext) => {
  const p = ctx.config.patterns;
  return { minClusterSize: p.minClusterSize, minSamples: p.minSamples, maxPatterns: p.maxPatterns, examples: p.examples };
};

async function group(spec: PatternSpec, verdict: SignalResult, ctx: CollectContext, query: AffectedQuery): Promise<PatternEvidence | null> {
  const sample = await sampleAffected(spec, verdict, ctx, query);
  if (!sample) return null;
  const { ranges, current, baseline } = sample;
  const { patterns, ...summary } = query.by === 'text' ? textPatterns(current, baseline, options(ctx)) : signaturePatterns(current, baseline, options(ctx));
  const window = { from: ranges.current.from.toISOString(), to: ranges.current.to.toISOString() };
  return { patterns, patternSample: { ...summary, window, baselineScope: ranges.baseline.length > 1 ? 'same-hours' : 'whole' } };
}

/** A drifting verdict's affected traces: up to maxTraces of the current window, as many over the baseline's sampled ranges. */
export async function sampleAffected(
  spec: PatternSpec,
  verdict: SignalResult,
  ctx: CollectContext,
  known?: AffectedQuery,
): Promise<{ query: AffectedQuery; ranges: SampledRanges; current: AffectedItem[]; baseline: AffectedItem[] } | null> {
  const query = known ?? (await spec.affected(verdict, ctx));
  if (!query) return null;
  const ranges = spec.ranges?.(ctx.windows, ctx.config) ?? sampledRanges(ctx.windows);
  const max = ctx.config.patterns.maxTraces;
  const perRange = Math.ceil(max / ranges.baseline.length);
  // The current window first: nothing affected now (the traces carry no text to group, say: GenAI
  // instrumentations record no content by default) and there is no share to give, nothing more to
  // read. Each range is a copy of the query, and the engine's analysis of a copy of a relation
  // costs about as much as reading an hour of it, so the baseline's copies are not sent for nothing.
  const [current = []] = await affectedIn(ctx, query, [{ range: ranges.current, limit: max }]);
  if (current.length === 0) return { query, ranges, current, baseline: [] };
  // The baseline's ranges in one query.
  const forBaseline = query.baselineParams ? { ...query, params: await query.baselineParams() } : query;
  const baseline = (
    await affectedIn(
      ctx,
      forBaseline,
      ranges.baseline.map((range) => ({ range, limit: perRange })),
    )
  ).flat();
  // Too few to give a share (affected traces are rare in the baseline): read the whole baseline,
  // whose count is then complete (under maxTraces), not a sample.
  if (baseline.length < MIN_BASELINE_SAMPLE && ranges.baseline.length > 1) {
    const [whole = []] = await affectedIn(ctx, forBaseline, [{ range: ctx.windows.baseline, limit: max }]);
    return { query, ranges: { current: ranges.current, baseline: [ctx.windows.baseline] }, current, baseline: whole };
  }
  return { query, ranges, current, baseline };
}

/**
 * The affected traces of several ranges, each with its own limit, in one query (one round trip):
 * the query once per range under UNION ALL, copy k with its own parameters ({fromMs_k}, {toMs_k},
 * {maxTraces_k}, {maxCandidates_k}). Returns the rows of each range, by trace-id hash.
 */
async function affectedIn(ctx: CollectContext, q: AffectedQuery, parts: readonly { range: Range; limit: number }[]): Promise<AffectedItem[][]> {
  if (parts.length === 0) return [];
  const store = q.store ?? ctx.store;
  const own = (sql: string, k: number) => ['fromMs', 'toMs', 'maxTraces', 'maxCandidates'].reduce((text, name) => text.replaceAll(`{${name}:`, `{${name}_${k}:`), sql);
  const copies = parts.map((_, k) => `SELECT ${k} AS part, trace_id, signature, text FROM (${own(q.sql, k)})`);
  const params = Object.fromEntries(
    parts.flatMap(({ range, limit }, k) => [
      [`fromMs_${k}`, range.from.getTime()],
      [`toMs_${k}`, range.to.getTime()],
      [`maxTraces_${k}`, limit],
      [`maxCandidates_${k}`, limit * CANDIDATES_PER_TRACE],
    ]),
  );
  // Ordered again outside: the branches of a UNION ALL arrive in any order.
  const sql = `SELECT part, trace_id, signature, text FROM (${copies.join('\nUNION ALL\n')}) ORDER BY part, cityHash64(trace_id)`;
  const rows = await store.query<{ part: number; trace_id: string; signature: string; text: string }>(sql, { ...q.params, ...params });
  const out = parts.map((): AffectedItem[] => []);
  for (const r of rows) out[Number(r.part)]!.push({ traceId: r.trace_id, signature: r.signature, text: r.text });
  return out;
}
