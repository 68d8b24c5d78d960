import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRunner } from './git.js';
import { readProjectGit } from './project-git.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the git runner', () => {
  it('reports a failing command that prints nothing as a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-git-'));
    dirs.push(dir);
    const env = { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    const git = gitRunner(dir, env);
    await git.run(['init', '--quiet']);
    const probe = await git.attempt(['rev-parse', '--verify', '--quiet', 'HEAD']);
    expect(probe.ok).toBe(false);
    await expect(git.run(['rev-parse', '--verify', '--quiet', 'HEAD'])).rejects.toThrow(/exited with code 1/);
    // A repository without a commit has no branch or commit to report.
    expect(await readProjectGit(dir, env)).toEqual({});
  });
});
