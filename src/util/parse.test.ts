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

  it('reads JSON nested 128 levels deep and refuses 129, naming where', () => {
    const nested = (levels: number) => `${'{"a": ['.repeat(levels / 2)}1${']}'.repeat(levels / 2)}`;
    expect(() => parseJsonOrYaml(nested(128), 'deep.json')).not.toThrow();
    expect(() => parseJsonOrYaml(`[${nested(128)}]`, 'deep.json')).toThrow(
      /^deep\.json#\/0(\/a\/0){63}\/a: nests deeper than 128 levels/,
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
