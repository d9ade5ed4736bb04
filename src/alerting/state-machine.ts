/**
 * Pure alert lifecycle with hysteresis. One alert covers a drift mode in one layer for one
 * subject (tool-API drift of refund_payment), whichever of its facets (error rate, retries,
 * latency, new error classes) drift, so one incident is one issue. A signal must drift a signal must drift `openAfter` cycles in a row to open
 * an alert and be clean `resolveAfter` cycles in a row to resolve it; while open, repeated
 * drift notifies at most once per `cooldown`. `no_data` and `error` hold the state as it is:
 * a blind spot is neither drift nor recovery. The clock and the previous state are arguments.
 */
import type { Config } from '../config/shape.ts';
import type { SignalResult } from '../core/verdict.ts';
import { fingerprint } from './fingerprint.ts';

export interface AlertState {
  fingerprint: string;
  /** What the alert is about, for metrics and messages. */
  key: Pick<SignalResult, 'driftMode' | 'layer' | 'subject'>;
  phase: 'pending' | 'firing';
  driftStreak: number;
  cleanStreak: number;
  /** Id of the open episode: fingerprint and the cycle it opened in. */
  episode?: string;
  openedAt?: string;
  lastNotifiedAt?: string;
  /** The last drifting verdict, so an alert whose subject disappears can still be resolved with context. */
  lastResult?: SignalResult;
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
  /** The facet the alert leads with (the first drifting one). */
  result: SignalResult;
  /** Every facet of this subject that drifts in this cycle (or, on recovery, all its facets). */
  facets: SignalResult[];
  windows: { current: { from: string; to: string }; baseline: { from: string; to: string } };
}

export type AlertStates = Readonly<Record<string, AlertState>>;
type Rules = Pick<Config['alerting'], 'openAfter' | 'resolveAfter' | 'cooldown'> & Partial<Pick<Config['alerting'], 'byLayer' | 'mutes'>>;

/** A drifting verdict that opened or re-notified nothing because a mute window covered it. */
export interface Muted {
  fingerprint: string;
  reason: string;
  result: SignalResult;
}

/** The hygiene in force for one layer: the defaults with that layer's overrides. */
export function rulesFor(rules: Rules, layer: SignalResult['layer']): Pick<Rules, 'openAfter' | 'resolveAfter' | 'cooldown'> {
  const o = rules.byLayer?.[layer];
  return { openAfter: o?.openAfter ?? rules.openAfter, resolveAfter: o?.resolveAfter ?? rules.resolveAfter, cooldown: o?.cooldown ?? rules.cooldown };
}

/** The reason of the first mute window covering this verdict at `now`, if any. */
export function muteFor(rules: Rules, r: SignalResult, now: Date): string | undefined {
  const t = now.getTime();
  return rules.mutes?.find(
    (m) =>
      Date.parse(m.from) <= t && t < Date.parse(m.to) && (!m.driftModes || m.driftModes.includes(r.driftMode)) && (!m.subjects || Object.entries(m.subjects).every(([k, v]) => r.subject[k] === v)),
  )?.reason;
}

export function applyAlertRules(
  previous: AlertStates,
  results: readonly SignalResult[],
  windows: AlertEvent['windows'],
  now: Date,
  rules: Rules,
  options: { absentIsClean?: boolean } = {},
): { states: Record<string, AlertState>; events: AlertEvent[]; muted: Muted[] } {
  const states: Record<string, AlertState> = { ...previous };
  const events: AlertEvent[] = [];
  const muted: Muted[] = [];
  const at = now.toISOString();
  const emit = (kind: AlertEventKind, s: AlertState, c: AlertCandidate) =>
    events.push({ id: `${s.episode}:${kind}:${at}`, kind, fingerprint: s.fingerprint, episode: s.episode!, at, openedAt: s.openedAt!, result: c.primary, facets: c.facets, windows });

  const seen = new Set<string>();
  for (const candidate of groupForAlerts(results)) {
    const fp = candidate.fingerprint;
    seen.add(fp);
    const prev = states[fp];
    const layerRules = rulesFor(rules, candidate.primary.layer);
    const mute = candidate.status === 'drift' ? muteFor(rules, candidate.primary, now) : undefined;
    if (mute !== undefined) {
      // A known incident or deploy: the drift is reported but neither opens nor re-notifies an alert.
      muted.push({ fingerprint: fp, reason: mute, result: candidate.primary });
      continue;
    }
    if (candidate.status === 'drift') {
      const s: AlertState = prev
        ? { ...prev, driftStreak: prev.driftStreak + 1, cleanStreak: 0 }
        : { fingerprint: fp, key: { driftMode: candidate.primary.driftMode, layer: candidate.primary.layer, subject: candidate.primary.subject }, phase: 'pending', driftStreak: 1, cleanStreak: 0 };
      if (s.phase === 'pending' && s.driftStreak >= layerRules.openAfter) {
        s.phase = 'firing';
        s.openedAt = at;
        s.episode = `${fp}@${at}`;
        s.lastNotifiedAt = at;
        s.lastResult = candidate.primary;
        emit('opened', s, candidate);
      } else if (s.phase === 'firing' && now.getTime() - Date.parse(s.lastNotifiedAt ?? at) >= layerRules.cooldown) {
        s.lastNotifiedAt = at;
        emit('refired', s, candidate);
      }
      s.lastResult = candidate.primary;
      states[fp] = s;
    } else if (candidate.status === 'ok' && prev) {
      const s: AlertState = { ...prev, cleanStreak: prev.cleanStreak + 1, driftStreak: 0 };
      if (s.phase === 'pending') {
        delete states[fp];
      } else if (s.cleanStreak >= layerRules.resolveAfter) {
        emit('resolved', s, candidate);
        delete states[fp];
      } else {
        states[fp] = s;
      }
    }
  }
  // A subject that is no longer reported at all (a tool nobody calls, a verdict now attributed to
  // another drift mode) counts as clean, but only in a cycle where every signal ran: an outage is
  // not a recovery.
  for (const [fp, s] of Object.entries(states)) {
    if (seen.has(fp)) continue;
    if (s.phase === 'pending') {
      delete states[fp];
      continue;
    }
    if (!options.absentIsClean) continue;
    const next: AlertState = { ...s, cleanStreak: s.cleanStreak + 1, driftStreak: 0 };
    if (next.cleanStreak >= rulesFor(rules, next.key.layer).resolveAfter && next.lastResult) {
      const gone: SignalResult = {
        ...next.lastResult,
        status: 'ok',
        evidence: { traceIds: [] },
        message: `${Object.values(next.key.subject).join(' / ')} is no longer reported: no data for it in the current window`,
      };
      emit('resolved', next, { fingerprint: fp, status: 'ok', primary: gone, facets: [gone] });
      delete states[fp];
    } else {
      states[fp] = next;
    }
  }
  return { states, events, muted };
}

/** The facets of one drift mode, layer and subject, judged together. */
export interface AlertCandidate {
  fingerprint: string;
  /** drift when any facet drifts; ok when none drifts and at least one is ok; else hold. */
  status: 'drift' | 'ok' | 'hold';
  primary: SignalResult;
  facets: SignalResult[];
}

/** Groups a cycle's verdicts into alert candidates, in the order the signals produced them. */
export function groupForAlerts(results: readonly SignalResult[]): AlertCandidate[] {
  const groups = new Map<string, SignalResult[]>();
  for (const r of results) {
    if (r.status === 'error' && Object.keys(r.subject).length === 0) continue; // a failed run has no subject to alert on
    const fp = fingerprint(r);
    groups.set(fp, [...(groups.get(fp) ?? []), r]);
  }
  return [...groups].map(([fp, facets]) => {
    const drifting = facets.filter((f) => f.status === 'drift');
    const status = drifting.length > 0 ? 'drift' : facets.some((f) => f.status === 'ok') ? 'ok' : 'hold';
    return { fingerprint: fp, status, primary: drifting[0] ?? facets[0]!, facets: drifting.length > 0 ? drifting : facets };
  });
}
