/** Alert state, sink references and the outbox on disk: one JSON file, replaced atomically. */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
}

const FILE = 'state.json';

export function emptyState(): PersistentState {
  return { version: 1, alerts: {}, refs: {}, outbox: [] };
}

/** Reads the state; a missing file is a fresh start, a corrupt one is an error (never silently dropped). */
export function loadState(dir: string): PersistentState {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new StateError(`cannot read ${join(dir, FILE)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: PersistentState;
  try {
    parsed = JSON.parse(text) as PersistentState;
  } catch (err) {
    throw new StateError(`${join(dir, FILE)} is not valid JSON (${(err as Error).message}); move it aside to start with no alert state`);
  }
  if (parsed?.version !== 1) throw new StateError(`${join(dir, FILE)} has unknown version ${String(parsed?.version)}`);
  return { ...emptyState(), ...parsed };
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
