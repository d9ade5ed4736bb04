/**
 * Judged spans built from real judge-vs-human data: LLMBar (pairwise preferences, GPT-4 and
 * ChatGPT verdicts beside the human gold label) and HANNA (1–5 story ratings by three humans and
 * LLM judges). Each item becomes an LLM span carrying OpenInference annotations.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsvLine } from '../../src/signals/dataset/csv.ts';

const REALDATA = new URL('../fixtures/realdata/', import.meta.url);

export interface PreferenceItem {
  human: string;
  judge: string;
}

/** LLMBar result file: the judge's verdict (outputs in the original order) and the human label, per item. */
export function readLlmBar(file: string): PreferenceItem[] {
  const items = JSON.parse(readFileSync(new URL(`llmbar-judge-vs-human/${file}`, REALDATA), 'utf8')) as {
    label: number;
    results: { 'swap = False': { winner: string } }[];
  }[];
  return items.map((item) => ({ human: String(item.label), judge: String(item.results[0]!['swap = False'].winner) }));
}

export interface RatedStory {
  system: string;
  humans: [number, number, number];
  llm: number;
}

/** HANNA: per story, the three human 1–5 ratings of a criterion and an LLM judge's rating (rounded). */
export function readHanna(criterion: string, llmColumn: string): RatedStory[] {
  const text = readFileSync(new URL('hanna-story-human-vs-llm/hanna_metric_scores_llm.csv', REALDATA), 'utf8');
  // One record per line: HANNA's quoted cells hold lists, never line breaks.
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map(parseCsvLine);
  const header = rows[0]!;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`HANNA has no column ${name}`);
    return i;
  };
  const list = (cell: string) => JSON.parse(cell) as number[];
  const stories: RatedStory[] = [];
  for (const row of rows.slice(1).filter((r) => r.length === header.length)) {
    const h = [1, 2, 3].map((k) => list(row[col(`Human ${k} ${criterion}`)]!));
    const llm = list(row[col(llmColumn)]!);
    for (let i = 0; i < llm.length; i++) {
      stories.push({ system: row[col('Model')]!, humans: [h[0]![i]!, h[1]![i]!, h[2]![i]!], llm: Math.min(5, Math.max(1, Math.round(llm[i]!))) });
    }
  }
  return stories;
}

export interface Verdict {
  rubric: string;
  annotator: 'HUMAN' | 'LLM';
  identifier: string;
  label?: string;
  score?: number;
}

/** An LLM span judged on itself: annotations for humans, evaluations for the judge. */
export function judgedSpanRow(opts: { at: Date; traceId: string; spanId: string; verdicts: Verdict[]; promptVersion?: string; prompt?: string }): Record<string, unknown> {
  const attributes: Record<string, string> = { 'openinference.span.kind': 'LLM' };
  let a = 0;
  let e = 0;
  for (const v of opts.verdicts) {
    const [prefix, field, i] = v.annotator === 'HUMAN' ? ['annotations', 'annotation', a++] : ['evaluations', 'evaluation', e++];
    attributes[`${prefix}.${i}.${field}.name`] = v.rubric;
    attributes[`${prefix}.${i}.${field}.annotator_kind`] = v.annotator;
    attributes[`${prefix}.${i}.${field}.identifier`] = v.identifier;
    if (v.label !== undefined) attributes[`${prefix}.${i}.${field}.label`] = v.label;
    if (v.score !== undefined) attributes[`${prefix}.${i}.${field}.score`] = String(v.score);
  }
  if (opts.promptVersion) attributes['llm.prompt_template.version'] = opts.promptVersion;
  if (opts.prompt) attributes['gen_ai.prompt.template.name'] = opts.prompt;
  return {
    Timestamp: opts.at.toISOString(),
    TraceId: opts.traceId,
    SpanId: opts.spanId,
    ParentSpanId: '',
    SpanName: 'chat',
    SpanKind: 'Internal',
    ServiceName: 'agent',
    SpanAttributes: attributes,
    Duration: 1_000_000_000,
    StatusCode: 'Ok',
    StatusMessage: '',
  };
}

/** Times spread evenly over [from, to). */
export function spread(from: Date, to: Date, n: number): Date[] {
  const span = to.getTime() - from.getTime();
  return Array.from({ length: n }, (_, i) => new Date(from.getTime() + Math.floor(((i + 0.5) * span) / n)));
}

/** Preference items judged in a window: human gold label as an annotation, the judge's verdict as an evaluation. */
export function preferences(items: PreferenceItem[], from: Date, to: Date, tag: string, extra: { promptVersion?: (i: number) => string } = {}) {
  return spread(from, to, items.length).map((at, i) =>
    judgedSpanRow({
      at,
      traceId: `${tag}-${i}`,
      spanId: `${tag}-${i}-s`,
      promptVersion: extra.promptVersion?.(i),
      verdicts: [
        { rubric: 'preference', annotator: 'HUMAN', identifier: 'gold', label: items[i]!.human },
        { rubric: 'preference', annotator: 'LLM', identifier: 'judge', label: items[i]!.judge },
      ],
    }),
  );
}
