import { describe, expect, it } from 'vitest';
import { gitrefFilePath, parseDiffSide } from './sides.js';

describe('parseDiffSide', () => {
  const none = () => false;

  it('reads files, service@version and ref:path', () => {
    expect(parseDiffSide('openapi.yaml', none)).toEqual({ kind: 'file', path: 'openapi.yaml' });
    expect(parseDiffSide('castle-service@1.2.0', none)).toEqual({
      kind: 'repo',
      service: 'castle-service',
      version: '1.2.0',
    });
    expect(parseDiffSide('castle-service@latest', none)).toMatchObject({ kind: 'repo', version: 'latest' });
    expect(parseDiffSide('main:api/openapi.yaml', none)).toEqual({
      kind: 'gitref',
      ref: 'main',
      path: 'api/openapi.yaml',
    });
    expect(parseDiffSide('HEAD~1:./openapi.yaml', none)).toEqual({
      kind: 'gitref',
      ref: 'HEAD~1',
      path: './openapi.yaml',
    });
  });

  it('prefers an existing file, and does not take paths or refs for service@version', () => {
    expect(parseDiffSide('castle@1.yaml', (path) => path === 'castle@1.yaml')).toEqual({
      kind: 'file',
      path: 'castle@1.yaml',
    });
    expect(parseDiffSide('specs/castle@1.yaml', none)).toEqual({ kind: 'file', path: 'specs/castle@1.yaml' });
    expect(parseDiffSide('release@2:openapi.yaml', none)).toMatchObject({ kind: 'gitref', ref: 'release@2' });
    expect(parseDiffSide('Castle@1', none)).toEqual({ kind: 'file', path: 'Castle@1' });
  });

  it('refuses an empty argument and a ref without a path', () => {
    expect(() => parseDiffSide('', none)).toThrow(/empty argument/);
    expect(() => parseDiffSide('main:', none)).toThrow(/expected gitref:path/);
  });
});

describe('gitrefFilePath', () => {
  it('reads paths from the top folder, ./ paths from the current folder, and refuses leaving the repository', async () => {
    const root = process.cwd();
    expect(await gitrefFilePath(root, root, { ref: 'main', path: 'a/b.yaml' })).toMatchObject({
      inRepository: 'a/b.yaml',
    });
    await expect(gitrefFilePath(root, root, { ref: 'main', path: '../x.yaml' })).rejects.toThrow(
      /outside the git repository/,
    );
  });
});
