/**
 * Pure alert lifecycle with hysteresis: a signal must drift `openAfter` cycles in a row to open
 * an alert and be clean `resolveAfter` cycles in a row to resolve it; while open, repeated
 * drift notifies at most once per `cooldown`. `no_data` and `error` hold the state as it is:
 * a blind spot is neither drift nor recovery. The clock and the previous state are arguments.
 */
import type { Config } from '../config/schema.ts';
import type { SignalResult } from '../signals/types.ts';
import { fingerprint } from './fingerprint.ts';

export interface AlertState {
  fingerprint: string;
  phase: 'pending' | 'firing';
  driftStreak: number;
  cleanStreak: number;
  /** Id of the open episode: fingerprint and the cycle it opened in. */
  episode?: string;
  openedAt?: string;
  lastNotifiedAt?: string;
}

export type AlertEventKind = 'opened' | 'refired' | 'resolved';

/** Something to tell the sinks. `id` is deterministic, so a replica or a retry produces the same one. */
export interface AlertEvent {
  id: string;
  kind: AlertEventKind;
  fingerprint: string;
  episode: string;
  at: string;
  openedAt: string;
  result: SignalResult;
  windows: { current: { from: string; to: string }; baseline: { from: string; to: string } };
}

export type AlertStates = Readonly<Record<string, AlertState>>;
type Rules = Pick<Config['alerting'], 'openAfter' | 'resolveAfter' | 'cooldown'>;

export function applyAlertRules(
  previous: AlertStates,
  results: readonly SignalResult[],
  windows: AlertEvent['windows'],
  now: Date,
  rules: Rules,
): { states: Record<string, AlertState>; events: AlertEvent[] } {
  const states: Record<string, AlertState> = { ...previous };
  const events: AlertEvent[] = [];
  const at = now.toISOString();
  const emit = (kind: AlertEventKind, s: AlertState, result: SignalResult) =>
    events.push({ id: `${s.episode}:${kind}:${at}`, kind, fingerprint: s.fingerprint, episode: s.episode!, at, openedAt: s.openedAt!, result, windows });

  for (const result of results) {
    const fp = fingerprint(result);
    const prev = states[fp];
    if (result.status === 'drift') {
      const s: AlertState = prev
        ? { ...prev, driftStreak: prev.driftStreak + 1, cleanStreak: 0 }
        : { fingerprint: fp, phase: 'pending', driftStreak: 1, cleanStreak: 0 };
      if (s.phase === 'pending' && s.driftStreak >= rules.openAfter) {
        s.phase = 'firing';
        s.openedAt = at;
        s.episode = `${fp}@${at}`;
        s.lastNotifiedAt = at;
        emit('opened', s, result);
      } else if (s.phase === 'firing' && now.getTime() - Date.parse(s.lastNotifiedAt ?? at) >= rules.cooldown) {
        s.lastNotifiedAt = at;
        emit('refired', s, result);
      }
      states[fp] = s;
    } else if (result.status === 'ok' && prev) {
      const s: AlertState = { ...prev, cleanStreak: prev.cleanStreak + 1, driftStreak: 0 };
      if (s.phase === 'pending') {
        delete states[fp];
      } else if (s.cleanStreak >= rules.resolveAfter) {
        emit('resolved', s, result);
        delete states[fp];
      } else {
        states[fp] = s;
      }
    }
  }
  return { states, events };
}
