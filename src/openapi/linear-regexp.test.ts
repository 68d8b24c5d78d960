import { describe, expect, it } from 'vitest';
import { matchesPattern, unsupportedPatternReason, unsupportedPatterns } from './linear-regexp.js';
import { SpecValidators } from './validator.js';

const EVIL = '(a+)+$';
const LONG = `${'a'.repeat(50_000)}!`;

describe('linear-time patterns', () => {
  it('searches like JSON Schema pattern (unanchored unless anchored)', () => {
    expect(matchesPattern('^[a-z]+$', 'castle')).toBe(true);
    expect(matchesPattern('^[a-z]+$', 'Castle')).toBe(false);
    expect(matchesPattern('\\d{3}', 'id-123-x')).toBe(true);
    expect(matchesPattern('^\\p{L}+$', 'château')).toBe(true);
    expect(matchesPattern('^(?<year>\\d{4})-\\d{2}$', '2026-12')).toBe(true);
  });

  it('answers a backtracking pattern on a long value (a backtracking engine would not finish)', () => {
    expect(matchesPattern(EVIL, LONG)).toBe(false);
    expect(matchesPattern(`^${EVIL}`, 'a'.repeat(50_000))).toBe(true);
  });

  it('names what RE2 cannot run, and accepts any value for it', () => {
    expect(unsupportedPatternReason('^(?!aws:).+')).toMatch(/\(\?!/);
    expect(unsupportedPatternReason('(a)\\1')).toMatch(/\\1/);
    expect(unsupportedPatternReason('^[a-z]{0,2048}$')).toMatch(/repeat count/);
    expect(unsupportedPatternReason('^[a-z]+$')).toBeUndefined();
    expect(matchesPattern('^(?!aws:).+', 'aws:tag')).toBe(true);
  });

  it('lists unsupported patterns with their pointers, not patterns inside examples', () => {
    const document = {
      components: {
        schemas: {
          Tag: { type: 'string', pattern: '^(?!aws:).+', example: { pattern: '(?=x)' } },
          Ok: { type: 'string', pattern: '^[a-z]+$' },
          Map: { type: 'object', patternProperties: { '^(?=x)': { type: 'string' } } },
        },
      },
    };
    expect(unsupportedPatterns(document)).toEqual([
      {
        pointer: '/components/schemas/Tag/pattern',
        pattern: '^(?!aws:).+',
        reason: expect.stringContaining('(?!'),
      },
      {
        pointer: '/components/schemas/Map/patternProperties',
        pattern: '^(?=x)',
        reason: expect.stringContaining('(?='),
      },
    ]);
  });

  it('backs the spec validators, so a hostile pattern cannot stall them', () => {
    const validators = new SpecValidators({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {},
    });
    const validate = validators.compile('evil', () => ({
      type: 'object',
      properties: { name: { type: 'string', pattern: EVIL }, ok: { type: 'string', pattern: '^b+$' } },
    }));
    expect(validate({ name: LONG, ok: 'bbb' })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(['/name']);
    expect(validate({ name: 'aaa', ok: 'bbb' })).toBe(true);
    expect(validate({ name: 'aaa', ok: 'abc' })).toBe(false);
  });
});
