/**
 * The process's logger. Logs go to stderr, so stdout stays free for `once --json`; every line
 * passes the redactor, so a secret is removed whatever field or error message carries it.
 * JSON lines (ISO times) for machines; on a terminal, or when asked, lines for people.
 */
import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type { Config } from '../config/shape.ts';
import { Redactor } from '../config/secrets.ts';
import { humanLine } from './human.ts';
import { jsonEscapes } from '../core/escape.ts';

export type LogFormat = 'auto' | 'json' | 'human';

/** `auto`: lines for people when stderr is a terminal, JSON otherwise (a file, a pipe, a log shipper). */
export function resolveLogFormat(format: LogFormat, stderrIsTTY = process.stderr.isTTY === true): 'json' | 'human' {
  return format === 'auto' ? (stderrIsTTY ? 'human' : 'json') : format;
}

export function createLogger(level: Config['log']['level'] = 'info', redactor: Redactor = new Redactor(), format: LogFormat = 'json'): Logger {
  const human = resolveLogFormat(format) === 'human';
  return pino(
    {
      level,
      base: { app: 'driftwatch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.password', '*.apiKey', '*.token', '*.*.password', '*.*.apiKey', '*.*.token'], censor: '[redacted]' },
      hooks: { streamWrite: (line) => jsonEscapes(redactor.text(line)) },
    },
    human ? { write: (line: string) => void writeSync(2, humanLine(line.trimEnd())) } : pino.destination(2),
  );
}
