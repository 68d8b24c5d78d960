import { describe, expect, it } from 'vitest';
import { encodeBranch } from './layout.js';

const bytes = (name: string) => Buffer.byteLength(`${name}.json`);

describe('branch names as file names', () => {
  it('keeps short lowercase names as they always were', () => {
    expect(encodeBranch('main')).toBe('main');
    expect(encodeBranch('feature/castle-walls')).toBe('feature%2Fcastle-walls');
    expect(encodeBranch('renovate/npm-1.x')).toBe('renovate%2Fnpm-1%2Ex');
    expect(encodeBranch('..')).toBe('%2E%2E');
  });

  it('tells apart names that differ only by case, as case-insensitive filesystems cannot', () => {
    const names = ['main', 'Main', 'MAIN', 'feature/X', 'feature/x'];
    const files = names.map((name) => encodeBranch(name).toLowerCase());
    expect(new Set(files).size).toBe(names.length);
    expect(encodeBranch('Main')).toMatch(/^main~[0-9a-f]{16}$/);
  });

  it('fits any accepted name, in any script, in 255 bytes', () => {
    for (const name of [
      '城'.repeat(255),
      'a'.repeat(255),
      '🏰'.repeat(127),
      `${'x'.repeat(149)}é${'y'.repeat(105)}`,
    ]) {
      const file = encodeBranch(name);
      expect(bytes(file)).toBeLessThanOrEqual(255);
      // The readable part never ends in a cut escape.
      expect(file).not.toMatch(/%[0-9A-F]?~/);
    }
    expect(encodeBranch('城'.repeat(255))).not.toBe(encodeBranch(`${'城'.repeat(254)}堡`));
  });

  it('never produces a name Windows reserves', () => {
    for (const name of ['con', 'nul', 'aux', 'com1', 'lpt9', 'prn']) {
      expect(encodeBranch(name)).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
    }
    expect(encodeBranch('con')).toBe('%63on');
  });

  it('only uses characters every filesystem accepts', () => {
    const file = encodeBranch('a<b>c:d"e\\f|g?h*i j.');
    expect(file).toMatch(/^[A-Za-z0-9%_~-]+$/);
  });
});
