import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from './main.js';
import { renderCliReference } from './reference.js';

describe('the CLI reference', () => {
  it('docs/cli.md is what the commands say about themselves (run `npm run docs:cli` after changing usage text)', () => {
    expect(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8')).toBe(renderCliReference());
  });

  it('every command has a description and examples', () => {
    for (const command of commands) {
      expect(command.usage?.description, command.paths?.[0]?.join(' ')).toBeTruthy();
      expect(command.usage?.examples?.length ?? 0, command.paths?.[0]?.join(' ')).toBeGreaterThan(0);
    }
  });
});
