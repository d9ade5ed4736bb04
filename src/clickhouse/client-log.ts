/**
 * The ClickHouse client's own log lines (a socket that failed while idle, a response it could not
 * decode), written through driftwatch's logger instead of being dropped, so they share its
 * format, level and redaction. The client's `Config` advice is about options driftwatch sets
 * itself (it sends no per-query setting a readonly=1 user would reject), so an operator cannot act
 * on it: it goes to debug.
 */
import { ClickHouseLogLevel, type Logger as ClientLogger } from '@clickhouse/client';
import type { Logger } from 'pino';

interface Params {
  module: string;
  message: string;
  args?: Record<string, unknown>;
  err?: Error;
}

/** The client's `log` option: its lines at warn and above, through `log`. */
export function clientLogOption(log: Logger): { LoggerClass: new () => ClientLogger; level: ClickHouseLogLevel } {
  const child = log.child({ component: 'clickhouse-client' });
  const write = (level: 'debug' | 'warn' | 'error', { module, message, args, err }: Params) => child[level]({ module, ...(args ? { args } : {}), ...(err ? { err } : {}) }, message);
  class DriftwatchClientLogger implements ClientLogger {
    trace(p: Params) {
      write('debug', p);
    }
    debug(p: Params) {
      write('debug', p);
    }
    info(p: Params) {
      write('debug', p);
    }
    warn(p: Params) {
      write(p.module === 'Config' ? 'debug' : 'warn', p);
    }
    error(p: Params & { err: Error }) {
      write('error', p);
    }
  }
  return { LoggerClass: DriftwatchClientLogger, level: ClickHouseLogLevel.WARN };
}
