/**
 * Days of traffic made of spans recorded from real instrumentation libraries
 * (test/fixtures/instrumentation/<library>/<variant>.jsonl, written by scripts/record): every
 * recorded conversation is copied again and again, re-timed to its slot and given fresh trace and
 * span ids (parent links kept), so every row is what the library wrote, only later and renamed.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

export const LIBRARIES = ['langchain-openinference', 'langgraph-openinference', 'langchain-openllmetry', 'vercel-ai'] as const;
export type Library = (typeof LIBRARIES)[number];
export type Variant = 'normal' | 'drifted';

export type Row = Record<string, unknown> & { Timestamp: string; TraceId: string; SpanId: string; ParentSpanId: string; 'Events.Timestamp': string[] };

export function readRecording(library: Library, variant: Variant): Row[] {
  const text = readFileSync(new URL(`../fixtures/instrumentation/${library}/${variant}.jsonl`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

/** The recorded conversations: each trace's spans, the traces in the order they were recorded. */
export function conversations(rows: readonly Row[]): Row[][] {
  const byTrace = new Map<string, Row[]>();
  for (const r of rows) byTrace.set(r.TraceId, [...(byTrace.get(r.TraceId) ?? []), r]);
  return [...byTrace.values()].sort((a, b) => startOf(a) - startOf(b));
}

/** DateTime64(9) text → [milliseconds since the epoch, the sub-millisecond digits]. */
function parseTime(text: string): [number, string] {
  const [date, time] = text.split(' ');
  const [hms, frac = ''] = time!.split('.');
  const nanos = frac.padEnd(9, '0');
  return [Date.parse(`${date}T${hms}.${nanos.slice(0, 3)}Z`), nanos.slice(3)];
}

function formatTime(ms: number, subMillis: string): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${subMillis}`;
}

const startOf = (trace: readonly Row[]) => Math.min(...trace.map((r) => parseTime(r.Timestamp)[0]));
const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** One copy of a recorded trace, starting at `at`, with ids derived from `copy`. */
export function copyTrace(trace: readonly Row[], at: number, copy: string): Row[] {
  const shift = at - startOf(trace);
  const spanId = (id: string) => (id === '' ? '' : hex(`${copy}:${id}`, 16));
  const traceId = hex(`${copy}:trace`, 32);
  return trace.map((r) => {
    const [ms, sub] = parseTime(r.Timestamp);
    return {
      ...r,
      Timestamp: formatTime(ms + shift, sub),
      TraceId: traceId,
      SpanId: spanId(r.SpanId),
      ParentSpanId: spanId(r.ParentSpanId),
      'Events.Timestamp': r['Events.Timestamp'].map((t) => {
        const [ems, esub] = parseTime(t);
        return formatTime(ems + shift, esub);
      }),
    };
  });
}

/**
 * Traffic from `from` to `to`, one conversation every `everyMs` (the recorded ones in turn), of
 * the `normal` recording, and of the `drifted` one from `driftFrom` on.
 */
export function buildTraffic(library: Library, options: { from: Date; to: Date; everyMs: number; driftFrom: Date | null }): Row[] {
  const normal = conversations(readRecording(library, 'normal'));
  const drifted = conversations(readRecording(library, 'drifted'));
  const rows: Row[] = [];
  let k = 0;
  for (let t = options.from.getTime(); t < options.to.getTime(); t += options.everyMs, k++) {
    const pool = options.driftFrom && t >= options.driftFrom.getTime() ? drifted : normal;
    rows.push(...copyTrace(pool[k % pool.length]!, t, `${library}:${k}`));
  }
  return rows;
}
