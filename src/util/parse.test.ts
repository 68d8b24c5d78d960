import { describe, expect, it } from 'vitest';
import { parseJsonOrYaml } from './parse.js';

describe('parseJsonOrYaml', () => {
  it('parses JSON and YAML', () => {
    expect(parseJsonOrYaml('{"a": 1}', 'x.json')).toEqual({ a: 1 });
    expect(parseJsonOrYaml('a: 1\nb: [x]\n', 'x.yaml')).toEqual({ a: 1, b: ['x'] });
  });

  it('names the file, line and column of a syntax error', () => {
    expect(() => parseJsonOrYaml('a: 1\n  b: : [\n', 'spec.yaml')).toThrow(
      /^spec\.yaml:\d+:\d+: not valid YAML/,
    );
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    expect(() => parseJsonOrYaml(lines.join('\n'), 'bomb.yaml')).toThrow(/bomb\.yaml: refused: .*alias/i);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
