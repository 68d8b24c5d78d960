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

/** Every file a user copies commands or imports from: the docs, the README and the examples. */
function userFacingFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(md|ya?ml|ts|sh|py)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length));
}

describe('the package name', () => {
  // The npm name `entente` belongs to an unrelated package: `npx entente` would run it.
  it.each(['README.md', ...userFacingFiles('docs'), ...userFacingFiles('examples')])(
    '%s never runs `npx entente` nor imports `entente`',
    (file) => {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text.match(/npx (--yes |-y )?entente\b(?!-)/g) ?? []).toEqual([]);
      expect(text.match(/from ['"]entente['"]/g) ?? []).toEqual([]);
    },
  );
});
