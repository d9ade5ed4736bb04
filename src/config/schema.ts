/**
 * The one schema of the configuration file: the shape of every section (src/config/shape.ts) with
 * each registered signal's own section under `signals`. Loading, `check-config` and
 * config/schema.json all use this.
 */
import { composeConfigSchema } from './shape.ts';
import { SIGNALS } from '../signals/index.ts';

/** Each registered signal's section, in the registry's order. */
export const SIGNAL_SECTIONS = SIGNALS.map((s) => s.config);

export const configSchema = composeConfigSchema(SIGNAL_SECTIONS);
