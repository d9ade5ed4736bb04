/** The config's JSON Schema (as written, before defaults), for editors; generated from the zod schema. */
import { z } from 'zod';
import { configSchema } from './schema.ts';

export function configJsonSchema(): object {
  return { title: 'driftwatch configuration', ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) };
}
