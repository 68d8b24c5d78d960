import { describe, expect, it } from 'vitest';
import { parseJsonOrYaml } from './parse.js';

describe('parseJsonOrYaml', () => {
  it('parses JSON and YAML', async () => {
    expect(await parseJsonOrYaml('{"a": 1}', 'x.json')).toEqual({ a: 1 });
    expect(await parseJsonOrYaml('a: 1\nb: [x]\n', 'x.yaml')).toEqual({ a: 1, b: ['x'] });
  });

  it('names the file, line and column of a syntax error', async () => {
    await expect(parseJsonOrYaml('a: 1\n  b: : [\n', 'spec.yaml')).rejects.toThrow(
      /^spec\.yaml:\d+:\d+: not valid YAML/,
    );
  });

  it('reads JSON nested 128 levels deep and refuses 129, naming where', async () => {
    const nested = (levels: number) => `${'{"a": ['.repeat(levels / 2)}1${']}'.repeat(levels / 2)}`;
    await expect(parseJsonOrYaml(nested(128), 'deep.json')).resolves.toEqual(
      expect.objectContaining({ a: [expect.anything()] }),
    );
    await expect(parseJsonOrYaml(`[${nested(128)}]`, 'deep.json')).rejects.toThrow(
      /^deep\.json#\/0(\/a\/0){63}\/a: nests deeper than 128 levels/,
    );
  });

  it('refuses an alias bomb quickly', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    await expect(parseJsonOrYaml(lines.join('\n'), 'bomb.yaml')).rejects.toThrow(
      /bomb\.yaml: refused: .*alias/i,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
