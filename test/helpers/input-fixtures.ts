/** Root spans carrying real user inputs: Arena-Hard prompts (2024 vs 2025), Banking77 and CLINC150 queries. */
import { readFileSync } from 'node:fs';
import { parse as parseCsvLine } from '../../src/signals/dataset/csv.ts';

const REALDATA = new URL('../fixtures/realdata/', import.meta.url);

export function readArenaHard(version: 'v0.1' | 'v2.0'): string[] {
  return readFileSync(new URL(`arena-hard-prompts/arena-hard-${version}.question.jsonl`, REALDATA), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
}

/** Arena-Hard 2025 prompts written mostly in a non-Latin script (Cyrillic, Arabic, Devanagari, CJK, Hangul …). */
export function nonLatinPrompts(): string[] {
  const nonLatin = /[\u0400-\u04FF\u0590-\u06FF\u0900-\u097F\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]/gu;
  return readArenaHard('v2.0').filter((p) => (p.match(nonLatin)?.length ?? 0) > p.length / 4);
}

/**
 * User inputs for generated weeks with a daily rhythm: Arena-Hard 2024 prompts as usual, and in the
 * busy hours 35% (4% otherwise) from a pool of non-Latin 2025 prompts and the 100 longest 2024 ones.
 */
export function rhythmInputs(): { usual: string[]; peak: string[]; peakShare: number; offPeakShare: number } {
  const usual = readArenaHard('v0.1');
  const longest = [...usual].sort((a, b) => b.length - a.length).slice(0, 100);
  return { usual, peak: [...nonLatinPrompts(), ...longest], peakShare: 0.35, offPeakShare: 0.04 };
}

/** A CSV file's records: a quoted cell may hold a line break (Banking77 has a few), so lines are joined until their quotes pair up. */
function csvRecords(text: string): string[] {
  const records: string[] = [];
  let open = '';
  for (const line of text.split(/\r?\n/)) {
    open = open === '' ? line : `${open}\n${line}`;
    if ((open.match(/"/g)?.length ?? 0) % 2 === 0) {
      records.push(open);
      open = '';
    }
  }
  if (open !== '') records.push(open);
  return records;
}

export function readBanking77(split: 'train' | 'test'): { text: string; intent: string }[] {
  const lines = csvRecords(readFileSync(new URL(`banking77/${split}.csv`, REALDATA), 'utf8')).slice(1);
  return lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [text, intent] = parseCsvLine(l);
      return { text: text!, intent: intent! };
    });
}

export function readClinc(): Record<'train' | 'test' | 'oos_test', [string, string][]> {
  return JSON.parse(readFileSync(new URL('clinc150-oos/data_full.json', REALDATA), 'utf8'));
}

/** A root span of a user's request. */
export function rootRow(opts: { at: Date; traceId: string; input: string; service?: string; session?: string; intent?: string }): Record<string, unknown> {
  const attributes: Record<string, string> = { 'openinference.span.kind': 'AGENT', 'input.value': opts.input };
  if (opts.session) attributes['session.id'] = opts.session;
  if (opts.intent) attributes.metadata = JSON.stringify({ intent: opts.intent, locale: 'en' });
  return {
    Timestamp: opts.at.toISOString(),
    TraceId: opts.traceId,
    SpanId: `${opts.traceId}-root`,
    ParentSpanId: '',
    SpanName: 'agent.run',
    SpanKind: 'Server',
    ServiceName: opts.service ?? 'assistant',
    SpanAttributes: attributes,
    Duration: 2_000_000_000,
    StatusCode: 'Ok',
    StatusMessage: '',
  };
}

/**
 * Request times over [from, to) following a daily traffic cycle (busy afternoons, quiet nights):
 * the stationary week a real service has.
 */
export function dailyCycleTimes(from: Date, to: Date, n: number, random: () => number): Date[] {
  const out: Date[] = [];
  const span = to.getTime() - from.getTime();
  while (out.length < n) {
    const t = from.getTime() + random() * span;
    const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    const intensity = 0.55 + 0.45 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    if (random() < intensity) out.push(new Date(t));
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}
