import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { namePatterns } from '../model/names.js';

/** `.entente.yml` in a consumer's or provider's project. Every key is optional. */
export const ProjectConfigFile = Type.Object(
  {
    contracts: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Where the contracts repository is: a remote URL, a path to a bare or non-bare repository. Relative paths are relative to this file. Default: a local repository under ENTENTE_HOME (~/.entente/contracts).',
      }),
    ),
    contractsBranch: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The branch of the contracts repository entente reads and writes. Default main.',
      }),
    ),
    service: Type.Optional(
      Type.String({
        pattern: namePatterns.service.source,
        description: "This project's service name. Default: package.json name without its scope.",
      }),
    ),
    version: Type.Optional(
      Type.String({
        pattern: namePatterns.version.source,
        description:
          "This project's version. Default: package.json version, else the git commit (12 characters).",
      }),
    ),
    branch: Type.Optional(
      Type.String({ minLength: 1, description: 'The source branch. Default: from CI variables, else git.' }),
    ),
    cacheDir: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Where clones of remote contracts repositories are cached. Default ~/.cache/entente.',
      }),
    ),
    pullRequests: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(
            Type.Union([Type.Literal('github'), Type.Literal('gitlab'), Type.Literal('none')], {
              description:
                'Where the contracts repository is hosted, for the pull requests fixture reviews open. Default: from the contracts URL (github.com, a host name containing "gitlab"), else none.',
            }),
          ),
          repository: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
              description:
                'The contracts repository on GitHub as owner/name. Default: from the contracts URL.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    pendingDir: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Where recorded interactions wait until they are published. Relative to this file. Default .entente/pending at the project root.',
      }),
    ),
    reliesOn: Type.Optional(
      Type.Record(
        Type.String({ pattern: namePatterns.service.source }),
        Type.Record(Type.String({ minLength: 1 }), Type.Array(Type.String())),
        {
          description:
            'Per provider, per operationId: the response body paths this consumer relies on (`available`, `items[].stock`), for mocks in any language. The reliesOn option and `entente mock --relies-on` win, operation by operation.',
        },
      ),
    ),
    verify: Type.Optional(
      Type.Object(
        {
          maxResponseBytes: Type.Optional(
            Type.Integer({
              minimum: 1,
              description:
                'The largest provider response body `entente verify` reads, in bytes; a larger one fails its interaction, abandoned unread and unrecorded. Default 10485760 (10 MiB). `--max-response-bytes` wins.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description: "Settings of `entente verify` (and the library's verify).",
        },
      ),
    ),
    redact: Type.Optional(
      Type.Object(
        {
          names: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                'More names whose values are secrets wherever they appear: headers, query parameters, JSON, form and multipart body fields at any depth, provider-state parameters. Exact, case-insensitive.',
            }),
          ),
          headers: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                'More header (and query parameter) names whose values are secrets, on top of the built-in list (docs/security.md).',
            }),
          ),
          bodyPaths: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                'Request and response body fields whose values are secrets, as body paths: `password`, `user.ssn`, `items[].token`. A one-segment path also names a form-urlencoded or multipart field.',
            }),
          ),
          exempt: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                'Names the built-in list would redact that are not secrets here (`session`, `tokenCount`…); their values are not searched for credential shapes either. Exact, case-insensitive.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'What entente redacts, on top of its built-in list, before anything is written to disk or printed (docs/security.md).',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://entente.dev/schemas/entente-config.schema.json',
    title: 'Project configuration (.entente.yml)',
  },
);
export type ProjectConfigFile = Static<typeof ProjectConfigFile>;

export const configSchemas: Record<string, TSchema> = {
  'entente-config.schema.json': ProjectConfigFile,
};
