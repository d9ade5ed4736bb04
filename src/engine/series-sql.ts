/**
 * The one SQL shape every signal's series uses: a family's buckets summed per subject and slot
 * of a grid, the subjects beyond the named ones folded into the overflow bucket as in the verdicts.
 */
import type { RollupReader } from '../rollups/engine.ts';
import { OVERFLOW_SUBJECT } from '../sources/fragments.ts';
import { gridParams, SLOT_OF_BUCKET, type SeriesGrid } from './series.ts';

/**
 * Per subject and slot of `grid`, `sums` (output name → aggregate over the family's columns) of `family`,
 * where the subject is `column` when it is one of `named`, else the overflow bucket.
 */
export function seriesSums<T>(reader: RollupReader, grid: SeriesGrid, family: string, column: string, named: readonly string[], sums: Record<string, string>, signal: string): Promise<(T & { subject: string; at: number })[]> {
  const selected = Object.entries(sums).map(([name, expr]) => `${expr} AS ${name}`).join(', ');
  return reader.store.query<T & { subject: string; at: number }>(
    `SELECT if(${column} IN {named:Array(String)}, ${column}, '${OVERFLOW_SUBJECT}') AS subject, ${SLOT_OF_BUCKET} AS at, ${selected}
     FROM ${reader.table(family)} GROUP BY subject, at`,
    { ...reader.params, ...gridParams(grid), named: [...named] },
    { comment: `driftwatch series ${signal}` },
  );
}

/** The named subjects of verdicts (`key` of their subject), without the overflow bucket. */
export const namedSubjects = (verdicts: readonly { subject: Record<string, string> }[], key: string): string[] =>
  [...new Set(verdicts.map((r) => r.subject[key]).filter((v): v is string => !!v && v !== OVERFLOW_SUBJECT))];
