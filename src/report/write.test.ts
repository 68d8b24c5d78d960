import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSite } from './write.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('writeSite', () => {
  it('writes the pages, and refuses one a hostile folder name would put outside the site', async () => {
    const root = mkdtempSync(join(tmpdir(), 'entente-site-'));
    dirs.push(root);
    const out = join(root, 'site');
    expect(await writeSite(out, new Map([['services/a.html', 'a']]))).toEqual({ files: 1, bytes: 1 });
    expect(readFileSync(join(out, 'services/a.html'), 'utf8')).toBe('a');
    await expect(writeSite(out, new Map([['services/../../escaped.html', 'x']]))).rejects.toThrow(
      /would be written outside/,
    );
    expect(existsSync(join(root, 'escaped.html'))).toBe(false);
  });
});
