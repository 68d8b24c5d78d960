import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { pinnedPaths, serviceNameOfPacticipant, toEntenteInteraction } from './import.js';
import { parsePact } from './pact-file.js';

const v2 = {
  consumer: { name: 'Castle Client' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      description: 'a request for castle 123',
      providerState: 'castle 123 exists',
      request: { method: 'get', path: '/castles/123', query: 'fields=name&fields=region' },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { id: '123', name: 'Chambord', tags: ['loire'] },
        matchingRules: {
          '$.body.name': { match: 'type' },
          '$.headers.Content-Type': { regex: 'application/json.*' },
        },
      },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
};

const v3 = {
  consumer: { name: 'castle-client' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      description: 'a castle list',
      providerStates: [{ name: 'castles exist', params: { count: 2 } }, { name: 'user is admin' }],
      request: { method: 'GET', path: '/castles', query: { region: ['Loire'] } },
      response: {
        status: 200,
        body: [{ id: 1 }],
        matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'type', min: 1 }] } } },
        generators: { body: { '$[*].id': { type: 'RandomInt', min: 1, max: 10 } } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

const v4 = {
  consumer: { name: 'castle-client' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      key: 'k1',
      description: 'create a castle',
      request: {
        method: 'POST',
        path: '/castles',
        headers: { 'Content-Type': ['application/json'] },
        body: { content: { name: 'Blois' }, contentType: 'application/json', encoded: false },
      },
      response: {
        status: 201,
        body: { content: '{"id":"9"}', contentType: 'application/json', encoded: 'json' },
        matchingRules: { status: { $: { matchers: [{ match: 'statusCode', status: 'success' }] } } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

const parse = (value: unknown) => parsePact(JSON.stringify(value), 'pacts/castle.json');

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parsePact', () => {
  it('reads V2: providerState, query string, V2 rules as V3 categories', () => {
    const pact = parse(v2);
    expect(pact.specVersion).toBe(2);
    const [interaction] = pact.interactions;
    expect(interaction).toMatchObject({
      providerStates: [{ name: 'castle 123 exists' }],
      request: { method: 'GET', path: '/castles/123', query: { fields: ['name', 'region'] } },
      responseRules: {
        body: { '$.name': { combine: 'AND', matchers: [{ match: 'type' }] } },
        header: { 'Content-Type': { combine: 'AND', matchers: [{ regex: 'application/json.*' }] } },
      },
    });
  });

  it('reads V3: provider states with params, query map, rules and generators as written', () => {
    const [interaction] = parse(v3).interactions;
    expect(interaction?.providerStates).toEqual([
      { name: 'castles exist', params: { count: 2 } },
      { name: 'user is admin' },
    ]);
    expect(interaction?.request.query).toEqual({ region: ['Loire'] });
    expect(interaction?.responseRules).toEqual(v3.interactions[0]!.response.matchingRules);
    expect(interaction?.responseGenerators).toEqual(v3.interactions[0]!.response.generators);
  });

  it('reads V4: typed bodies, header arrays, the body content type as a header', () => {
    const [interaction] = parse(v4).interactions;
    expect(interaction?.request).toEqual({
      method: 'POST',
      path: '/castles',
      headers: { 'Content-Type': 'application/json' },
      body: { name: 'Blois' },
    });
    expect(interaction?.response).toEqual({
      status: 201,
      headers: { 'Content-Type': 'application/json' },
      body: { id: '9' },
    });
  });

  it('refuses message and plugin interactions, naming them', () => {
    const mixed = {
      ...v4,
      interactions: [
        ...v4.interactions,
        { type: 'Asynchronous/Messages', description: 'castle sold event', contents: {} },
        { ...v4.interactions[0], description: 'grpc call', pluginConfiguration: { protobuf: {} } },
      ],
    };
    const error = errorOf(() => parse(mixed));
    expect(error.message).toContain('pacts/castle.json: interactions');
    expect(error.message).toContain('interactions[1] "castle sold event" (Asynchronous/Messages)');
    expect(error.message).toContain('interactions[2] "grpc call" (plugin)');
    expect(errorOf(() => parse({ ...v3, interactions: undefined, messages: [] })).message).toContain(
      'message pacts',
    );
  });

  it('names the file and the field of bad input', () => {
    const bad = structuredClone(v3);
    (bad.interactions[0]!.response as { status: unknown }).status = 'ok';
    expect(errorOf(() => parse(bad)).message).toBe(
      'pacts/castle.json: interactions[0].response.status: expected an HTTP status (100-599)',
    );
    expect(errorOf(() => parsePact('{', 'x.json')).message).toMatch(/^x\.json: not JSON/);
    expect(errorOf(() => parse({ ...v3, consumer: {} })).message).toContain('consumer.name');
    expect(
      errorOf(() => parse({ ...v3, metadata: { pactSpecification: { version: '5.0.0' } } })).message,
    ).toContain('metadata.pactSpecification.version');
  });
});

describe('import: a pact interaction as an entente interaction', () => {
  it('keeps states, relies on the whole expected body, pins values no rule relaxes, keeps rules', () => {
    const [pact] = parse(v2).interactions;
    const interaction = toEntenteInteraction(pact!, 'getCastle');
    expect(interaction).toMatchObject({
      operation: 'getCastle',
      description: 'a request for castle 123',
      given: [{ state: 'castle 123 exists' }],
      request: { method: 'GET', path: '/castles/123', query: { fields: ['name', 'region'] } },
      response: { status: 200, reliesOn: [''], pins: ['id', 'tags[]'] },
      pact: { response: { matchingRules: pact!.responseRules } },
    });
    expect(interaction.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pins nothing beneath a cascading rule; an equality rule pins', () => {
    expect(pinnedPaths([{ id: 1, tags: ['a'] }], { $: { matchers: [{ match: 'type' }] } })).toEqual([]);
    expect(
      pinnedPaths(
        { a: 1, b: { c: 2 } },
        { '$.a': { matchers: [{ match: 'equality' }] }, '$.b': { matchers: [{ match: 'type' }] } },
      ),
    ).toEqual(['a']);
    expect(pinnedPaths('plain text', undefined)).toEqual(['']);
  });

  it('turns pacticipant names into service names, or names the field', () => {
    expect(serviceNameOfPacticipant('Castle Client', 'f.json', 'consumer')).toBe('castle-client');
    expect(() => serviceNameOfPacticipant('!!!', 'f.json', 'consumer')).toThrow(/f\.json: consumer\.name/);
  });
});
