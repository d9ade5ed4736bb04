/**
 * User-input statistics per bucket and service, from trace roots: root count (for the busiest
 * services), non-empty inputs, the sum and a histogram of their lengths (exact up to 2,000
 * characters, ±0.5% beyond), the dominant script's counts, and a histogram of turns per
 * session (by the bucket of the session's first turn).
 */
import type { RollupReader } from '../../rollups/engine.ts';
import { BUCKET_OF_TS, IN_CURRENT, mergedExamples, rangeParams, type RollupFamily } from '../../rollups/family.ts';
import { lengthBinSql, lengthBinValue, countAtOrBelow, quantilesInclusive, type Histogram } from '../../rollups/sketch.ts';
import type { Windows } from '../../core/windows.ts';
import { windowParams } from '../../core/windows.ts';
import type { Config } from '../../config/shape.ts';
import { DOMINANT_SCRIPT, PERCENTILES, SCRIPT_COUNTS, SCRIPT_PARAMS, type CategoryRow, type LengthRow } from './sql.ts';
import type { InputRows } from './evaluate.ts';
import { subjectName } from '../../sources/fragments.ts';

const SERVICE = subjectName('service');

export const inputLengthsFamily: RollupFamily = {
  name: 'input_lengths',
  columns: [
    { name: 'service', type: 'String' },
    { name: 'roots', type: 'UInt64' },
    { name: 'inputs', type: 'UInt64' },
    { name: 'length_sum', type: 'UInt64' },
    { name: 'length_hist', type: 'Map(Int32, UInt64)' },
    { name: 'examples', type: 'Array(String)' },
  ],
  key: ['service'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, ${SERVICE} AS service, count() AS roots, countIf(input != '') AS inputs,
             sumIf(lengthUTF8(input), input != '') AS length_sum,
             sumMapIf(map(${lengthBinSql('lengthUTF8(input)')}, toUInt64(1)), input != '') AS length_hist,
             groupArraySortedIf(10)(trace_id, input != '') AS examples
      FROM (${source.traceRoots()})
      GROUP BY bucket, service`,
    params: { ...source.params, ...rangeParams(range) },
  }),
};

export const inputScriptsFamily: RollupFamily = {
  name: 'input_scripts',
  columns: [
    { name: 'service', type: 'String' },
    { name: 'category', type: 'String' },
    { name: 'n', type: 'UInt64' },
  ],
  key: ['service', 'category'],
  reach: () => 0,
  build: (source, _config, range) => ({
    sql: `
      SELECT bucket, service, ${DOMINANT_SCRIPT} AS category, count() AS n
      FROM (SELECT ${BUCKET_OF_TS} AS bucket, ${SERVICE} AS service, ${SCRIPT_COUNTS} AS counts
            FROM (${source.traceRoots()}) WHERE input != '')
      GROUP BY bucket, service, category`,
    params: { ...source.params, ...SCRIPT_PARAMS, ...rangeParams(range) },
  }),
};

// Turns per session: a session counts in the bucket of its first turn, with its turns up to
// `sessionWindow` later, so a bucket keeps only a histogram of turns (1…10+) and a window merges
// histograms instead of regrouping every session it saw.
export const inputSessionsFamily: RollupFamily = {
  name: 'input_sessions',
  columns: [
    { name: 'service', type: 'String' },
    { name: 'turns_hist', type: 'Map(String, UInt64)' },
  ],
  key: ['service'],
  reach: (c) => c.signals.input.sessionWindow,
  build: (source, config, range) => ({
    sql: `
      SELECT ${BUCKET_OF_TS} AS bucket, service, sumMap(map(toString(least(turns, 10)), toUInt64(1))) AS turns_hist
      FROM (
        SELECT ${SERVICE} AS service, session, min(ts) AS ts, count() AS turns
        FROM (${source.traceRoots()})
        WHERE session != ''
        GROUP BY service, session
        HAVING ts >= fromUnixTimestamp64Milli({bucketFromMs:Int64}) AND ts < fromUnixTimestamp64Milli({bucketToMs:Int64}))
      GROUP BY bucket, service`,
    params: { ...source.params, ...rangeParams(range, config.signals.input.sessionWindow, config.signals.input.sessionWindow) },
  }),
};

export const INPUT_FAMILIES = [inputLengthsFamily, inputScriptsFamily, inputSessionsFamily];

interface LengthWindowRow {
  subject: string;
  cur: number;
  n_inputs: number;
  n_sum: number;
  hist: Histogram;
  ex: string[];
}

/** The input rows for `windows`, merged from the rollups (the raw-scan row shapes). */
export async function inputRowsFromRollups(reader: RollupReader, windows: Windows, config: Config): Promise<InputRows> {
  const params = { ...reader.params, ...windowParams(windows), maxSubjects: config.signals.input.maxSubjects };
  const options = { comment: 'driftwatch signal input' };
  const busiest = await reader.store.query<{ service: string }>(
    `SELECT service FROM ${reader.table('input_lengths')} GROUP BY service ORDER BY sum(roots) DESC, service LIMIT {maxSubjects:UInt32}`,
    params,
    options,
  );
  const top = busiest.map((r) => r.service);
  const subjects = `if(service IN {top:Array(String)}, service, 'other')`;
  const lengths = await reader.store.query<LengthWindowRow>(
    `SELECT ${subjects} AS subject, bucket >= {currentFromMs:Int64} AS cur,
            sum(inputs) AS n_inputs, sum(length_sum) AS n_sum, sumMap(length_hist) AS hist,
            ${mergedExamples('examples', 10, IN_CURRENT)} AS ex
     FROM ${reader.table('input_lengths')} GROUP BY subject, cur HAVING n_inputs > 0`,
    { ...params, top },
    options,
  );
  const scripts = await reader.store.query<CategoryRow>(
    `SELECT ${subjects} AS subject, bucket >= {currentFromMs:Int64} AS cur, category, sum(n) AS n
     FROM ${reader.table('input_scripts')} GROUP BY subject, cur, category`,
    { ...params, top },
    options,
  );
  const turns = await reader.store.query<CategoryRow>(
    `SELECT subject, cur, kv.1 AS category, kv.2 AS n FROM (
       SELECT ${subjects} AS subject, bucket >= {currentFromMs:Int64} AS cur, sumMap(turns_hist) AS h
       FROM ${reader.table('input_sessions')} GROUP BY subject, cur)
     ARRAY JOIN CAST(h, 'Array(Tuple(String, UInt64))') AS kv`,
    { ...params, top },
    options,
  );
  return { length: lengthRows(lengths), scripts, turns };
}

/**
 * Length rows as the raw scan gives them: the baseline's percentiles (interpolated like
 * quantilesExactInclusive) as edges and, per window, how many inputs are at or below each edge.
 * A service without baseline inputs has no edges and no rows.
 */
export function lengthRows(rows: readonly LengthWindowRow[]): LengthRow[] {
  const out: LengthRow[] = [];
  for (const r of rows) {
    const base = rows.find((x) => x.subject === r.subject && Number(x.cur) === 0);
    if (!base) continue;
    const edges = quantilesInclusive(base.hist, PERCENTILES, lengthBinValue);
    const n = Number(r.n_inputs);
    out.push({
      subject: r.subject,
      cur: Number(r.cur),
      n,
      mean_len: n > 0 ? Number(r.n_sum) / n : 0,
      at_or_below: edges.map((e) => countAtOrBelow(r.hist, e, lengthBinValue)),
      examples: r.ex,
    });
  }
  return out;
}
