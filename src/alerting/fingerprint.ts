/** Stable identities: one fingerprint per (drift mode, signal, subject), deterministic ids for idempotent delivery. */
import { createHash } from 'node:crypto';
import type { SignalResult } from '../core/verdict.ts';

/**
 * 16 hex characters naming one alertable thing (a drift mode in one layer for one subject, e.g.
 * tool-API drift of refund_payment); the same across restarts and replicas.
 */
export function fingerprint(r: Pick<SignalResult, 'driftMode' | 'layer' | 'subject'>): string {
  const subject = Object.keys(r.subject)
    .sort()
    .map((k) => `${k}=${r.subject[k]}`)
    .join(',');
  return createHash('sha256').update(`${r.driftMode}|${r.layer}|${subject}`).digest('hex').slice(0, 16);
}

/** A UUID (v4 layout) derived from a key, so two replicas creating "the same" object send the same id. */
export function deterministicUuid(key: string): string {
  const h = createHash('sha256').update(key).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
