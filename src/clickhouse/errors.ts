/** ClickHouse failures classified once, at the boundary, into messages that carry no secret. */

export type SourceErrorKind = 'auth' | 'unreachable' | 'timeout' | 'version' | 'schema' | 'query';

/** A trace-source failure with a one-line, secret-free message; `cause` keeps the original. */
export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }

  /** Whether waiting and trying again may help (the daemon keeps running either way). */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout';
  }
}

const AUTH_CODES = new Set([192, 193, 194, 516]);
const TIMEOUT_CODES = new Set([159, 160, 209, 394]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** ClickHouse's numeric error code: chDB and new servers set `code`; old servers only say `Code: N` in the text. */
export function clickhouseCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e && typeof e.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (e && typeof e.code === 'number') return e.code;
  const match = typeof e?.message === 'string' ? /Code: (\d+)/.exec(e.message) : null;
  return match ? Number(match[1]) : undefined;
}

/** Turns anything thrown by the client into a SourceError naming `target` (never its password). */
export function classify(err: unknown, target: string, secrets: string[] = []): SourceError {
  if (err instanceof SourceError) return err;
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  const code = clickhouseCode(err);
  const text = scrub(firstLine(typeof e?.message === 'string' ? e.message : String(err)), secrets);
  if (code !== undefined && AUTH_CODES.has(code)) {
    return new SourceError('auth', `ClickHouse at ${target} rejected the credentials (code ${code}): ${text}`, { cause: err });
  }
  if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code)) {
    return new SourceError('unreachable', `ClickHouse at ${target} is unreachable (${e.code})`, { cause: err });
  }
  if ((code !== undefined && TIMEOUT_CODES.has(code)) || e?.name === 'AbortError' || /timeout/i.test(text)) {
    return new SourceError('timeout', `ClickHouse at ${target} timed out: ${text}`, { cause: err });
  }
  return new SourceError('query', `ClickHouse at ${target} failed${code !== undefined ? ` (code ${code})` : ''}: ${text}`, { cause: err });
}

/** The first line of what was thrown, for one-line messages. */
export function firstLineOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line
    .replace(/,?\s*e\.what\(\) = DB::Exception$/, '')
    .replace(/^Code: \d+,\s*e\.displayText\(\) = /, '')
    .slice(0, 400)
    .trim();
}

function scrub(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('[redacted]'), text);
}
