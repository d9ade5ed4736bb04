/**
 * Log lines for people at a terminal: `2026-11-27T09:41:02.123Z INFO  cycle finished drifting=1
 * tookMs=4s`. The same records as the JSON lines, read by pino's own level and time fields;
 * durations (fields named `…Ms`, `ms`) are written as `5m`, `1h30m`. Values that came from
 * traces stay escaped: every string with a space, quote or control character is written as JSON,
 * and the message, keys and values have every control character (CR/LF that would forge a line, ESC
 * that would drive the terminal, DEL, C1, bidirectional overrides) written as a visible escape.
 */
import { formatDuration } from '../config/duration.ts';
import { visibleEscapes } from '../core/escape.ts';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every record has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname']);
const DURATION_KEY = /(?:^ms$|Ms$)/;

/** An error as pino serializes it (`{ err }`): people read its message; the JSON lines keep its type and stack. */
const isSerializedError = (key: string, v: unknown): v is { message: string } => key === 'err' && typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';

function value(key: string, v: unknown): string {
  if (isSerializedError(key, v)) return value('message', v.message);
  if (typeof v === 'number' && DURATION_KEY.test(key) && Number.isFinite(v) && v >= 0) return v < 1000 ? `${Math.round(v)}ms` : formatDuration(Math.round(v / 1000) * 1000);
  if (typeof v === 'string') return /^[\w.:/@+-]+$/.test(v) ? v : visibleEscapes(JSON.stringify(v));
  // JSON escapes C0 controls itself; DEL, C1 and the separators it leaves raw.
  return visibleEscapes(JSON.stringify(v, (k, inner) => (typeof inner === 'number' && DURATION_KEY.test(k) && inner >= 1000 ? formatDuration(inner) : inner)) ?? 'undefined');
}

/** One JSON log line as a human line (a line that is not JSON passes unchanged). */
export function humanLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `${visibleEscapes(json.endsWith('\n') ? json.slice(0, -1) : json)}\n`;
  }
  const time = typeof record.time === 'string' ? record.time : new Date(Number(record.time ?? Date.now())).toISOString();
  const level = (LEVELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([k]) => !HEAD.has(k))
    .map(([k, v]) => `${visibleEscapes(k)}=${value(k, v)}`);
  return `${visibleEscapes(time)} ${visibleEscapes(level)} ${visibleEscapes(String(record.msg ?? ''))}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`;
}
