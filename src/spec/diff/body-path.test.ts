import { describe, expect, it } from 'vitest';
import { formatBodyPath, joinBodyPath } from './body-path.js';

describe('body paths', () => {
  it('joins fields with dots and marks array elements with []', () => {
    expect(formatBodyPath([])).toBe('');
    expect(formatBodyPath([{ field: 'available' }])).toBe('available');
    expect(formatBodyPath([{ field: 'items' }, 'items', { field: 'stock' }])).toBe('items[].stock');
    expect(formatBodyPath(['items', { field: 'name' }])).toBe('[].name');
    expect(formatBodyPath(['items', 'items'])).toBe('[][]');
  });

  it('quotes names that would be ambiguous', () => {
    expect(formatBodyPath([{ field: 'a.b' }, { field: 'c[0]' }, { field: '' }])).toBe('"a.b"."c[0]".""');
  });

  it('joins a prefix and a suffix', () => {
    expect(joinBodyPath('', 'a')).toBe('a');
    expect(joinBodyPath('a', '')).toBe('a');
    expect(joinBodyPath('a', 'b.c')).toBe('a.b.c');
    expect(joinBodyPath('a', '[].c')).toBe('a[].c');
  });
});
