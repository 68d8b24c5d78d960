import { describe, expect, it } from 'vitest';
import { endlessReferenceCycles } from './reference-cycles.js';

function documentWith(schemas: Record<string, unknown>) {
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas },
  };
}

describe('endlessReferenceCycles', () => {
  it('finds a pure $ref cycle and names every pointer on it', () => {
    const problems = endlessReferenceCycles(
      documentWith({ A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } }),
    );
    expect(problems).toEqual([
      {
        pointer: '/components/schemas/B',
        message:
          'is a reference cycle no finite value can satisfy: #/components/schemas/B → #/components/schemas/A → #/components/schemas/B',
      },
    ]);
  });

  it('accepts a recursive schema a finite value satisfies (an optional child)', () => {
    const tree = { type: 'object', properties: { child: { $ref: '#/components/schemas/Tree' } } };
    expect(endlessReferenceCycles(documentWith({ Tree: tree }))).toEqual([]);
  });

  it('follows a chain of 20,000 required schemas without overflowing the stack', () => {
    const schemas: Record<string, unknown> = {};
    const links = 20_000;
    for (let i = 0; i < links; i++) {
      schemas[`S${i}`] = {
        type: 'object',
        required: ['next'],
        properties: { next: { $ref: `#/components/schemas/S${(i + 1) % links}` } },
      };
    }
    const problems = endlessReferenceCycles(documentWith(schemas));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('#/components/schemas/S0/properties/next');
  });
});
