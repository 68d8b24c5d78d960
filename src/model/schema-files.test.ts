import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from './schema-files.js';

const dir = new URL('../../schemas/', import.meta.url);

describe('schemas/', () => {
  it('holds exactly the schemas generated from the TypeBox definitions (run `npm run schemas` after changing them)', () => {
    const expected = schemaFiles();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      expect(readFileSync(new URL(name, dir), 'utf8'), name).toBe(text);
    }
  });
});
