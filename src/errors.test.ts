import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, exitCodeOf, GitError, InputError, IoError, RecordError } from './errors.js';

describe('exit codes', () => {
  it('maps every error kind to the documented exit code', () => {
    expect(exitCodeOf(new InputError('x', 'x'))).toBe(3);
    expect(exitCodeOf(new ConfigError('x', 'x'))).toBe(3);
    expect(exitCodeOf(new RecordError('x', 'x'))).toBe(3);
    expect(exitCodeOf(new GitError('x', 'x'))).toBe(4);
    expect(exitCodeOf(new IoError('x', 'x'))).toBe(4);
    expect(exitCodeOf(new Error('boom'))).toBe(ExitCode.GitOrIo);
  });
});
