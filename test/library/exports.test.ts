/**
 * The package exports exactly what docs/library.md documents: its "Every
 * export" section lists the values and the types, and both lists are compared
 * with the entry point (the values at run time, every name through the
 * TypeScript compiler), so a new export needs its documentation and a
 * documented name cannot disappear.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const docs = readFileSync(new URL('../../docs/library.md', import.meta.url), 'utf8');
const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

function documented(marker: string): string[] {
  const section = new RegExp(`<!-- exports:${marker} -->([\\s\\S]*?)<!-- /exports:${marker} -->`).exec(docs);
  if (!section) throw new Error(`docs/library.md has no <!-- exports:${marker} --> section`);
  return [...section[1]!.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).sort();
}

function exportedNames(): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker
    .getExportsOfModule(module)
    .map((symbol) => symbol.name)
    .sort();
}

describe('the public exports', () => {
  it('are, at run time, exactly the values docs/library.md lists', async () => {
    const values = documented('values');
    expect(values.length).toBeGreaterThan(10);
    expect(new Set(values).size, 'a value listed twice').toBe(values.length);
    expect(Object.keys(await import('../../src/index.js')).sort()).toEqual(values);
  });

  it('are, with the types, exactly the names docs/library.md lists', () => {
    const names = [...documented('values'), ...documented('types')].sort();
    expect(new Set(names).size, 'a name listed twice').toBe(names.length);
    expect(exportedNames()).toEqual(names);
  });
});
