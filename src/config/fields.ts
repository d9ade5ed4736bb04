/** Field builders shared by the config schema and the signals' config fragments. */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

function toMilliseconds(text: string, ctx: z.RefinementCtx): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use e.g. 30s, 5m, 1h, 7d)` });
    return z.NEVER;
  }
  return ms;
}

/** A duration written as text (`30s`, `1h`, `7d`), validated and turned into milliseconds. */
export const duration = (description: string, fallback: string) =>
  z.string().default(fallback).describe(`${description} Written as e.g. 30s, 5m, 1h, 7d. Default ${fallback}.`).transform(toMilliseconds);

/** The same without a default: absent stays undefined. */
export const optionalDuration = (description: string) =>
  z
    .string()
    .optional()
    .describe(`${description} Written as e.g. 30s, 5m, 1h, 7d.`)
    .transform((text, ctx) => (text === undefined ? undefined : toMilliseconds(text, ctx)));
