import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GitError } from '../errors.js';
import { createOutput } from './output.js';

function capture(json: boolean) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { stdout: '', stderr: '' };
  stdout.on('data', (chunk) => {
    text.stdout += chunk;
  });
  stderr.on('data', (chunk) => {
    text.stderr += chunk;
  });
  return { output: createOutput({ json, color: false, stdout, stderr }), text };
}

const url = 'https://x-access-token:ghs_0123456789abcdefghij0123456789abcdef@github.com/acme/contracts.git';

describe('createOutput', () => {
  it('prints no URL credentials or credential-shaped values in lines, warnings and errors', () => {
    const { output, text } = capture(false);
    output.line(`contracts: ${url}`);
    output.warn('could not fetch: Authorization: Bearer abc.def-123456');
    output.error(
      new GitError('git.failed', `git fetch failed: fatal: unable to access '${url}/'`, {
        details: [{ message: 'first' }, { where: url, message: 'AKIAIOSFODNN7EXAMPLE' }],
      }),
    );
    const all = text.stdout + text.stderr;
    expect(all).toContain('https://x-access-token:[redacted]@github.com/acme/contracts.git');
    expect(all).not.toContain('ghs_0123456789');
    expect(all).not.toContain('abc.def-123456');
    expect(all).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('redacts every string in --json data and errors, keeping the structure', () => {
    const { output, text } = capture(true);
    output.data({ contracts: url, nested: [{ note: 'key AKIAIOSFODNN7EXAMPLE' }], count: 2 });
    output.error(new GitError('git.failed', `push to ${url} failed`));
    const [data, error] = text.stdout.split(/\n(?=\{)/).map((chunk) => JSON.parse(chunk));
    expect(data).toEqual({
      contracts: 'https://x-access-token:[redacted]@github.com/acme/contracts.git',
      nested: [{ note: 'key [redacted]' }],
      count: 2,
    });
    expect(error.error.message).toBe(
      'push to https://x-access-token:[redacted]@github.com/acme/contracts.git failed',
    );
  });
});
