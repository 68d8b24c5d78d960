import { describe, expect, it } from 'vitest';
import { compareText } from './compare-text.js';

describe('compareText', () => {
  it('orders by code units, whatever the locale: capitals before lowercase, punctuation by its code', () => {
    expect(['b', 'B', 'a', '_x', '-y', '1.10', '1.9', 'a.b', 'a-b'].sort(compareText)).toEqual([
      '-y',
      '1.10',
      '1.9',
      'B',
      '_x',
      'a',
      'a-b',
      'a.b',
      'b',
    ]);
    expect(compareText('same', 'same')).toBe(0);
  });
});
