import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonOrYaml } from '../../util/parse.js';
import type { OpenApiDocument } from '../document.js';
import { diffSpecs } from './diff-specs.js';

const file = fileURLToPath(new URL('../../../examples/castle-service/openapi.yaml', import.meta.url));
const castle = (await parseJsonOrYaml(readFileSync(file, 'utf8'), file)) as OpenApiDocument;

// biome-ignore lint/suspicious/noExplicitAny: tests edit the parsed document freely
type Editable = any;

function modified(edit: (spec: Editable) => void): OpenApiDocument {
  const copy = structuredClone(castle) as Editable;
  edit(copy);
  return copy;
}

const rulesOf = (revision: OpenApiDocument) => diffSpecs(castle, revision).map((f) => f.rule);

describe('diffSpecs on the castle service', () => {
  it('finds nothing between the spec and itself', () => {
    expect(diffSpecs(castle, structuredClone(castle))).toEqual([]);
  });

  it('matches paths by template shape: renaming a path parameter is not a change', () => {
    const revision = modified((spec) => {
      const item = spec.paths['/castles/{id}'];
      item.parameters[0].name = 'castleId';
      spec.paths = { '/castles': spec.paths['/castles'], '/castles/{castleId}': item };
    });
    expect(diffSpecs(castle, revision)).toEqual([]);
  });

  it('reports a Castle field changing type in every response that returns a castle', () => {
    const revision = modified((spec) => {
      spec.components.schemas.Castle.properties.yearBuilt = { type: 'string' };
    });
    const findings = diffSpecs(castle, revision);
    expect(
      findings.map((f) => [
        f.rule,
        f.operation?.operationId,
        f.target && 'path' in f.target ? f.target.path : '',
      ]),
    ).toEqual([
      ['response.body.type-changed', 'listCastles', '[].yearBuilt'],
      ['response.body.type-changed', 'createCastle', 'yearBuilt'],
      ['response.body.type-changed', 'getCastle', 'yearBuilt'],
    ]);
    expect(findings.every((f) => f.location === '/components/schemas/Castle/properties/yearBuilt')).toBe(
      true,
    );
  });

  it('reports the removal of an operation and of a path', () => {
    expect(
      rulesOf(
        modified((spec) => {
          delete spec.paths['/castles/{id}'].delete;
        }),
      ),
    ).toEqual(['operation.removed']);
    const findings = diffSpecs(
      castle,
      modified((spec) => {
        delete spec.paths['/castles/{id}'];
      }),
    );
    expect(findings.map((f) => `${f.rule} ${f.operation?.method} ${f.operation?.path}`)).toEqual([
      'path.removed GET /castles/{id}',
      'path.removed DELETE /castles/{id}',
    ]);
  });

  it('tells request changes from response changes for the same schema edit', () => {
    const revision = modified((spec) => {
      spec.components.schemas.NewCastle.required.push('description');
      spec.components.schemas.Castle.required = ['id', 'name', 'yearBuilt'];
      spec.components.schemas.NewCastle.properties.name.maxLength = 80;
      spec.paths['/castles'].get.parameters[0].required = true;
    });
    expect(rulesOf(revision)).toEqual([
      'request.parameter.became-required',
      'response.body.property-became-optional',
      'request.body.property-became-required',
      'request.body.constraint-tightened',
      'response.body.property-became-optional',
      'response.body.property-became-optional',
    ]);
  });

  it('leaves a pure addition at info level', () => {
    const revision = modified((spec) => {
      spec.components.schemas.Castle.properties.towers = { type: 'integer' };
      spec.paths['/castles/{id}'].put = {
        operationId: 'replaceCastle',
        responses: { '204': { description: 'ok' } },
      };
    });
    const findings = diffSpecs(castle, revision);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.level === 'info')).toBe(true);
  });
});
