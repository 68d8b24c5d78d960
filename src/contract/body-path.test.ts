import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { formatBodyPath, formatLocation, isBodyPathPrefix, parseBodyPath } from './body-path.js';

describe('body paths', () => {
  it('parses fields, every-element markers and quoted names', () => {
    expect(parseBodyPath('')).toEqual([]);
    expect(parseBodyPath('available')).toEqual([{ kind: 'field', name: 'available' }]);
    expect(parseBodyPath('items[].stock')).toEqual([
      { kind: 'field', name: 'items' },
      { kind: 'every' },
      { kind: 'field', name: 'stock' },
    ]);
    expect(parseBodyPath('[].name')).toEqual([{ kind: 'every' }, { kind: 'field', name: 'name' }]);
    expect(parseBodyPath('matrix[][]')).toEqual([
      { kind: 'field', name: 'matrix' },
      { kind: 'every' },
      { kind: 'every' },
    ]);
    expect(parseBodyPath('"a.b".c')).toEqual([
      { kind: 'field', name: 'a.b' },
      { kind: 'field', name: 'c' },
    ]);
    expect(parseBodyPath('x."say \\"hi\\""[]')).toEqual([
      { kind: 'field', name: 'x' },
      { kind: 'field', name: 'say "hi"' },
      { kind: 'every' },
    ]);
  });

  it('formats back to the same text (quoting only names that need it)', () => {
    for (const text of ['', 'available', 'items[].stock', '[].name', 'a.b[].c', '"a.b".c', '""', 'x."[0]"']) {
      expect(formatBodyPath(parseBodyPath(text))).toBe(text);
    }
    expect(formatBodyPath([{ kind: 'field', name: 'we"ird' }])).toBe('"we\\"ird"');
    expect(
      formatBodyPath([
        { kind: 'field', name: 'a.b' },
        { kind: 'field', name: 'c[0]' },
        { kind: 'field', name: '' },
      ]),
    ).toBe('"a.b"."c[0]".""');
    expect(formatBodyPath([{ kind: 'every' }, { kind: 'every' }])).toBe('[][]');
  });

  it.each([
    ['.a', "missing before '.'"],
    ['a.', "missing after '.'"],
    ['a..b', "missing before '.'"],
    ['a[0]', "'[' must be followed by ']'"],
    ['a[', "'[' must be followed by ']'"],
    ['a]', "'.' or '[]' expected"],
    ['"a', 'not terminated'],
    ['"a"b', "'.' or '[]' expected"],
    ['a"b"', "'.' or '[]' expected"],
  ])('refuses %s with an InputError naming the path', (text, problem) => {
    expect(() => parseBodyPath(text)).toThrow(InputError);
    expect(() => parseBodyPath(text)).toThrow(JSON.stringify(text));
    expect(() => parseBodyPath(text)).toThrow(problem);
  });

  it('formats concrete locations', () => {
    expect(formatLocation([])).toBe('$');
    expect(formatLocation(['items', 0, 'stock'])).toBe('$.items[0].stock');
    expect(formatLocation(['a.b', 'c d'])).toBe('$["a.b"]["c d"]');
  });

  it('tells ancestors apart from siblings', () => {
    expect(isBodyPathPrefix(parseBodyPath('items'), parseBodyPath('items[].stock'))).toBe(true);
    expect(isBodyPathPrefix(parseBodyPath(''), parseBodyPath('a'))).toBe(true);
    expect(isBodyPathPrefix(parseBodyPath('items[].stock'), parseBodyPath('items'))).toBe(false);
    expect(isBodyPathPrefix(parseBodyPath('item'), parseBodyPath('items'))).toBe(false);
  });
});
