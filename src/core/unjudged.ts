/**
 * The one way to build a verdict that judged nothing: `no_data` (too little data, none of the
 * spans a signal reads, a stalled source, a baseline too thin to compare with) or `error` (the
 * signal failed). Such a verdict never carries a p-value or example traces: there is no finding
 * behind it, only the reason in its message.
 */
import type { Evidence, SignalResult } from './verdict.ts';

/** What is known of a verdict that judged nothing: what names it, and what was counted so far. */
export interface Unjudged extends Pick<SignalResult, 'signal' | 'driftMode' | 'layer' | 'subject'> {
  samples?: SignalResult['samples'];
  value?: number | null;
  baseline?: number | null;
}

/** Notes a verdict that judged nothing may carry (why, what was seen); never example traces. */
export type Notes = Omit<Partial<Evidence>, 'traceIds'>;

export function noData(about: Unjudged, message: string, notes: Notes = {}): SignalResult {
  return unjudged('no_data', about, message, notes);
}

export function failed(about: Unjudged, message: string): SignalResult {
  return unjudged('error', about, message, {});
}

function unjudged(status: 'no_data' | 'error', about: Unjudged, message: string, notes: Notes): SignalResult {
  return {
    signal: about.signal,
    driftMode: about.driftMode,
    layer: about.layer,
    subject: about.subject,
    status,
    value: about.value ?? null,
    baseline: about.baseline ?? null,
    samples: about.samples ?? { current: 0, baseline: 0 },
    pValue: null,
    evidence: { ...notes, traceIds: [] },
    message,
  };
}
