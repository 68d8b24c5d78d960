/**
 * Where code lives (issue 14): the CLI is a shell over the library, so nothing
 * outside src/cli imports from it; renderers live in src/render; the
 * OpenAPI code in src/openapi does no contracts-repository I/O of its own;
 * pull-request code is not part of the contracts store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as a path under src/ (e.g. `cli/output.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  return specifiers.map((specifier) =>
    relative(src, resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
      .split('\\')
      .join('/'),
  );
}

const files = sourceFiles(src).map((file) => ({
  path: relative(src, file).split('\\').join('/'),
  imports: importsOf(file),
}));

const violations = (from: (path: string) => boolean, to: (target: string) => boolean) =>
  files.flatMap((file) =>
    from(file.path) ? file.imports.filter(to).map((target) => `src/${file.path} imports src/${target}`) : [],
  );

describe('source layout', () => {
  it('reads the imports it checks (the check itself can fail)', () => {
    const main = files.find((file) => file.path === 'cli/main.ts');
    expect(main?.imports.some((target) => target.startsWith('cli/'))).toBe(true);
  });

  it('sorts text with compareText, never localeCompare (locale-dependent order, ~20 ms to load ICU collation)', () => {
    const users = files.filter(
      (file) =>
        !file.path.endsWith('.test.ts') &&
        /\.localeCompare\(/.test(readFileSync(join(src, file.path), 'utf8')),
    );
    expect(users.map((file) => file.path)).toEqual([]);
  });

  it('nothing outside src/cli imports from src/cli', () => {
    expect(
      violations(
        (path) => !path.startsWith('cli/'),
        (target) => target.startsWith('cli/'),
      ),
    ).toEqual([]);
  });

  it('src/openapi does no contracts-repository or git I/O', () => {
    expect(
      violations(
        (path) => path.startsWith('openapi/'),
        (target) => /^(store|provider-spec|pull-request|config)\//.test(target),
      ),
    ).toEqual([]);
    const gitUsers = files.filter(
      (file) =>
        file.path.startsWith('openapi/') &&
        /from ['"](?:node:)?child_process['"]/.test(readFileSync(join(src, file.path), 'utf8')),
    );
    expect(gitUsers.map((file) => file.path)).toEqual([]);
  });

  it('pull-request code lives apart from the contracts store', () => {
    expect(files.filter((file) => file.path.startsWith('store/') && /pull-request/.test(file.path))).toEqual(
      [],
    );
    expect(
      violations(
        (path) => path.startsWith('store/'),
        (target) => target.startsWith('pull-request/'),
      ),
    ).toEqual([]);
  });

  it('CLI commands reach the contracts repository through the library handle, not the store', () => {
    const commands = (path: string) => path.startsWith('cli/commands/');
    expect(commands('cli/commands/status.ts') && files.some((file) => commands(file.path))).toBe(true);
    expect(
      violations(commands, (target) => target.startsWith('store/') || target === 'config/open-store.ts'),
    ).toEqual([]);
    // `entente record` still opens a store of its own for the mocks it starts (src/record/mocks.ts takes one).
    const openers = files.filter(
      (file) => commands(file.path) && /\.openStore\(/.test(readFileSync(join(src, file.path), 'utf8')),
    );
    expect(openers.map((file) => file.path)).toEqual(['cli/commands/record.ts']);
  });

  it('renderers live in src/render: CLI commands define no render functions of their own', () => {
    const renderers = files.filter(
      (file) =>
        file.path.startsWith('cli/commands/') &&
        /^(export )?function render/m.test(readFileSync(join(src, file.path), 'utf8')),
    );
    expect(renderers.map((file) => file.path)).toEqual([]);
  });

  it('terminal colours are used only by renderers and the CLI', () => {
    const painters = files.filter((file) =>
      /from ['"]picocolors['"]/.test(readFileSync(join(src, file.path), 'utf8')),
    );
    expect(painters.map((file) => file.path).filter((path) => !/^(cli|render)\//.test(path))).toEqual([]);
  });
});
