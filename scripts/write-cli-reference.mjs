// Writes docs/cli.md from the commands' usage text. Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { renderCliReference } from '../dist/cli/reference.js';

writeFileSync(new URL('../docs/cli.md', import.meta.url), renderCliReference());
console.log('docs/cli.md');
