import { describe, expect, it } from 'vitest';
import { renderDiffMarkdown, renderDiffText } from '../../render/diff.js';
import { finding } from './findings.js';
import { applyDiffIgnore, parseDiffIgnore } from './ignore.js';
import { diffExitCode, diffToJson } from './summary.js';

const stockChanged = finding('response.body.type-changed', {
  operation: { method: 'GET', path: '/contractor', operationId: 'getContractor' },
  location: '/paths/~1contractor/get/responses/200/content/application~1json/schema/properties/stock',
  target: { kind: 'response-body', status: '200', contentType: 'application/json', path: 'stock' },
  message: 'response 200 (application/json) field `stock`: type changed from string to integer',
});
const nameRemoved = finding('response.body.property-removed', {
  operation: { method: 'GET', path: '/contractor', operationId: 'getContractor' },
  location: '/paths/~1contractor/get/responses/200/content/application~1json/schema/properties/name',
  target: { kind: 'response-body', status: '200', contentType: 'application/json', path: 'name' },
  message: 'response 200 (application/json) field `name`: required property removed',
});
const reason = 'every consumer reads stock as a number since 2.3';

describe('ignore files', () => {
  it('marks the findings an entry matches by rule, operation (method and path, or operationId) and path', () => {
    for (const operation of [undefined, 'GET /contractor', 'get /contractor', 'getContractor']) {
      const entries = parseDiffIgnore(
        {
          ignore: [
            {
              rule: 'response.body.type-changed',
              ...(operation ? { operation } : {}),
              path: 'stock',
              reason,
            },
          ],
        },
        'ignore.yaml',
      );
      const { findings, unused } = applyDiffIgnore([stockChanged, nameRemoved], entries);
      expect(findings).toEqual([{ ...stockChanged, ignored: { reason } }, nameRemoved]);
      expect(unused).toEqual([]);
    }
    const others = parseDiffIgnore(
      {
        ignore: [
          { rule: 'response.body.type-changed', operation: 'POST /contractor', reason },
          { rule: 'response.body.type-changed', path: 'name', reason },
          { rule: 'response.body.property-removed', path: nameRemoved.location, reason: 'unused field' },
        ],
      },
      'ignore.yaml',
    );
    const applied = applyDiffIgnore([stockChanged, nameRemoved], others);
    expect(applied.findings.map((f) => f.ignored?.reason)).toEqual([undefined, 'unused field']);
    expect(applied.unused).toEqual([others[0], others[1]]);
  });

  it('keeps ignored findings in every output, and out of the summary and the exit code', () => {
    const [entry] = parseDiffIgnore({ ignore: [{ rule: 'response.body.type-changed', reason }] }, 'i.yaml');
    const { findings } = applyDiffIgnore([stockChanged], [entry!]);
    expect(diffExitCode(findings, 'warning')).toBe(0);
    expect(diffToJson(findings)).toMatchObject({
      summary: { error: 0 },
      ignored: 1,
      findings: [{ ignored: { reason } }],
    });
    const text = renderDiffText(findings);
    expect(text).toContain('Ignored (accepted in the ignore file, 1):');
    expect(text).toContain(`(was error) accepted: ${reason}`);
    expect(text).toContain('0 errors, 0 warnings, 0 info, 1 ignored');
    expect(renderDiffMarkdown(findings)).toContain(
      `| \`response.body.type-changed\` | error | \`GET /contractor (getContractor)\` | ${stockChanged.message} | ${reason} |`,
    );
  });

  it('refuses entries without a known rule or a reason, naming the entry', () => {
    const refused = (document: unknown) => {
      try {
        parseDiffIgnore(document, 'ignore.yaml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused([])).toBe('ignore.yaml: must hold an object with an `ignore` list');
    expect(refused({ ignore: [{ rule: 'response.body.nope', reason }] })).toContain(
      'ignore.yaml#/ignore/0/rule: must be a rule ID',
    );
    expect(refused({ ignore: [{ rule: 'response.body.type-changed' }] })).toBe(
      'ignore.yaml#/ignore/0/reason: must say why the change is accepted',
    );
    expect(refused({ ignore: [{ rule: 'response.body.type-changed', reason, why: 'x' }] })).toContain(
      '#/ignore/0/why: is not a field',
    );
  });
});
