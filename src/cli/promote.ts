/**
 * `driftwatch promote`: the representative traces of an alert's failure patterns become eval-set
 * rows (input, intent, trace id, pattern), appended to the eval set's file without duplicates, so
 * the next run of the evals (and the dataset signal's coverage) includes them.
 */
import type { Config } from '../config/shape.ts';
import { loadState } from '../alerting/persistence.ts';
import { openStore, type Store } from '../clickhouse/store.ts';
import type { ScopedSource } from '../engine/cycle.ts';
import { createSources } from '../app/app.ts';
import { PromoteError, selectPatterns } from '../promote/select.ts';
import { appendEvalRows, type PromotedRow } from '../promote/eval-file.ts';
import { inputsOf } from '../promote/lookup.ts';

export interface PromoteOptions {
  alert: string;
  /** Pattern names; empty: every pattern of the alert. */
  patterns: string[];
  /** The file to append to (default: signals.dataset.evalSet.path). */
  to?: string;
  dryRun: boolean;
}

export interface PromoteOutcome {
  file: string;
  rows: PromotedRow[];
  added: number;
  skipped: number;
  /** Representative traces whose root span carries no input (nothing to promote). */
  withoutInput: number;
}

/** Opens the trace store the config names, promotes, closes it. */
export async function promote(config: Config, o: PromoteOptions): Promise<PromoteOutcome> {
  const store = await openStore(config.clickhouse);
  try {
    return await promoteFrom(config, store, createSources(config, store), o);
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** Promotes from an open store and its trace sources. */
export async function promoteFrom(config: Config, store: Store, sources: readonly ScopedSource[], o: PromoteOptions): Promise<PromoteOutcome> {
  const file = o.to ?? config.signals.dataset.evalSet.path;
  if (!file) {
    throw new PromoteError(
      config.signals.dataset.evalSet.table
        ? `the eval set is the table ${config.signals.dataset.evalSet.table}; promote appends to JSONL or CSV files: name one with --to FILE and load it into the table`
        : 'no eval set file: set signals.dataset.evalSet.path or name a file with --to FILE',
    );
  }
  const selection = selectPatterns(loadState(config.alerting.stateDir).alerts, o.alert, o.patterns);
  const scoped = sources.find(({ scope }) => Object.entries(scope).every(([k, v]) => selection.result.subject[k] === v));
  if (!scoped) throw new PromoteError(`alert ${selection.alert.fingerprint} belongs to ${JSON.stringify(selection.result.subject)}, which no configured trace source covers`);
  const wanted = selection.patterns.flatMap((p) => p.traceIds.map((traceId) => ({ traceId, pattern: p.name })));
  const found = new Map((await inputsOf(store, scoped.source, [...new Set(wanted.map((w) => w.traceId))], selection.window)).map((r) => [r.trace_id, r]));
  const rows = wanted.flatMap(({ traceId, pattern }) => {
    const t = found.get(traceId);
    return t ? [{ input: t.input, intent: t.intent, traceId, pattern }] : [];
  });
  const withoutInput = wanted.length - rows.length;
  if (rows.length === 0) {
    // Nothing to write is a failure of the command, not a quiet success.
    throw new PromoteError(
      `nothing written to ${file}: ${withoutInput === 0 ? 'the chosen patterns name no trace' : `none of the ${withoutInput} representative traces has a user input on its root span`}. ` +
        (scoped.source.schema === 'langfuse'
          ? 'driftwatch reads it from the Langfuse trace input (a string, or the retrieval query key of a JSON object).'
          : 'driftwatch reads it from the root span attributes input.value, ai.prompt, the last user message of llm.input_messages or gen_ai.input.messages, or traceloop.entity.input: have the instrumentation record one of them.'),
    );
  }
  if (o.dryRun) return { file, rows, added: 0, skipped: 0, withoutInput };
  const { added, skipped } = appendEvalRows(file, rows);
  return { file, rows: added, added: added.length, skipped, withoutInput };
}
