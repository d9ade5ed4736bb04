/**
 * Tool-API verdicts slot by slot (hourly, or rollup buckets around an onset), merged from the same rollups the verdicts use: error rate,
 * retry rate, the latency quantile, and the share of calls failing with the classes a verdict
 * found new. Tools beyond the named ones are `other`, as in the verdicts.
 */
import type { Config } from '../../config/shape.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import { gridParams, SLOT_OF_BUCKET } from '../../rollups/series-sql.ts';
import { rateAt, seriesFromRows, type SeriesGrid } from '../../core/series.ts';
import { logBinValue, quantileBin, type Histogram } from '../../rollups/sketch.ts';
import { OVERFLOW_SUBJECT } from '../../sources/fragments.ts';
import { seriesSums, namedSubjects } from '../../rollups/series-sql.ts';
import { seriesKey, type Judgement } from '../../core/verdict.ts';
import type { HourlySeries } from '../../core/series.ts';

export async function toolApiHourly(reader: RollupReader, grid: SeriesGrid, config: Config, verdicts: readonly Judgement[]): Promise<Map<string, HourlySeries>> {
  const named = namedSubjects(verdicts, 'tool');
  const calls = await seriesSums<{ n_calls: number; n_errors: number; hist: Histogram }>(
    reader,
    grid,
    'tool_calls',
    'tool',
    named,
    { n_calls: 'sum(calls)', n_errors: 'sum(errors)', hist: 'sumMap(duration_hist)' },
    'tool-api',
  );
  const retries = await seriesSums<{ n_traces: number; n_retried: number }>(reader, grid, 'tool_retries', 'tool', named, { n_traces: 'sum(traces)', n_retried: 'sum(retried)' }, 'tool-api');
  const newClasses = [...new Set(verdicts.flatMap((r) => ((r.evidence.classes as { class: string }[] | undefined) ?? []).map((c) => c.class)))];
  const classes =
    newClasses.length === 0
      ? []
      : await reader.store.query<{ subject: string; at: number; error_class: string; n: number }>(
          `SELECT if(tool IN {named:Array(String)}, tool, '${OVERFLOW_SUBJECT}') AS subject, ${SLOT_OF_BUCKET} AS at, error_class, sum(count) AS n
           FROM ${reader.table('tool_error_classes')} WHERE error_class IN {newClasses:Array(String)} GROUP BY subject, at, error_class`,
          { ...reader.params, ...gridParams(grid), named, newClasses },
          { comment: 'driftwatch series tool-api' },
        );

  const out = new Map<string, HourlySeries>();
  const quantile = config.signals.toolApi.latency.quantile;
  for (const r of verdicts) {
    const tool = r.subject.tool;
    if (!tool) continue;
    const mine = calls.filter((c) => c.subject === tool);
    let rows: Parameters<typeof seriesFromRows>[1] = [];
    if (r.signal === 'tool_error_rate') {
      rows = mine.map((c) => rateAt(c.at, Number(c.n_errors), Number(c.n_calls)));
    } else if (r.signal === 'tool_retry_rate') {
      rows = retries.filter((x) => x.subject === tool).map((x) => rateAt(x.at, Number(x.n_retried), Number(x.n_traces)));
    } else if (r.signal === 'tool_latency') {
      rows = mine.map((c) => {
        const bin = quantileBin(c.hist, quantile);
        return { at: Number(c.at), value: bin === null ? null : logBinValue(bin), samples: Number(c.n_calls) };
      });
    } else if (r.signal === 'tool_new_error_class') {
      const own = new Set(((r.evidence.classes as { class: string }[] | undefined) ?? []).map((c) => c.class));
      rows = mine.map((c) => {
        const failing = classes.filter((x) => x.subject === tool && Number(x.at) === Number(c.at) && own.has(x.error_class)).reduce((s, x) => s + Number(x.n), 0);
        return rateAt(c.at, failing, Number(c.n_calls));
      });
    } else {
      continue;
    }
    // Every tool-API facet drifts upwards: more errors, retries, slow calls, new classes.
    out.set(seriesKey(r), seriesFromRows(grid, rows, 'up'));
  }
  return out;
}
