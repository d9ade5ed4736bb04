// Writes config/schema.json (for editor completion) from the zod schema; a test keeps it in sync.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.ts';

writeFileSync(new URL('../config/schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
