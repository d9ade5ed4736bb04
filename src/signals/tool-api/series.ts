/**
 * Tool-API verdicts hour by hour, merged from the same rollups the verdicts use: error rate,
 * retry rate, the latency quantile, and the share of calls failing with the classes a verdict
 * found new. Tools beyond the named ones are `other`, as in the verdicts.
 */
import type { Config } from '../../config/schema.ts';
import type { RollupReader } from '../../rollups/engine.ts';
import type { Windows } from '../../engine/windows.ts';
import { HOUR_MS, rateAt, seriesFromRows, seriesHours } from '../../engine/series.ts';
import { logBinValue, quantileBin, type Histogram } from '../../rollups/sketch.ts';
import { OVERFLOW_SUBJECT } from '../../sources/fragments.ts';
import { hourlySums, namedSubjects } from '../../engine/hourly-sql.ts';
import { seriesKey, type HourlySeries, type SignalResult } from '../types.ts';

export async function toolApiHourly(reader: RollupReader, windows: Windows, config: Config, verdicts: readonly SignalResult[]): Promise<Map<string, HourlySeries>> {
  const named = namedSubjects(verdicts, 'tool');
  const { fromMs, toMs } = seriesHours(windows);
  const calls = await hourlySums<{ n_calls: number; n_errors: number; hist: Histogram }>(
    reader,
    windows,
    'tool_calls',
    'tool',
    named,
    { n_calls: 'sum(calls)', n_errors: 'sum(errors)', hist: 'sumMap(duration_hist)' },
    'tool-api',
  );
  const retries = await hourlySums<{ n_traces: number; n_retried: number }>(reader, windows, 'tool_retries', 'tool', named, { n_traces: 'sum(traces)', n_retried: 'sum(retried)' }, 'tool-api');
  const newClasses = [...new Set(verdicts.flatMap((r) => ((r.evidence.classes as { class: string }[] | undefined) ?? []).map((c) => c.class)))];
  const classes =
    newClasses.length === 0
      ? []
      : await reader.store.query<{ subject: string; hour: number; error_class: string; n: number }>(
          `SELECT if(tool IN {named:Array(String)}, tool, '${OVERFLOW_SUBJECT}') AS subject, intDiv(bucket, ${HOUR_MS}) * ${HOUR_MS} AS hour, error_class, sum(count) AS n
           FROM ${reader.table('tool_error_classes')} WHERE error_class IN {newClasses:Array(String)} GROUP BY subject, hour, error_class`,
          { ...reader.params, fromMs, toMs, named, newClasses },
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
      rows = mine.map((c) => rateAt(c.hour, Number(c.n_errors), Number(c.n_calls)));
    } else if (r.signal === 'tool_retry_rate') {
      rows = retries.filter((x) => x.subject === tool).map((x) => rateAt(x.hour, Number(x.n_retried), Number(x.n_traces)));
    } else if (r.signal === 'tool_latency') {
      rows = mine.map((c) => {
        const bin = quantileBin(c.hist, quantile);
        return { hour: Number(c.hour), value: bin === null ? null : logBinValue(bin) };
      });
    } else if (r.signal === 'tool_new_error_class') {
      const own = new Set(((r.evidence.classes as { class: string }[] | undefined) ?? []).map((c) => c.class));
      rows = mine.map((c) => {
        const failing = classes.filter((x) => x.subject === tool && Number(x.hour) === Number(c.hour) && own.has(x.error_class)).reduce((s, x) => s + Number(x.n), 0);
        return rateAt(c.hour, failing, Number(c.n_calls));
      });
    } else {
      continue;
    }
    out.set(seriesKey(r), seriesFromRows(windows, rows));
  }
  return out;
}
