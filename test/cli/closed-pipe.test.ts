/**
 * `entente … | head`: the reader goes away before entente has written all it
 * has to say. entente stops quietly with exit 141 (as a process killed by
 * SIGPIPE), not with Node's stack trace for an unhandled EPIPE, and never with
 * 0 (a verdict cut short is not a yes).
 */
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { createSandbox } from '../helpers/sandbox.js';

describe('a reader that stops reading', () => {
  it.each([['--help'], ['help', 'can-i-deploy'], ['--version']])(
    'entente %s into a closed pipe: exit 141, nothing on stderr',
    async (...args) => {
      const sandbox = createSandbox();
      try {
        const { child, done } = startCli(args, { cwd: sandbox.root, env: sandbox.env });
        // Closed before entente writes: its first write fails with EPIPE.
        child.stdout?.destroy();
        const result = await done;
        expect(result.stderr).toBe('');
        expect(result.code).toBe(141);
      } finally {
        sandbox.cleanup();
      }
    },
  );
});
