/** Which patterns `driftwatch promote` writes: an alert by fingerprint, and its patterns by name or all. */
import type { AlertState } from '../alerting/state-machine.ts';
import type { Pattern, PatternSample, SignalResult } from '../core/verdict.ts';

/** A promote request that cannot be met; the message says what exists instead. */
export class PromoteError extends Error {}

export interface Selection {
  alert: AlertState;
  result: SignalResult;
  patterns: Pattern[];
  /** The range the patterns' traces were sampled from (where their inputs are read). */
  window: { from: Date; to: Date };
}

/** `fingerprint` may be a unique prefix (at least 6 characters); `names` empty means every pattern. */
export function selectPatterns(alerts: Readonly<Record<string, AlertState>>, fingerprint: string, names: readonly string[]): Selection {
  if (fingerprint.length < 6) throw new PromoteError(`--alert "${fingerprint}": give at least 6 characters of the fingerprint (alerts show it at the end)`);
  const matches = Object.values(alerts).filter((a) => a.fingerprint.startsWith(fingerprint));
  const known = () =>
    Object.values(alerts)
      .filter((a) => (a.lastResult?.evidence.patterns?.length ?? 0) > 0)
      .map((a) => `${a.fingerprint} (${a.key.driftMode} ${Object.values(a.key.subject).join('/')})`);
  if (matches.length > 1) throw new PromoteError(`--alert "${fingerprint}" matches ${matches.length} alerts; give more of the fingerprint`);
  const alert = matches[0];
  if (!alert) {
    const list = known();
    throw new PromoteError(`no alert with fingerprint "${fingerprint}" in the alert state${list.length > 0 ? `; alerts with patterns: ${list.join(', ')}` : ' (no alert there has patterns yet)'}`);
  }
  const result = alert.lastResult;
  const patterns = result?.evidence.patterns ?? [];
  const sample = result?.evidence.patternSample as PatternSample | undefined;
  if (!result || patterns.length === 0 || !sample)
    throw new PromoteError(`alert ${alert.fingerprint} has no failure patterns (its last drifting verdict found none, or was recorded before patterns existed)`);
  const chosen =
    names.length === 0
      ? patterns
      : names.map((name) => {
          const p = patterns.find((x) => x.name === name);
          if (!p) throw new PromoteError(`alert ${alert.fingerprint} has no pattern named "${name}"; its patterns: ${patterns.map((x) => JSON.stringify(x.name)).join(', ')}`);
          return p;
        });
  return { alert, result, patterns: chosen, window: { from: new Date(sample.window.from), to: new Date(sample.window.to) } };
}
