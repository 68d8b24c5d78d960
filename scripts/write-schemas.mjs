// Writes the JSON Schemas of every contracts-repo file kind (and of .entente.yml)
// to schemas/, from the TypeBox definitions in src/. Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { schemaFiles } from '../dist/model/schema-files.js';

for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(new URL(`../schemas/${name}`, import.meta.url), text);
  console.log(`schemas/${name}`);
}
