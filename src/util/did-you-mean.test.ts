import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean, editDistance } from './did-you-mean.js';

describe('did you mean', () => {
  it('measures edits', () => {
    expect(editDistance('prod', 'production')).toBe(6);
    expect(editDistance('stagign', 'staging')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names and prefixes, best first, and nothing for a stranger', () => {
    expect(closestNames('prod', ['production', 'staging', 'development'])).toEqual(['production']);
    expect(closestNames('stagign', ['production', 'staging'])).toEqual(['staging']);
    expect(closestNames('contractor', ['contractors', 'materials', 'contractors-v2'])).toEqual([
      'contractors',
      'contractors-v2',
    ]);
    expect(didYouMean('zebra', ['production', 'staging'])).toBe('');
    expect(didYouMean('prod', ['production', 'prd', 'qa'])).toBe(' (did you mean "prd" or "production"?)');
  });
});
