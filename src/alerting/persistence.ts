/** Alert state, sink references and the outbox on disk: one JSON file, replaced atomically. */
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AlertEvent, AlertState } from './state-machine.ts';

/** When one sink tries an item again, and why its last attempt failed. */
export interface SinkRetry {
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
}

/** An event not yet delivered to every sink. Nothing leaves the outbox until delivered. */
export interface OutboxItem {
  event: AlertEvent;
  pending: string[];
  /** The most attempts any sink has made, and the last failure of any (for people reading the file). */
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  /** Per sink: each sink retries on its own clock. */
  retries?: Record<string, SinkRetry>;
}

export interface PersistentState {
  version: 1;
  alerts: Record<string, AlertState>;
  refs: Record<string, Record<string, string>>;
  outbox: OutboxItem[];
  /** Evaluation time of the latest cycle that moved the alert state; an earlier cycle must not move it. */
  evaluatedAt?: string;
}

const FILE = 'state.json';

export function emptyState(): PersistentState {
  return { version: 1, alerts: {}, refs: {}, outbox: [] };
}

/**
 * The shape a state file must have to be used. Only what the daemon relies on is checked (fields
 * it reads and types it computes with); a verdict inside an alert or event stays as written.
 */
const verdict = z.looseObject({ signal: z.string(), driftMode: z.string(), layer: z.string(), subject: z.record(z.string(), z.string()) });
const alertShape = z.looseObject({
  fingerprint: z.string(),
  key: z.looseObject({ driftMode: z.string(), layer: z.string(), subject: z.record(z.string(), z.string()) }),
  phase: z.enum(['pending', 'firing']),
  driftStreak: z.number(),
  cleanStreak: z.number(),
});
const eventShape = z.looseObject({
  id: z.string(),
  kind: z.enum(['opened', 'refired', 'resolved']),
  fingerprint: z.string(),
  episode: z.string(),
  at: z.string(),
  openedAt: z.string(),
  result: verdict,
  facets: z.array(verdict),
  windows: z.looseObject({ current: z.looseObject({ from: z.string(), to: z.string() }), baseline: z.looseObject({ from: z.string(), to: z.string() }) }),
});
const outboxItemShape = z.looseObject({ event: eventShape, pending: z.array(z.string()), attempts: z.number(), nextAttemptAt: z.string() });
const stateShape = z.looseObject({
  version: z.literal(1),
  alerts: z.record(z.string(), alertShape).default({}),
  refs: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  outbox: z.array(z.unknown()).default([]),
  evaluatedAt: z.iso.datetime().optional(),
});

/** Where outbox items that cannot be delivered as written are kept (one JSON line each), so none is lost. */
export const REJECTED_FILE = 'outbox.rejected.jsonl';

/** The state, and the outbox items set aside because they are malformed (written to REJECTED_FILE). */
export interface LoadedState {
  state: PersistentState;
  rejected: { index: number; problem: string }[];
}

/** Reads the state; a missing file is a fresh start, a corrupt one is an error (never silently dropped). */
export function loadState(dir: string): PersistentState {
  return loadStateReporting(dir).state;
}

/**
 * Reads the state and sets aside outbox items that are malformed: retrying one would fail the
 * same way every few seconds forever, so it is appended to REJECTED_FILE (nothing is lost) and
 * left out. Any other shape problem is a StateError naming the file and the field.
 */
export function loadStateReporting(dir: string): LoadedState {
  const file = join(dir, FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState(), rejected: [] };
    throw new StateError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StateError(`${file} is not valid JSON (${(err as Error).message}); move it aside to start with no alert state`);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && version !== 1) throw new StateError(`${file} has unknown version ${String(version)}`);
  const top = stateShape.safeParse(parsed);
  if (!top.success) throw new StateError(`${file} is not a driftwatch state file: ${shapeProblem(top.error)}; move it aside to start with no alert state`);
  const outbox: OutboxItem[] = [];
  const rejected: LoadedState['rejected'] = [];
  top.data.outbox.forEach((item, index) => {
    const ok = outboxItemShape.safeParse(item);
    if (ok.success) outbox.push(item as OutboxItem);
    else {
      const problem = shapeProblem(ok.error);
      rejected.push({ index, problem });
      try {
        appendFileSync(join(dir, REJECTED_FILE), `${JSON.stringify({ rejectedAt: new Date().toISOString(), problem, item })}\n`);
      } catch (err) {
        throw new StateError(`${file}: outbox item ${index} is malformed (${problem}) and cannot be set aside in ${REJECTED_FILE}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
  });
  const state = { ...emptyState(), ...(top.data as unknown as PersistentState), outbox };
  // Written back at once, so the item set aside is not set aside again at the next start.
  if (rejected.length > 0) saveState(dir, state);
  return { state, rejected };
}

/** The first problem of a shape check, as `alerts.x.phase: …`. */
function shapeProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** Writes the state atomically; throws StateError naming the directory when it cannot. */
export function saveState(dir: string, state: PersistentState): void {
  const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(state, null, 1));
    renameSync(tmp, join(dir, FILE));
  } catch (err) {
    throw new StateError(`cannot write alert state to ${dir} (alerting.stateDir): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Checks at start-up that the state directory can be written, so a cycle never finds out later. */
export function checkStateDir(dir: string): void {
  const probe = join(dir, `.write-check.${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    throw new StateError(`cannot write alert state to ${dir} (alerting.stateDir): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Alert state that cannot be read or written: one line naming the file or directory. */
export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}
