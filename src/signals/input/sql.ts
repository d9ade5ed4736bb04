/**
 * User-input features per service and window, computed in ClickHouse from the root spans: the
 * empirical CDF of input length at the baseline's percentiles (enough for KS and decile PSI), the
 * dominant Unicode script of each input, and turns per session.
 */
import type { TraceSource } from '../../sources/source.ts';
import { OVERFLOW_SUBJECT, subjectName } from '../../sources/fragments.ts';

/** Percentile levels 1..99 of the baseline's input lengths. */
export const PERCENTILES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** Unicode scripts recognised by the detector, in order (RE2 script classes). */
export const SCRIPTS = [
  ['latin', '\\p{Latin}'],
  ['cyrillic', '\\p{Cyrillic}'],
  ['han', '\\p{Han}'],
  ['kana', '[\\p{Hiragana}\\p{Katakana}]'],
  ['hangul', '\\p{Hangul}'],
  ['arabic', '\\p{Arabic}'],
  ['devanagari', '\\p{Devanagari}'],
  ['greek', '\\p{Greek}'],
  ['hebrew', '\\p{Hebrew}'],
  ['thai', '\\p{Thai}'],
] as const;

export const SCRIPT_PARAMS = Object.fromEntries(SCRIPTS.map(([name, re]) => [`script_${name}`, re]));

/** Per script, how many of an `input`'s characters it has (takes SCRIPT_PARAMS). */
export const SCRIPT_COUNTS = `[${SCRIPTS.map(([name]) => `countMatches(input, {script_${name}:String})`).join(', ')}]`;

/** The script with most characters in `counts` (SCRIPT_COUNTS), `none` when there is none. */
export const DOMINANT_SCRIPT = `if(arrayMax(counts) = 0, 'none', ${JSON.stringify(SCRIPTS.map(([n]) => n)).replaceAll('"', "'")}[indexOf(counts, arrayMax(counts))])`;

function roots(source: TraceSource): string {
  return `
    WITH
      r AS (${source.traceRoots()}),
      top_services AS (SELECT service FROM r GROUP BY service ORDER BY count() DESC, service LIMIT {maxSubjects:UInt32}),
      tagged AS (
        SELECT if(service IN (SELECT service FROM top_services), ${subjectName('service')}, '${OVERFLOW_SUBJECT}') AS subject,
               ts >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur, input, session, trace_id, ts
        FROM r)`;
}

export interface LengthRow {
  subject: string;
  cur: number;
  n: number;
  mean_len: number;
  /** Count of inputs with length ≤ each baseline percentile. */
  at_or_below: number[];
  examples: string[];
}

export const lengthSql = (source: TraceSource) => `${roots(source)},
      edges AS (SELECT subject, quantilesExactInclusive(${PERCENTILES.join(', ')})(lengthUTF8(input)) AS q FROM tagged WHERE input != '' AND NOT cur GROUP BY subject)
    SELECT t.subject AS subject, cur, count() AS n, avg(lengthUTF8(input)) AS mean_len,
           sumForEach(arrayMap(e -> toUInt64(lengthUTF8(input) <= e), e.q)) AS at_or_below,
           groupArraySortedIf(10)(trace_id, cur) AS examples
    FROM tagged AS t INNER JOIN edges AS e ON t.subject = e.subject
    WHERE input != ''
    GROUP BY subject, cur`;

export interface CategoryRow {
  subject: string;
  cur: number;
  category: string;
  n: number;
}

export const scriptSql = (source: TraceSource) => `${roots(source)}
    SELECT subject, cur, ${DOMINANT_SCRIPT} AS category, count() AS n
    FROM (SELECT subject, cur, ${SCRIPT_COUNTS} AS counts FROM tagged WHERE input != '')
    GROUP BY subject, cur, category`;

export const turnsSql = (source: TraceSource) => `${roots(source)}
    SELECT subject, cur, toString(least(turns, 10)) AS category, count() AS n
    FROM (
      SELECT subject, session, count() AS turns, min(ts) >= fromUnixTimestamp64Milli({currentFromMs:Int64}) AS cur
      FROM tagged WHERE session != '' GROUP BY subject, session)
    GROUP BY subject, cur, category`;
