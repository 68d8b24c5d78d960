import { describe, expect, it } from 'vitest';
import { contentHash } from '../util/canonical-json.js';
import { recordDisagreement, specDisagreement, WRITABLE_SEGMENT } from './agreement.js';

const HASH = 'a'.repeat(64);
const verification = (success: boolean, interactions: Record<string, unknown>[]) => ({
  provider: 'contractors',
  providerVersion: '2.0.0',
  contract: HASH,
  consumer: 'materials',
  verifiedAt: '2026-03-01T12:00:00.000Z',
  success,
  interactions: interactions.map((i) => ({ id: HASH, operation: 'getContractor', mismatches: [], ...i })),
});
const mismatch = { kind: 'response.status', path: '$', message: 'expected 200, got 500' };

describe('recordDisagreement', () => {
  it('accepts records that agree with their paths', () => {
    const contract = { consumer: 'materials', provider: 'contractors', interactions: [] };
    expect(
      recordDisagreement(`contracts/contractors/materials/${contentHash(contract)}.json`, contract),
    ).toBeUndefined();
    expect(
      recordDisagreement('environments/production/materials.json', {
        service: 'materials',
        environment: 'production',
      }),
    ).toBeUndefined();
    expect(
      recordDisagreement('services/web/branches/feature%2Fx.json', { service: 'web', branch: 'feature/x' }),
    ).toBeUndefined();
    expect(
      recordDisagreement(
        `verifications/contractors/2.0.0/${HASH}.json`,
        verification(true, [{ success: true }]),
      ),
    ).toBeUndefined();
    expect(
      recordDisagreement(
        `verifications/contractors/2.0.0/${HASH}.json`,
        verification(false, [{ success: true }, { success: false, mismatches: [mismatch] }]),
      ),
    ).toBeUndefined();
  });

  it('names the field that disagrees with the path', () => {
    expect(recordDisagreement('services/web/versions/1.0.0.json', { service: 'web', version: '9.9.9' })).toBe(
      'version is "9.9.9" but the path says "1.0.0"',
    );
    expect(
      recordDisagreement('environments/production/materials.json', {
        service: 'materials',
        environment: 'staging',
      }),
    ).toBe('environment is "staging" but the path says "production"');
    expect(
      recordDisagreement(`contracts/contractors/materials/${HASH}.json`, {
        consumer: 'materials',
        provider: 'contractors',
        interactions: [],
      }),
    ).toMatch(/^its content hashes to [0-9a-f]{64}, not to the hash in its path$/);
  });

  it("recomputes a verification's outcome from its interactions", () => {
    const path = `verifications/contractors/2.0.0/${HASH}.json`;
    expect(recordDisagreement(path, verification(true, [{ success: false }]))).toBe(
      'success is true but its interactions say failed',
    );
    expect(recordDisagreement(path, verification(true, [{ success: true, mismatches: [mismatch] }]))).toBe(
      'interactions/0 is marked successful but records mismatches',
    );
    expect(recordDisagreement(path, verification(true, [{ success: true, error: 'boom' }]))).toBe(
      'interactions/0 is marked successful but records an error',
    );
    expect(recordDisagreement(path, verification(true, []))).toBe(
      'success is true but its interactions say nothing was replayed',
    );
  });
});

describe('specDisagreement and writable names', () => {
  it('checks a spec against the hash in its file name', () => {
    const document = { openapi: '3.0.3' };
    expect(specDisagreement(`services/a/specs/${contentHash(document)}.json`, document)).toBeUndefined();
    expect(specDisagreement(`services/a/specs/${HASH}.json`, document)).toMatch(/^its content hashes to/);
  });

  it('only names entente could have written', () => {
    for (const ok of ['castle-service', '1.2.0+build.5', 'feature%2Fx.json', '_list', HASH]) {
      expect(WRITABLE_SEGMENT.test(ok), ok).toBe(true);
    }
    for (const bad of ['evil\nx.json', 'a\u0000b', 'caf\u00e9', '.git', '..', '', 'a b', 'a:b']) {
      expect(WRITABLE_SEGMENT.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
