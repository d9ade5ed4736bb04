/**
 * An HTTP `Retry-After` header as a delay (RFC 9110 §10.2.3): either whole seconds or an HTTP
 * date. A value that is neither, or a date already past, gives no hint (undefined), and the
 * outbox's own backoff decides.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (!/[a-z]/i.test(value) || Number.isNaN(at) || at <= now) return undefined;
  return at - now;
}
