/** Field builders shared by the config schema and the signals' config fragments. */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * No duration in a config means more than a year: longer ones are typos (`9999999999d`) that would
 * pass validation and then break date arithmetic at run time.
 */
export const MAX_DURATION_MS = 366 * 86_400_000;
/** Timers cannot wait longer than 2^31 - 1 ms (24.8 days): a longer timeout would fire at once. */
export const MAX_TIMER_MS = 24 * 86_400_000;

function toMilliseconds(text: string, ctx: z.RefinementCtx, max = MAX_DURATION_MS): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 5m, 1h, 7d)` });
    return z.NEVER;
  }
  if (ms > max) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is longer than ${max === MAX_TIMER_MS ? '24d, the longest a timer can wait' : '366d, the longest any duration here can be'}` });
    return z.NEVER;
  }
  return ms;
}

/** A duration written as text (`30s`, `1h`, `7d`), validated and turned into milliseconds. */
export const duration = (description: string, fallback: string, max = MAX_DURATION_MS) =>
  z
    .string()
    .default(fallback)
    .describe(`${description} Written as e.g. 30s, 5m, 1h, 7d. Default ${fallback}.`)
    .transform((text, ctx) => toMilliseconds(text, ctx, max));

/** A duration a timer waits for (a timeout, a grace period): at most 24 days. */
export const timerDuration = (description: string, fallback: string) => duration(description, fallback, MAX_TIMER_MS);

/** The same without a default: absent stays undefined. */
export const optionalDuration = (description: string) =>
  z
    .string()
    .optional()
    .describe(`${description} Written as e.g. 30s, 5m, 1h, 7d.`)
    .transform((text, ctx) => (text === undefined ? undefined : toMilliseconds(text, ctx)));
