import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('feeds input on stdin, returns raw stdout, and reports what git said when it fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-git-'));
    dirs.push(dir);
    const env = { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    const git = gitRunner(dir, env);
    await git.run(['init', '--quiet', '--bare']);
    const id = (await git.run(['hash-object', '-w', '--stdin'], { input: 'hello\n' })).trim();
    expect(id).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const raw = await git.runBuffer(['cat-file', '--batch'], { input: `${id}\n` });
    expect(raw.toString('utf8')).toBe(`${id} blob 6\nhello\n\n`);
    // A command that prints nothing on success (the store's ref updates and fetches).
    expect(await git.run(['update-ref', 'refs/entente/x', id])).toBe('');
    const missing = await git.attempt(['cat-file', '-p', 'refs/entente/nope']);
    expect(missing).toEqual({ ok: false, output: expect.stringMatching(/fatal: Not a valid object name/) });
    // Messages name the command, not the options before it.
    await expect(
      git.run(['-c', 'core.quotePath=false', 'cat-file', '-p', 'refs/entente/nope']),
    ).rejects.toThrow(/^git cat-file failed in /);
    await expect(git.run(['cat-file', '-p', 'refs/entente/nope'])).rejects.toThrow(
      new RegExp(
        `git cat-file failed in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: fatal: Not a valid object name`,
      ),
    );
  });

  it('reads the project branch and commit from plain checkout files as git would, and asks git otherwise', async () => {
    const root = mkdtempSync(join(tmpdir(), 'entente-git-'));
    dirs.push(root);
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    };
    const project = join(root, 'project');
    const git = gitRunner(root, env);
    await git.run(['init', '--quiet', '--initial-branch=feature/x', project]);
    const inProject = gitRunner(project, env);
    // An unborn branch: no commit to report.
    expect(await readProjectGit(project, env)).toEqual({});
    await inProject.run(['commit', '--quiet', '--allow-empty', '-m', 'one']);
    const first = (await inProject.run(['rev-parse', 'HEAD'])).trim();
    const sub = join(project, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    expect(await readProjectGit(project, env)).toEqual({ branch: 'feature/x', commit: first });
    expect(await readProjectGit(sub, env)).toEqual({ branch: 'feature/x', commit: first });
    // Packed refs, as after `git gc`.
    await inProject.run(['pack-refs', '--all']);
    expect(await readProjectGit(sub, env)).toEqual({ branch: 'feature/x', commit: first });
    // Detached.
    await inProject.run(['commit', '--quiet', '--allow-empty', '-m', 'two']);
    await inProject.run(['checkout', '--quiet', '--detach', first]);
    expect(await readProjectGit(project, env)).toEqual({ commit: first });
    // A linked worktree has a .git file: git answers, with the same result.
    await inProject.run(['worktree', 'add', '--quiet', '-b', 'other', join(root, 'linked'), first]);
    expect(await readProjectGit(join(root, 'linked'), env)).toEqual({ branch: 'other', commit: first });
    // GIT_DIR points elsewhere: git answers for that repository.
    expect(await readProjectGit(root, { ...env, GIT_DIR: join(project, '.git') })).toEqual({ commit: first });
    // A HEAD naming a ref outside the refs folder: git refuses it, and so does entente.
    writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/../../evil\n');
    writeFileSync(join(project, '.git', 'evil'), `${first}\n`);
    expect(await readProjectGit(project, env)).toEqual({});
    // Not in a repository at all.
    const outside = join(root, 'outside');
    mkdirSync(outside);
    expect(await readProjectGit(outside, env)).toEqual({});
  });
});
