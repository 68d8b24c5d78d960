import { describe, expect, it } from 'vitest';
import { parsePrefer } from './respond.js';

describe('parsePrefer', () => {
  it('reads code and example, alone or together, and ignores the rest', () => {
    expect(parsePrefer('code=404')).toEqual({ code: 404 });
    expect(parsePrefer('code=200, example="versailles"')).toEqual({ code: 200, example: 'versailles' });
    expect(parsePrefer('return=minimal; example=x')).toEqual({ example: 'x' });
    expect(parsePrefer('code=abc')).toEqual({});
    expect(parsePrefer(undefined)).toEqual({});
  });
});
