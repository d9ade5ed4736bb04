/**
 * The one SQL shape every signal's hourly series uses: a family's buckets summed per subject and
 * hour, the subjects beyond the named ones folded into the overflow bucket as in the verdicts.
 */
import type { RollupReader } from '../rollups/engine.ts';
import { OVERFLOW_SUBJECT } from '../sources/fragments.ts';
import { HOUR_MS, seriesHours } from './series.ts';
import type { Windows } from './windows.ts';

/**
 * Per subject and hour, `sums` (output name → aggregate over the family's columns) of `family`,
 * where the subject is `column` when it is one of `named`, else the overflow bucket.
 */
export function hourlySums<T>(reader: RollupReader, windows: Windows, family: string, column: string, named: readonly string[], sums: Record<string, string>, signal: string): Promise<(T & { subject: string; hour: number })[]> {
  const { fromMs, toMs } = seriesHours(windows);
  const selected = Object.entries(sums).map(([name, expr]) => `${expr} AS ${name}`).join(', ');
  return reader.store.query<T & { subject: string; hour: number }>(
    `SELECT if(${column} IN {named:Array(String)}, ${column}, '${OVERFLOW_SUBJECT}') AS subject, intDiv(bucket, ${HOUR_MS}) * ${HOUR_MS} AS hour, ${selected}
     FROM ${reader.table(family)} GROUP BY subject, hour`,
    { ...reader.params, fromMs, toMs, named: [...named] },
    { comment: `driftwatch series ${signal}` },
  );
}

/** The named subjects of verdicts (`key` of their subject), without the overflow bucket. */
export const namedSubjects = (verdicts: readonly { subject: Record<string, string> }[], key: string): string[] =>
  [...new Set(verdicts.map((r) => r.subject[key]).filter((v): v is string => !!v && v !== OVERFLOW_SUBJECT))];
