/**
 * Every kind of file entente keeps in the contracts repository, as TypeBox
 * schemas. These are the single source: the TypeScript types are derived from
 * them, and `npm run schemas` writes them to `schemas/*.schema.json` (a test
 * fails when those files are stale).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { namePatterns } from './names.js';

const Service = Type.String({ pattern: namePatterns.service.source, description: 'A service name.' });
const Version = Type.String({ pattern: namePatterns.version.source, description: 'A version of a service.' });
const Environment = Type.String({
  pattern: namePatterns.environment.source,
  description: 'An environment name.',
});
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'A SHA-256 content hash, hex.' });
const Timestamp = Type.String({ format: 'date-time', description: 'An ISO 8601 timestamp (UTC).' });
const Json = Type.Unknown({ description: 'Any JSON value.' });
const JsonTypeName = Type.Union([
  Type.Literal('array'),
  Type.Literal('boolean'),
  Type.Literal('null'),
  Type.Literal('number'),
  Type.Literal('object'),
  Type.Literal('string'),
]);
const StringMap = Type.Record(Type.String(), Type.String());

/** `services/<service>/versions/<version>.json` */
export const VersionRecord = Type.Object(
  {
    service: Service,
    version: Version,
    branch: Type.Optional(
      Type.String({ minLength: 1, description: 'The source branch the version was built from.' }),
    ),
    commit: Type.Optional(
      Type.String({ minLength: 1, description: 'The source commit the version was built from.' }),
    ),
    createdAt: Timestamp,
    spec: Type.Optional(
      Type.Object(
        {
          hash: Sha256,
          openapi: Type.String({ description: 'The OpenAPI version of the stored document, e.g. 3.0.3.' }),
          title: Type.Optional(Type.String()),
          convertedFrom: Type.Optional(Type.Literal('swagger-2.0')),
          publishedAt: Timestamp,
        },
        {
          additionalProperties: false,
          description: 'The provider spec of this version, when it is a provider.',
        },
      ),
    ),
    contracts: Type.Optional(
      Type.Record(
        Type.String({ pattern: namePatterns.service.source }),
        Type.Object(
          {
            hash: Sha256,
            publishedAt: Timestamp,
            testRun: Type.Optional(
              Type.String({
                minLength: 1,
                description:
                  'The test run that published the contract: later shards of the same run merge into it; any other run is refused.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          description: 'The contract this version (as a consumer) has with each provider, by provider name.',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/version.schema.json',
    title: 'Service version',
  },
);
export type VersionRecord = Static<typeof VersionRecord>;

/** `services/<service>/branches/<encoded branch>.json` */
export const BranchRecord = Type.Object(
  {
    service: Service,
    branch: Type.String({ minLength: 1 }),
    latestVersion: Version,
    updatedAt: Timestamp,
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/branch.schema.json',
    title: 'Latest version of a service on a source branch',
  },
);
export type BranchRecord = Static<typeof BranchRecord>;

const DeployedVersion = Type.Object(
  {
    version: Version,
    deployedAt: Timestamp,
    deployedBy: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const DeploymentEvent = Type.Object(
  {
    action: Type.Union([Type.Literal('deploy'), Type.Literal('undeploy')]),
    version: Version,
    at: Timestamp,
    by: Type.Optional(Type.String()),
    replaced: Type.Optional(Type.Array(Version, { description: 'Versions this deployment replaced.' })),
  },
  { additionalProperties: false },
);

/** `environments/<environment>/<service>.json` */
export const DeploymentRecord = Type.Object(
  {
    service: Service,
    environment: Environment,
    deployed: Type.Array(DeployedVersion, { description: 'The versions deployed now, oldest first.' }),
    history: Type.Array(DeploymentEvent, { description: 'Every deployment and undeployment, oldest first.' }),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/deployment.schema.json',
    title: 'Deployments of a service in an environment',
  },
);
export type DeploymentRecord = Static<typeof DeploymentRecord>;
export type DeploymentEvent = Static<typeof DeploymentEvent>;

/** `entente.yml` at the root of the contracts repository: the repository's policy. */
export const RepoPolicy = Type.Object(
  {
    compatibility: Type.Optional(
      Type.Union([Type.Literal('verified'), Type.Literal('static'), Type.Literal('verified-or-static')], {
        description:
          'What makes a consumer/provider pair compatible for can-i-deploy: a passing verification, a passing static check, or either. Default verified-or-static.',
      }),
    ),
    environments: Type.Optional(
      Type.Array(Environment, {
        uniqueItems: true,
        description: 'When present, record-deployment and can-i-deploy refuse any other environment name.',
      }),
    ),
    mainBranches: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "Branches whose latest consumer contracts providers verify by default. Default ['main', 'master'].",
      }),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/repo-policy.schema.json',
    title: 'Contracts repository policy (entente.yml)',
  },
);
export type RepoPolicy = Static<typeof RepoPolicy>;

const ProviderState = Type.Object(
  { state: Type.String({ minLength: 1 }), params: Type.Optional(Type.Record(Type.String(), Json)) },
  { additionalProperties: false },
);

const PactRules = Type.Object(
  {
    matchingRules: Type.Optional(
      Type.Record(Type.String(), Json, {
        description: 'Pact matching rules by category (body, header, query, path, status), V3/V4 form.',
      }),
    ),
    generators: Type.Optional(
      Type.Record(Type.String(), Json, { description: 'Pact generators by category, V3/V4 form.' }),
    ),
  },
  { additionalProperties: false },
);

export const Interaction = Type.Object(
  {
    id: Sha256,
    description: Type.Optional(Type.String()),
    operation: Type.String({
      minLength: 1,
      description:
        'The operationId the request matched, or "METHOD /path/template" when the operation has none.',
    }),
    given: Type.Optional(
      Type.Array(ProviderState, { description: 'Provider states the interaction needs.' }),
    ),
    request: Type.Object(
      {
        method: Type.String({ pattern: '^[A-Z]+$' }),
        path: Type.String({
          pattern: '^/',
          description: 'The concrete path requested, without the query string.',
        }),
        query: Type.Optional(
          Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
        ),
        headers: Type.Optional(StringMap),
        body: Type.Optional(Json),
      },
      { additionalProperties: false },
    ),
    response: Type.Object(
      {
        status: Type.Integer({ minimum: 100, maximum: 599 }),
        headers: Type.Optional(StringMap),
        body: Type.Optional(Json),
        reliesOn: Type.Optional(
          Type.Array(Type.String(), {
            description:
              'Paths of the response body fields the consumer relies on (`available`, `items[].stock`, `[].name`). Absent: everything in `body`.',
          }),
        ),
        pins: Type.Optional(
          Type.Array(Type.String(), {
            description: 'Paths whose values must be equal, not only of the same type.',
          }),
        ),
        reliance: Type.Optional(
          Type.Union([Type.Literal('declared'), Type.Literal('tracked'), Type.Literal('received')], {
            description:
              'How what the consumer relies on was decided: declared (reliesOn option, partial fixture, --relies-on, configuration, request header), tracked (the body paths its code was seen to read), received (everything it received, as `allows` widens it). Absent in format 1 contracts.',
          }),
        ),
        allows: Type.Optional(
          Type.Object(
            {
              absent: Type.Optional(
                Type.Array(Type.String(), {
                  description:
                    'Body paths of received fields the provider spec did not require when recorded: they may be absent.',
                }),
              ),
              types: Type.Optional(
                Type.Record(Type.String(), Type.Array(JsonTypeName, { minItems: 1 }), {
                  description:
                    'Per body path, every JSON type the provider spec allowed there when recorded (null for a nullable field), when more than the received one.',
                }),
              ),
            },
            {
              additionalProperties: false,
              description:
                "What the provider's spec allowed beyond the received values, when recorded (format 2). Verification and the static check hold the provider to no more than this.",
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    pact: Type.Optional(
      Type.Object(
        { request: Type.Optional(PactRules), response: Type.Optional(PactRules) },
        {
          additionalProperties: false,
          description:
            'An interaction imported from a pact file: its matching rules and generators, kept as Pact wrote them (V2 paths turned into V3 categories). Verification compares the response by these rules (docs/verification-matching.md).',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Interaction = Static<typeof Interaction>;
export type PactRules = Static<typeof PactRules>;

/** The contract format this version writes; readers accept it and format 1 (no `format` field). */
export const CONTRACT_FORMAT = 2;

/** `contracts/<provider>/<consumer>/<hash>.json`: content-addressed. */
export const ContractRecord = Type.Object(
  {
    format: Type.Optional(
      Type.Literal(CONTRACT_FORMAT, {
        description:
          'The contract format version. Absent: format 1 (interactions without `reliance` and `allows`), still read and verified as before.',
      }),
    ),
    consumer: Service,
    provider: Service,
    interactions: Type.Array(Interaction),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/contract.schema.json',
    title: 'Consumer contract',
  },
);
export type ContractRecord = Static<typeof ContractRecord>;

const Mismatch = Type.Object(
  {
    kind: Type.String({ description: 'A stable finding code, e.g. response.status, response.body.type.' }),
    path: Type.String({
      description: 'Where: `status`, `header content-type`, or a body path such as `$.items[0].stock`.',
    }),
    expected: Type.Optional(Json),
    actual: Type.Optional(Json),
    message: Type.String(),
  },
  { additionalProperties: false },
);

/** `verifications/<provider>/<provider version>/<contract hash>.json` */
export const VerificationRecord = Type.Object(
  {
    provider: Service,
    providerVersion: Version,
    contract: Sha256,
    consumer: Service,
    verifiedAt: Timestamp,
    testRun: Type.Optional(Type.String()),
    commit: Type.Optional(Type.String()),
    success: Type.Boolean(),
    interactions: Type.Array(
      Type.Object(
        {
          id: Sha256,
          operation: Type.String(),
          description: Type.Optional(Type.String()),
          success: Type.Boolean(),
          mismatches: Type.Array(Mismatch),
          specDrift: Type.Optional(Type.Array(Mismatch)),
          error: Type.Optional(Type.String({ description: 'A state handler or transport failure.' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/verification.schema.json',
    title: 'Verification result',
  },
);
export type VerificationRecord = Static<typeof VerificationRecord>;
export type Mismatch = Static<typeof Mismatch>;

/** `fixtures/<service>/<operation>/<id>.json`, and local `fixtures/<provider>.json` (an array). */
export const FixtureRecord = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' }),
    service: Type.Optional(Service),
    serviceVersion: Type.Optional(Version),
    operation: Type.String({ minLength: 1 }),
    status: Type.Union([
      Type.Literal('draft'),
      Type.Literal('approved'),
      Type.Literal('rejected'),
      Type.Literal('deprecated'),
    ]),
    priority: Type.Integer({ minimum: 0, description: '3 local, 2 provider, 1 consumer by default.' }),
    source: Type.Union([Type.Literal('consumer'), Type.Literal('provider'), Type.Literal('manual')]),
    createdFrom: Type.Optional(
      Type.Object(
        {
          type: Type.String(),
          testRun: Type.Optional(Type.String()),
          commit: Type.Optional(Type.String()),
          timestamp: Type.Optional(Timestamp),
          generatedBy: Type.Optional(Type.String()),
          consumer: Type.Optional(Service),
        },
        { additionalProperties: false },
      ),
    ),
    data: Type.Object(
      {
        request: Type.Object(
          {
            method: Type.String(),
            path: Type.String(),
            query: Type.Optional(
              Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
            ),
            headers: Type.Optional(StringMap),
            body: Type.Optional(Json),
          },
          { additionalProperties: false },
        ),
        response: Type.Object(
          {
            status: Type.Integer({ minimum: 100, maximum: 599 }),
            headers: Type.Optional(StringMap),
            body: Type.Optional(Json),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    partial: Type.Optional(
      Type.Boolean({
        description:
          'The response body lists only the fields the consumer relies on: fields the spec marks required may be missing. The mock fills them in from a generated sample.',
      }),
    ),
    notes: Type.Optional(Type.String()),
    approvedBy: Type.Optional(Type.String()),
    approvedAt: Type.Optional(Timestamp),
    deprecationReason: Type.Optional(Type.String()),
    createdAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false, $id: 'https://entente.dev/schemas/fixture.schema.json', title: 'Fixture' },
);
export type FixtureRecord = Static<typeof FixtureRecord>;

/** Every schema written to `schemas/`, by file name. */
export const recordSchemas: Record<string, TSchema> = {
  'version.schema.json': VersionRecord,
  'branch.schema.json': BranchRecord,
  'deployment.schema.json': DeploymentRecord,
  'repo-policy.schema.json': RepoPolicy,
  'contract.schema.json': ContractRecord,
  'verification.schema.json': VerificationRecord,
  'fixture.schema.json': FixtureRecord,
};
