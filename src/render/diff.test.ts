import { describe, expect, it } from 'vitest';
import { finding } from '../openapi/diff/findings.js';
import { countDiffRules, diffExitCode, diffToJson, summarizeDiff } from '../openapi/diff/summary.js';
import { renderDiffMarkdown, renderDiffText } from './diff.js';

const getCastle = { method: 'GET', path: '/castles/{id}', operationId: 'getCastle' };
const findings = [
  finding('response.body.property-added', {
    operation: getCastle,
    location: '/components/schemas/Castle/properties/towers',
    target: { kind: 'response-body', status: '200', contentType: 'application/json', path: 'towers' },
    message: 'response 200 (application/json) field `towers`: new property',
  }),
  finding('response.body.type-changed', {
    operation: getCastle,
    location: '/components/schemas/Castle/properties/yearBuilt',
    target: { kind: 'response-body', status: '200', contentType: 'application/json', path: 'yearBuilt' },
    message:
      'response 200 (application/json) field `yearBuilt`: type changed from integer to string | number',
    before: 'integer',
    after: 'string',
    counterexample: {
      instance: { yearBuilt: 'MCMLXXXIV|1984' },
      acceptedBy: 'revision',
      schemas: { base: '/components/schemas/Castle', revision: '/components/schemas/Castle' },
    },
  }),
  finding('security.scheme-removed', {
    location: '/components/securitySchemes/token',
    target: { kind: 'security-scheme', name: 'token' },
    message: 'security scheme `token` removed',
  }),
  finding('response.body.enum-widened', {
    operation: getCastle,
    location: '/components/schemas/Castle/properties/state',
    message: 'response 200 (application/json) field `state`: enum gained "ruined"',
  }),
];

describe('diff rendering', () => {
  it('counts per level and per rule', () => {
    expect(summarizeDiff(findings)).toEqual({ error: 2, warning: 1, info: 1 });
    expect(countDiffRules([...findings, findings[1]!])).toEqual({
      'security.scheme-removed': 1,
      'response.body.type-changed': 2,
      'response.body.enum-widened': 1,
      'response.body.property-added': 1,
    });
    expect(diffToJson(findings)).toEqual({
      summary: { error: 2, warning: 1, info: 1 },
      ignored: 0,
      counts: expect.objectContaining({ 'response.body.type-changed': 1 }),
      findings,
    });
  });

  it('exits 1 only for findings at the fail-on level or worse', () => {
    expect(diffExitCode([], 'error')).toBe(0);
    expect(diffExitCode(findings, 'error')).toBe(1);
    const warningsAndInfo = findings.filter((f) => f.level !== 'error');
    expect(diffExitCode(warningsAndInfo, 'error')).toBe(0);
    expect(diffExitCode(warningsAndInfo, 'warning')).toBe(1);
    expect(
      diffExitCode(
        findings.filter((f) => f.level === 'info'),
        'warning',
      ),
    ).toBe(0);
  });

  it('renders text, errors first, without colour unless asked', () => {
    expect(renderDiffText(findings)).toMatchInlineSnapshot(`
      "error   response.body.type-changed  GET /castles/{id} (getCastle)
              response 200 (application/json) field \`yearBuilt\`: type changed from integer to string | number
              e.g. {"yearBuilt":"MCMLXXXIV|1984"}: the revision allows it, the base did not
              at /components/schemas/Castle/properties/yearBuilt
      error   security.scheme-removed
              security scheme \`token\` removed
              at /components/securitySchemes/token
      warning response.body.enum-widened  GET /castles/{id} (getCastle)
              response 200 (application/json) field \`state\`: enum gained "ruined"
              at /components/schemas/Castle/properties/state
      info    response.body.property-added  GET /castles/{id} (getCastle)
              response 200 (application/json) field \`towers\`: new property
              at /components/schemas/Castle/properties/towers

      2 errors, 1 warning, 1 info
      "
    `);
    expect(renderDiffText([])).toBe('No changes found.\n');
    expect(renderDiffText(findings, { color: true })).toContain('\u001b[31merror');
  });

  it('renders a pull-request comment with a table per level and escaped cells', () => {
    expect(renderDiffMarkdown(findings)).toMatchInlineSnapshot(`
      "### API changes: 2 errors, 1 warning, 1 info

      #### Breaking changes (2)

      | Rule | Operation | Change |
      | --- | --- | --- |
      | \`response.body.type-changed\` | \`GET /castles/{id} (getCastle)\` | response 200 (application/json) field \`yearBuilt\`: type changed from integer to string \\| number<br>e.g. \`{"yearBuilt":"MCMLXXXIV\\|1984"}\`: the revision allows it, the base did not |
      | \`security.scheme-removed\` |  | security scheme \`token\` removed |

      #### Warnings (1)

      | Rule | Operation | Change |
      | --- | --- | --- |
      | \`response.body.enum-widened\` | \`GET /castles/{id} (getCastle)\` | response 200 (application/json) field \`state\`: enum gained "ruined" |

      <details>
      <summary>Other changes (1)</summary>

      | Rule | Operation | Change |
      | --- | --- | --- |
      | \`response.body.property-added\` | \`GET /castles/{id} (getCastle)\` | response 200 (application/json) field \`towers\`: new property |

      </details>
      "
    `);
    expect(renderDiffMarkdown([])).toContain('No changes between the two specs.');
  });
});
