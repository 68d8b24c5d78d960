import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureId } from '../../src/fixtures/id.js';
import { FixtureRecord } from '../../src/model/records.js';
import { layout } from '../../src/store/layout.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { cli, NOW, openStore, pathWithGitOnly } from './world.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

const data = {
  request: { method: 'GET', path: '/castles' },
  response: { status: 200, body: [] },
};
const ID = fixtureId('castle-service', 'listCastles', data);

/** A remote holding one draft fixture, and a project whose .entente.yml says where pull requests go. */
async function setup(remote: string, pullRequests: string) {
  const store = await openStore(sandbox, remote);
  await store.transact('seed a draft', async ({ changes }) => {
    changes.writeRecord(FixtureRecord, layout.fixture('castle-service', 'listCastles', ID), {
      id: ID,
      service: 'castle-service',
      operation: 'listCastles',
      status: 'draft',
      priority: 1,
      source: 'consumer',
      data,
      createdAt: NOW,
    });
  });
  const cwd = sandbox.dir('reviewer');
  mkdirSync(cwd);
  writeFileSync(join(cwd, '.entente.yml'), `contracts: ${remote}\npullRequests:\n${pullRequests}`);
  return { cwd, PATH: await pathWithGitOnly(sandbox) };
}

interface Seen {
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  body?: unknown;
}

/** The one stand-in: a local HTTP server answering as GitHub's REST API does. */
async function fakeGitHubApi(status: number, answer: unknown) {
  const seen: Seen = {};
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body: JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('opening the pull request for a review branch', () => {
  it('calls the GitHub REST API with the token, and pushes the branch for real', async () => {
    const remote = await sandbox.bareRemote();
    const { cwd, PATH } = await setup(remote, '  host: github\n  repository: acme/contracts\n');
    const api = await fakeGitHubApi(201, {
      number: 42,
      html_url: 'https://github.com/acme/contracts/pull/42',
    });
    try {
      const result = await cli(
        sandbox,
        cwd,
        { PATH, GITHUB_TOKEN: 'ghs_secret', GITHUB_API_URL: `${api.url}/` },
        ['fixtures', 'approve', '--fixture-id', ID, '--approved-by', 'jane.smith', '--notes', 'checked'],
      );
      expect(result.code, result.stderr).toBe(0);
      const branch = `entente/fixtures/approve-${ID.slice('fixture_'.length, 'fixture_'.length + 12)}`;
      expect(result.stdout).toContain(`Pushed branch ${branch}`);
      expect(result.stdout).toContain('Pull request #42: https://github.com/acme/contracts/pull/42');
      expect(api.seen.method).toBe('POST');
      expect(api.seen.url).toBe('/repos/acme/contracts/pulls');
      expect(api.seen.headers).toMatchObject({
        authorization: 'Bearer ghs_secret',
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'content-type': 'application/json',
      });
      expect(api.seen.headers?.['user-agent']).toMatch(/^entente\/\d+\.\d+\.\d+/);
      expect(api.seen.body).toMatchObject({
        title: 'entente: approve 1 fixture of castle-service',
        head: branch,
        base: 'main',
      });
      const body = (api.seen.body as { body: string }).body;
      expect(body).toContain(`| \`${ID}\` | castle-service | listCastles | draft → approved |`);
      expect(body).toContain('Notes: checked');
      const tip = await sandbox.git(remote, 'log', '-1', '--format=%s', branch);
      expect(tip.trim()).toBe('entente: approve 1 fixture of castle-service');
      const file = await sandbox.git(
        remote,
        'show',
        `${branch}:${layout.fixture('castle-service', 'listCastles', ID)}`,
      );
      expect(JSON.parse(file)).toMatchObject({
        status: 'approved',
        approvedBy: 'jane.smith',
        notes: 'checked',
      });

      // The same branch cannot be pushed twice: the first review is still open.
      const again = await cli(sandbox, cwd, { PATH, GITHUB_TOKEN: 'ghs_secret', GITHUB_API_URL: api.url }, [
        'fixtures',
        'approve',
        '--fixture-id',
        ID,
        '--approved-by',
        'jane.smith',
      ]);
      expect(again.code).toBe(4);
      expect(again.stderr).toContain(`branch ${branch} already exists`);
    } finally {
      await api.close();
    }
  });

  it("reports GitHub's refusal, naming the pushed branch", async () => {
    const remote = await sandbox.bareRemote();
    const { cwd, PATH } = await setup(remote, '  host: github\n  repository: acme/contracts\n');
    const api = await fakeGitHubApi(422, {
      message: 'Validation Failed',
      errors: [{ message: 'A pull request already exists' }],
    });
    try {
      const result = await cli(sandbox, cwd, { PATH, GITHUB_TOKEN: 't', GITHUB_API_URL: api.url }, [
        'fixtures',
        'update',
        '--fixture-id',
        ID,
        '--priority',
        '3',
        '--branch',
        'review/raise-priority',
      ]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'branch review/raise-priority was pushed, but GitHub did not open the pull request',
      );
      expect(result.stderr).toContain('422 Validation Failed (A pull request already exists)');
      expect(result.stderr).toContain(
        'https://github.com/acme/contracts/compare/main...review/raise-priority?expand=1',
      );
    } finally {
      await api.close();
    }
  });

  it('says what to do when neither gh nor a token is available', async () => {
    const remote = await sandbox.bareRemote();
    const { cwd, PATH } = await setup(remote, '  host: github\n  repository: acme/contracts\n');
    const result = await cli(sandbox, cwd, { PATH }, ['fixtures', 'reject', '--fixture-id', ID, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'neither the gh CLI is installed nor GITHUB_TOKEN is set, so no pull request was opened',
    );
    expect(result.stderr).toContain(
      'https://github.com/acme/contracts/compare/main...entente/fixtures/reject-',
    );
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ mode: 'pull-request', pullRequest: { via: 'none' } });
    expect((await sandbox.git(remote, 'branch', '--list', 'entente/*')).trim()).toBe(json.branch);
  });

  it('asks GitLab for a merge request through push options', async () => {
    const remote = await sandbox.bareRemote();
    await sandbox.git(remote, 'config', 'receive.advertisePushOptions', 'true');
    const log = join(sandbox.root, 'push-options.log');
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      `#!/bin/sh\ncat > /dev/null\ni=0\nwhile [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do\n  eval "echo \\"\\$GIT_PUSH_OPTION_$i\\"" >> '${log}'\n  i=$((i + 1))\ndone\necho --- >> '${log}'\n`,
    );
    chmodSync(hook, 0o755);
    const { cwd, PATH } = await setup(remote, '  host: gitlab\n');
    const result = await cli(sandbox, cwd, { PATH }, [
      'fixtures',
      'approve',
      '--fixture-id',
      ID,
      '--approved-by',
      'jane',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('GitLab opens the merge request from the push');
    const pushes = readFileSync(log, 'utf8').split('---\n');
    expect(pushes[0]).toBe('');
    expect(pushes[1]!.trim().split('\n')).toEqual([
      'merge_request.create',
      'merge_request.target=main',
      'merge_request.title=entente: approve 1 fixture of castle-service',
    ]);
  });
});
