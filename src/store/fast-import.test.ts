import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FastImport, type PathEntry } from './fast-import.js';
import { gitRunner } from './git.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("fast-import's ls", () => {
  it('answers many paths of one folder from the folder listing exactly as one ls per path does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-fast-import-'));
    dirs.push(dir);
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env }).toString();
    git('init', '--quiet', '--bare');
    const files = [
      ...Array.from({ length: 20 }, (_, i) => `a/${i}.json`),
      'a/sub/deep.json',
      'a/link',
      'b',
      ...Array.from({ length: 20 }, (_, i) => `c/d/${i}.json`),
    ];
    const stream = [
      'commit refs/heads/main\ncommitter a <a@example.invalid> 1700000000 +0000\ndata 1\nx\n',
      ...files.map((path) =>
        path === 'a/link'
          ? `M 120000 inline ${path}\ndata 4\nb/c\n`
          : `M 100644 inline ${path}\ndata 3\n${path.length}\n\n`,
      ),
    ];
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: stream.join('') });
    const commit = git('rev-parse', 'main').trim();
    // Existing files, missing ones beside them, a folder, a symbolic link, a path under a file, a missing folder.
    const paths = [
      ...files,
      ...Array.from({ length: 20 }, (_, i) => `a/missing-${i}.json`),
      'a/sub',
      ...Array.from({ length: 20 }, (_, i) => `b/under-a-file-${i}`),
      ...Array.from({ length: 20 }, (_, i) => `nope/${i}.json`),
    ];
    const expected = (path: string): PathEntry | undefined => {
      const line = git('ls-tree', commit, '--', path).trim();
      const found = /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40})\t/.exec(line);
      return found ? { mode: found[1]!, type: found[2] as PathEntry['type'], oid: found[3]! } : undefined;
    };
    const fastImport = FastImport.start(gitRunner(dir, env));
    try {
      const answers = await fastImport.ls(commit, paths);
      for (const path of paths) expect(answers.get(path), path).toEqual(expected(path));
      expect(answers.get('a/link')?.mode).toBe('120000');
      expect(answers.get('a/sub')?.type).toBe('tree');
    } finally {
      await fastImport.finish();
    }
  });
});
