import { configSchemas } from '../config/schema.js';
import { prettyJson } from '../util/canonical-json.js';
import { recordSchemas } from './records.js';

/** The text of every file in `schemas/`, by file name. */
export function schemaFiles(): Record<string, string> {
  const all = { ...recordSchemas, ...configSchemas };
  return Object.fromEntries(
    Object.entries(all).map(([name, schema]) => [
      name,
      prettyJson({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }),
    ]),
  );
}
