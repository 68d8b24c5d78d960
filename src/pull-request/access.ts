import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { readPackageVersion } from '../package-version.js';
import type { GitHubAccess } from './pull-request.js';

/** How to reach GitHub from `env` (resolved once, at the edge): its token, API URL and `gh` on the PATH. */
export async function githubAccess(env: Record<string, string | undefined>): Promise<GitHubAccess> {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  const gh = await findExecutable('gh', env.PATH ?? '');
  return {
    ...(token ? { token } : {}),
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    ...(gh ? { gh } : {}),
    userAgent: `entente/${readPackageVersion()}`,
    env,
  };
}

async function findExecutable(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}
