/**
 * Pushes into a non-bare repository (the default local one) update its
 * checked-out files (git's updateInstead). Two such pushes at once race on
 * the working tree, and the loser can leave it looking edited ("Working
 * directory has staged changes") for every later push. So entente processes
 * take turns: a lock file beside the repository's own, created exclusively,
 * held only for the push. A lock left by a process that died is taken over.
 */

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { GitError } from '../errors.js';

const STALE_AFTER_MS = 120_000;

export async function withPushLock<T>(
  lockPath: string,
  timeoutMs: number,
  push: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GitError(
          'git.lock',
          `could not take the push lock ${lockPath}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      if (await isStale(lockPath)) {
        // Renamed first, so two processes that both found it stale cannot remove a fresh lock.
        const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
        if (
          await rename(lockPath, aside).then(
            () => true,
            () => false,
          )
        )
          await rm(aside, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new GitError(
          'git.lock',
          `waited ${Math.round(timeoutMs / 1000)} s for ${lockPath}: another entente process is pushing (remove the file if none is running)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
  try {
    return await push();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  const [text, info] = await Promise.all([
    readFile(lockPath, 'utf8').catch(() => undefined),
    stat(lockPath).catch(() => undefined),
  ]);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > STALE_AFTER_MS) return true;
  const pid = Number(text);
  // An empty file is a lock being written right now.
  if (!text || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
