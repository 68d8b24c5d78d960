import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const markdown = [
  'README.md',
  'bench/README.md',
  'examples/contractors/README.md',
  ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`),
].filter((file) => file.endsWith('.md'));

describe('documentation links', () => {
  it.each(markdown)('every relative link in %s points at a file that exists', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const broken = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1]!)
      .filter((link) => !/^[a-z]+:/.test(link))
      .filter((link) => !existsSync(normalize(join(root, dirname(file), link))));
    expect(broken).toEqual([]);
  });
});
