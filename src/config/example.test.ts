import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkRecord } from '../model/validate.js';
import { ProjectConfigFile } from './schema.js';

const example = readFileSync(new URL('../../.entente.example.yml', import.meta.url), 'utf8');

describe('.entente.example.yml', () => {
  it('explains every configuration key', () => {
    for (const key of Object.keys(ProjectConfigFile.properties)) {
      expect(example, key).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
    }
  });

  it('is itself a valid configuration', () => {
    expect(() => checkRecord(ProjectConfigFile, parse(example), '.entente.example.yml')).not.toThrow();
  });
});
