import { describe, expect, it } from 'vitest';
import { gitlabPushOptions, openPullRequest, pullRequestHost } from './pull-request.js';

describe('pullRequestHost', () => {
  it('reads GitHub and GitLab from the contracts URL', () => {
    for (const url of [
      'git@github.com:acme/contracts.git',
      'https://github.com/acme/contracts.git',
      'ssh://git@github.com/acme/contracts',
    ]) {
      expect(pullRequestHost({ kind: 'url', url })).toEqual({
        kind: 'github',
        hostname: 'github.com',
        owner: 'acme',
        repo: 'contracts',
      });
    }
    expect(
      pullRequestHost({ kind: 'url', url: 'git@gitlab.example.com:platform/api/contracts.git' }),
    ).toEqual({
      kind: 'gitlab',
    });
    expect(pullRequestHost({ kind: 'path', path: '/srv/contracts.git' })).toEqual({ kind: 'none' });
  });

  it('lets .entente.yml name the host and repository (GitHub Enterprise, a local mirror)', () => {
    expect(
      pullRequestHost(
        { kind: 'url', url: 'https://ghe.acme.com/platform/contracts.git' },
        { host: 'github' },
      ),
    ).toEqual({ kind: 'github', hostname: 'ghe.acme.com', owner: 'platform', repo: 'contracts' });
    expect(() => pullRequestHost({ kind: 'path', path: '/srv/contracts.git' }, { host: 'github' })).toThrow(
      /pullRequests\.repository: expected "owner\/name"/,
    );
  });
});

describe('openPullRequest', () => {
  it('gives GitLab its push options on one line each', () => {
    expect(gitlabPushOptions({ base: 'main', title: 'a\nb' })).toEqual([
      'merge_request.create',
      'merge_request.target=main',
      'merge_request.title=a b',
    ]);
  });

  it('says how to open the request when the host is unknown', async () => {
    const opened = await openPullRequest(
      { kind: 'none' },
      { userAgent: 'entente/test', env: {} },
      { branch: 'entente/fixtures/approve-1', base: 'main', title: 't', body: 'b' },
    );
    expect(opened.via).toBe('none');
    expect(opened.instructions).toContain('open a pull request from entente/fixtures/approve-1 into main');
  });
});
