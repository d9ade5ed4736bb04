/**
 * The one SQL shape every signal's series uses: a family's buckets summed per subject and slot
 * of a grid, the subjects beyond the named ones folded into the overflow bucket as in the verdicts.
 */
import type { RollupReader } from './engine.ts';
import { OVERFLOW_SUBJECT } from '../sources/fragments.ts';
import type { SeriesGrid } from '../core/series.ts';

/** Each bucket's slot start in `grid` (SQL over a rollup table read with `gridParams`). */
export const SLOT_OF_BUCKET = '({fromMs:Int64} + intDiv(bucket - {fromMs:Int64}, {stepMs:Int64}) * {stepMs:Int64})';

/** The query parameters of a grid: a rollup table is read over [fromMs, toMs). */
export const gridParams = (grid: SeriesGrid) => ({ fromMs: grid.fromMs, toMs: grid.toMs, stepMs: grid.stepMs });

/**
 * Per subject and slot of `grid`, `sums` (output name → aggregate over the family's columns) of `family`,
 * where the subject is `column` when it is one of `named`, else the overflow bucket.
 */
export function seriesSums<T>(
  reader: RollupReader,
  grid: SeriesGrid,
  family: string,
  column: string,
  named: readonly string[],
  sums: Record<string, string>,
  signal: string,
): Promise<(T & { subject: string; at: number })[]> {
  const selected = Object.entries(sums)
    .map(([name, expr]) => `${expr} AS ${name}`)
    .join(', ');
  return reader.store.query<T & { subject: string; at: number }>(
    `SELECT if(${column} IN {named:Array(String)}, ${column}, '${OVERFLOW_SUBJECT}') AS subject, ${SLOT_OF_BUCKET} AS at, ${selected}
     FROM ${reader.table(family)} GROUP BY subject, at`,
    { ...reader.params, ...gridParams(grid), named: [...named] },
    { comment: `driftwatch series ${signal}` },
  );
}

/** The named subjects of verdicts (`key` of their subject), without the overflow bucket. */
export const namedSubjects = (verdicts: readonly { subject: Record<string, string> }[], key: string): string[] => [
  ...new Set(verdicts.map((r) => r.subject[key]).filter((v): v is string => !!v && v !== OVERFLOW_SUBJECT)),
];
