/**
 * One writer per state directory. Two processes writing one alert state (a rolling deploy that
 * starts the new daemon before the old one stops, a second replica by mistake, a `once` beside
 * the daemon) would each open, deliver and resolve alerts from their own copy: alerts twice, or
 * resolutions lost. The writer holds `stateDir/lock` (its pid, host, command and start time) and
 * touches it while it runs; another process refuses to start, naming the holder. A lock whose
 * process is gone (same host) or that has not been touched for `staleAfterMs` (a crashed pod whose
 * successor has another host name) is taken over with a warning.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { StateError } from './persistence.ts';

export const LOCK_FILE = 'lock';
/** How often a holder touches its lock, and after how long without a touch it counts as gone. */
export const LOCK_REFRESH_MS = 30_000;
export const LOCK_STALE_MS = 120_000;

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

/** The lock is held by a process that still runs; `holder` names it. */
export class StateLockedError extends StateError {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
  }
}

export interface StateLock {
  /** Tells other processes this holder still runs. */
  refresh(): void;
  /** Removes the lock if it is still this holder's. */
  release(): void;
  /** The holder this lock replaced because it was gone, if any. */
  tookOverFrom?: LockHolder & { reason: string };
}

export interface LockOptions {
  command: string;
  now?: () => number;
  staleAfterMs?: number;
  /** Whether a process of this host lives (tests give their own). */
  alive?: (pid: number) => boolean;
  host?: string;
  pid?: number;
}

/** Takes the state directory's lock, or throws StateError naming the process that holds it. */
export function acquireStateLock(dir: string, options: LockOptions): StateLock {
  const file = join(dir, LOCK_FILE);
  const now = options.now ?? Date.now;
  const me: LockHolder = { pid: options.pid ?? process.pid, host: options.host ?? hostname(), command: options.command, since: new Date(now()).toISOString(), token: randomUUID() };
  let tookOverFrom: StateLock['tookOverFrom'];
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, me)) {
      return {
        tookOverFrom,
        refresh: () => {
          const t = new Date(now());
          try {
            utimesSync(file, t, t);
          } catch {
            // Gone or unwritable: the next save of the state reports the directory's problem.
          }
        },
        release: () => {
          if (readHolder(file)?.token === me.token) rmSync(file, { force: true });
        },
      };
    }
    const holder = readHolder(file);
    const gone = holder ? whyGone(holder, file, me.host, now(), options) : 'the lock file is unreadable or malformed';
    if (!gone) {
      const seen = Math.max(0, Math.round((now() - statSync(file).mtimeMs) / 1000));
      throw new StateLockedError(
        `the alert state in ${dir} is in use by \`driftwatch ${holder!.command}\` (pid ${holder!.pid} on ${holder!.host}, since ${holder!.since}, last seen ${seen} s ago): ` +
          `two processes writing one state would send alerts twice. Stop that process, give this one another alerting.stateDir, or use --dry-run; ` +
          `a holder not seen for ${Math.round((options.staleAfterMs ?? LOCK_STALE_MS) / 1000)} s is taken over`,
        holder!,
      );
    }
    tookOverFrom = holder ? { ...holder, reason: gone } : undefined;
    rmSync(file, { force: true });
  }
  throw new StateError(`the alert state lock ${file} could not be taken: other processes keep taking it`);
}

function createExclusive(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateError(`cannot write the alert state lock ${file} (alerting.stateDir): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.command !== 'string' || typeof h.since !== 'string' || typeof h.token !== 'string') return null;
    return h as LockHolder;
  } catch {
    return null;
  }
}

/** Why the holder no longer runs, or null when it may still. */
function whyGone(holder: LockHolder, file: string, host: string, now: number, options: LockOptions): string | null {
  if (holder.host === host) {
    // A restarted container keeps its host name and often its pid (1): that holder was this process's predecessor.
    if (holder.pid === (options.pid ?? process.pid)) return `it was an earlier process with this pid (${holder.pid}) on ${host}`;
    if (!(options.alive ?? processAlive)(holder.pid)) return `process ${holder.pid} on ${host} no longer runs`;
  }
  const idle = now - statSync(file).mtimeMs;
  const stale = options.staleAfterMs ?? LOCK_STALE_MS;
  if (idle > stale) return `not seen for ${Math.round(idle / 1000)} s (more than ${Math.round(stale / 1000)} s)`;
  return null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it lives, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
