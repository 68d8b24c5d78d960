/**
 * Opening a pull (merge) request on the contracts repository's host for a
 * review branch: GitHub through its REST API (a token) or the `gh` CLI,
 * GitLab through push options given with the push itself, anything else by
 * telling the user what to open. Tokens, the API URL and where `gh` lives are
 * resolved at the edge and passed in.
 */
import { execFile } from 'node:child_process';
import { ConfigError, IoError } from '../errors.js';
import type { GitEnv } from '../store/git.js';
import type { ContractsLocation } from '../store/location.js';

/** Where the contracts repository is hosted, as far as pull requests go. */
export type PullRequestHost =
  | {
      kind: 'github';
      /** The host name (`github.com`, or a GitHub Enterprise host). */
      hostname: string;
      owner: string;
      repo: string;
    }
  | { kind: 'gitlab' }
  | { kind: 'none' };

/** `.entente.yml` `pullRequests`: overrides what the contracts URL says. */
export interface PullRequestSettings {
  host?: 'github' | 'gitlab' | 'none';
  /** `owner/name` on GitHub. */
  repository?: string;
}

/** How to reach GitHub, resolved at the edge. */
export interface GitHubAccess {
  /** GITHUB_TOKEN (or GH_TOKEN): the REST API is used when present. */
  token?: string;
  /** The REST API base URL; default https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise. */
  apiUrl?: string;
  /** The `gh` executable, when installed: used when there is no token. */
  gh?: string;
  /** Sent as User-Agent. */
  userAgent: string;
  /** The environment `gh` runs with. */
  env: GitEnv;
}

export interface PullRequestRequest {
  branch: string;
  base: string;
  title: string;
  body: string;
}

export interface OpenedPullRequest {
  via: 'github-api' | 'gh' | 'gitlab-push-options' | 'none';
  url?: string;
  number?: number;
  /** What to do next when nothing was opened automatically. */
  instructions?: string;
}

/** Pure: the host of the contracts repository, from its URL and the settings. */
export function pullRequestHost(
  location: ContractsLocation,
  settings: PullRequestSettings = {},
): PullRequestHost {
  const remote = location.kind === 'url' ? parseRemoteUrl(location.url) : undefined;
  const kind =
    settings.host ??
    (remote?.hostname === 'github.com' ? 'github' : remote?.hostname.includes('gitlab') ? 'gitlab' : 'none');
  if (kind !== 'github') return { kind };
  const repository =
    settings.repository ?? (remote?.owner && remote.repo ? `${remote.owner}/${remote.repo}` : undefined);
  const match = repository ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository) : null;
  if (!match) {
    throw new ConfigError(
      'config.pull-requests',
      `pullRequests.repository: expected "owner/name" of the contracts repository on GitHub${repository ? `, not ${JSON.stringify(repository)}` : ''}`,
      { details: [{ where: 'pullRequests.repository', message: 'e.g. acme/contracts' }] },
    );
  }
  return { kind: 'github', hostname: remote?.hostname ?? 'github.com', owner: match[1]!, repo: match[2]! };
}

/** The push options that make GitLab open a merge request for the pushed branch. */
export function gitlabPushOptions(request: Omit<PullRequestRequest, 'branch' | 'body'>): string[] {
  return [
    'merge_request.create',
    `merge_request.target=${request.base}`,
    `merge_request.title=${request.title.replace(/[\r\n]+/g, ' ')}`,
  ];
}

/** Opens the pull request for a pushed branch, or says how to. Failures of the host are IoErrors naming the branch. */
export async function openPullRequest(
  host: PullRequestHost,
  access: GitHubAccess,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  if (host.kind === 'gitlab') return { via: 'gitlab-push-options' };
  if (host.kind === 'none') {
    return {
      via: 'none',
      instructions: `open a pull request from ${request.branch} into ${request.base} on the contracts repository's host, or merge it there: git fetch origin && git merge origin/${request.branch}`,
    };
  }
  if (access.token) return createWithRestApi(host, access, request);
  if (access.gh) return createWithGh(host, access, request);
  return {
    via: 'none',
    instructions: `neither the gh CLI is installed nor GITHUB_TOKEN is set, so no pull request was opened: open it at ${compareUrl(host, request)} (or install gh, or set GITHUB_TOKEN, and run the command again with another --branch)`,
  };
}

const GITHUB_API_VERSION = '2022-11-28';

async function createWithRestApi(
  host: Extract<PullRequestHost, { kind: 'github' }>,
  access: GitHubAccess,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  const base = (
    access.apiUrl ??
    (host.hostname === 'github.com' ? 'https://api.github.com' : `https://${host.hostname}/api/v3`)
  ).replace(/\/+$/, '');
  const url = `${base}/repos/${host.owner}/${host.repo}/pulls`;
  const failure = (why: string, cause?: unknown) =>
    new IoError(
      'io.pull-request',
      `branch ${request.branch} was pushed, but GitHub did not open the pull request (POST ${url}): ${why}; open it at ${compareUrl(host, request)}`,
      cause === undefined ? {} : { cause },
    );
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${access.token}`,
        'Content-Type': 'application/json',
        'User-Agent': access.userAgent,
        'X-GitHub-Api-Version': GITHUB_API_VERSION,
      },
      body: JSON.stringify({
        title: request.title,
        head: request.branch,
        base: request.base,
        body: request.body,
      }),
    });
  } catch (error) {
    throw failure((error as Error).message, error);
  }
  const text = await response.text();
  const json = parseJsonObject(text);
  if (!response.ok) {
    const errors = Array.isArray(json?.errors)
      ? (json.errors as { message?: string }[]).map((e) => e.message).filter(Boolean)
      : [];
    throw failure(
      `${response.status} ${typeof json?.message === 'string' ? json.message : response.statusText}${errors.length ? ` (${errors.join('; ')})` : ''}`,
    );
  }
  return {
    via: 'github-api',
    ...(typeof json?.html_url === 'string' ? { url: json.html_url } : {}),
    ...(typeof json?.number === 'number' ? { number: json.number } : {}),
  };
}

function createWithGh(
  host: Extract<PullRequestHost, { kind: 'github' }>,
  access: GitHubAccess,
  request: PullRequestRequest,
): Promise<OpenedPullRequest> {
  const args = [
    'pr',
    'create',
    '--repo',
    `${host.hostname}/${host.owner}/${host.repo}`,
    '--base',
    request.base,
    '--head',
    request.branch,
    '--title',
    request.title,
    '--body',
    request.body,
  ];
  return new Promise((resolve, reject) => {
    execFile(access.gh!, args, { env: cleanEnv(access.env) }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new IoError(
            'io.pull-request',
            `branch ${request.branch} was pushed, but \`gh pr create\` failed: ${(stderr || error.message).trim()}; open it at ${compareUrl(host, request)}`,
            { cause: error },
          ),
        );
        return;
      }
      const url = /https?:\/\/\S+/.exec(stdout)?.[0];
      resolve({ via: 'gh', ...(url ? { url } : {}) });
    });
  });
}

function compareUrl(host: Extract<PullRequestHost, { kind: 'github' }>, request: PullRequestRequest): string {
  return `https://${host.hostname}/${host.owner}/${host.repo}/compare/${request.base}...${request.branch}?expand=1`;
}

/** `https://host/owner/repo(.git)`, `ssh://git@host[:port]/owner/repo`, `git@host:group/sub/repo.git`. */
function parseRemoteUrl(url: string): { hostname: string; owner?: string; repo?: string } | undefined {
  const scp = /^[^@/\s]+@([^:/\s]+):(.*)$/.exec(url);
  let hostname: string;
  let path: string;
  if (scp) {
    hostname = scp[1]!;
    path = scp[2]!;
  } else {
    try {
      const parsed = new URL(url);
      hostname = parsed.hostname;
      path = parsed.pathname;
    } catch {
      return undefined;
    }
  }
  const segments = path
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  return {
    hostname: hostname.toLowerCase(),
    ...(segments.length === 2 ? { owner: segments[0], repo: segments[1] } : {}),
  };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function cleanEnv(env: GitEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
