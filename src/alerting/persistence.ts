/** Alert state, sink references and the outbox on disk: one JSON file, replaced atomically. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertEvent, AlertState } from './state-machine.ts';

/** An event not yet delivered to every sink. Nothing leaves the outbox until delivered. */
export interface OutboxItem {
  event: AlertEvent;
  pending: string[];
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
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
    throw err;
  }
  const parsed = JSON.parse(text) as PersistentState;
  if (parsed.version !== 1) throw new Error(`${join(dir, FILE)} has unknown version ${String(parsed.version)}`);
  return { ...emptyState(), ...parsed };
}

export function saveState(dir: string, state: PersistentState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 1));
  renameSync(tmp, join(dir, FILE));
}
