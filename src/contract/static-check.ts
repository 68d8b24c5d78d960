/**
 * Static compatibility (the bi-directional way): a consumer contract checked
 * against a provider spec without running anything, interaction by
 * interaction. Findings are data; docs/compatibility.md documents each code.
 */
import type { ContractRecord, Interaction } from '../model/records.js';
import { deref, type OpenApiDocument } from '../openapi/document.js';
import { routeRecordedRequest, type SpecOperation } from '../openapi/router.js';
import { declaredResponse } from '../openapi/validator.js';
import { withPactRules } from '../pact/static-rules.js';
import { formatBodyPath, formatLocation, generalizeLocation } from './body-path.js';
import { headerValue, isJsonMediaType, mediaTypeOf } from './media-type.js';
import { reliedOnShape } from './relies-on.js';
import { checkAgainstSchema, type SchemaIssueCode } from './schema-check.js';

export type StaticFindingCode =
  | 'request.path-or-method.unknown'
  | 'request.invalid'
  | 'response.status.undeclared'
  | 'response.content-type.undeclared'
  | SchemaIssueCode;

export type FindingLevel = 'error' | 'warning';

/** Every static finding code with its level, documented (docs/compatibility.md says the same). */
export const staticFindingCodes: Record<
  StaticFindingCode,
  { level: FindingLevel; title: string; description: string }
> = {
  'request.path-or-method.unknown': {
    level: 'error',
    title: 'Operation not in the spec',
    description:
      'No path template of the spec matches the recorded request path (the servers base path removed or not), or the path exists without the recorded method.',
  },
  'request.invalid': {
    level: 'error',
    title: 'Request not valid for the spec',
    description:
      'The recorded request (path, query, headers or body) violates the operation as the spec declares it.',
  },
  'response.status.undeclared': {
    level: 'error',
    title: 'Status not declared',
    description:
      'The operation declares neither the recorded status, nor its range (2XX), nor a default response.',
  },
  'response.content-type.undeclared': {
    level: 'error',
    title: 'Content type not declared',
    description:
      'The consumer relies on a response body, and the declared response has no content compatible with the recorded content type (JSON types are compatible with each other).',
  },
  'response.body.missing': {
    level: 'error',
    title: 'Relied-on field not in the spec',
    description:
      'A field the consumer relies on is not declared by the response schema (in no branch of a oneOf/anyOf, no allOf member), is writeOnly, or is excluded by additionalProperties: false.',
  },
  'response.body.incompatible': {
    level: 'error',
    title: 'Relied-on field has an incompatible type',
    description:
      'The spec gives a relied-on field a type the received value does not have. An integer value is compatible with number; a number with a fraction is not compatible with integer.',
  },
  'response.body.nullable': {
    level: 'error',
    title: 'Received null, the spec does not allow it',
    description:
      'The consumer received null for a field the spec does not make nullable (3.0 nullable: true, or 3.1 "null" in the type).',
  },
  'response.body.format': {
    level: 'error',
    title: 'Received value does not satisfy the format',
    description:
      'A received value does not satisfy the format the spec gives the field (date-time, uuid, email, int32, …); the consumer was tested with a value the provider does not send.',
  },
  'response.body.enum': {
    level: 'error',
    title: 'Received value not in the enum',
    description:
      'A received value is not among the values the spec allows (enum or const); the consumer relies on a value the provider does not send.',
  },
  'response.body.undeclared': {
    level: 'warning',
    title: 'Relied-on field only allowed, not declared',
    description:
      'The schema does not name the field but allows it (a map via additionalProperties, or a free-form object); a received value is checked against additionalProperties when it is a schema. The spec does not promise the field, so the provider may stop sending it without a spec change.',
  },
};

export interface StaticFinding {
  code: StaticFindingCode;
  level: FindingLevel;
  interactionId: string;
  /** The operationId (or `METHOD /template`) matched in the spec; the recorded operation when none matched. */
  operation: string;
  /** A body path (`items[].stock`), or where in the request a violation is. */
  path?: string;
  expected?: unknown;
  actual?: unknown;
  message: string;
}

/** One problem the request validator found; `where` becomes the finding's path. */
export interface RequestViolation {
  where?: string;
  message: string;
}

export interface StaticCheckOptions {
  /** Validates the recorded request against the matched operation (src/spec's validator). */
  validateRequest?: (
    operation: SpecOperation,
    request: Interaction['request'],
    pathParams: Record<string, string>,
  ) => RequestViolation[];
}

/** Every finding of every interaction of `contract` against `spec`, in interaction order. */
export function checkContractStatically(
  contract: ContractRecord,
  spec: OpenApiDocument,
  options: StaticCheckOptions = {},
): StaticFinding[] {
  return contract.interactions.flatMap((interaction) => checkInteraction(interaction, spec, options));
}

/** Compatible means no error-level finding; warnings do not fail a static check. */
export function isStaticallyCompatible(findings: readonly StaticFinding[]): boolean {
  return findings.every((finding) => finding.level !== 'error');
}

function checkInteraction(
  interaction: Interaction,
  spec: OpenApiDocument,
  options: StaticCheckOptions,
): StaticFinding[] {
  const { request, response } = interaction;
  const finding = (
    code: StaticFindingCode,
    operation: string,
    message: string,
    extra: Pick<StaticFinding, 'path' | 'expected' | 'actual'> = {},
  ): StaticFinding => ({
    code,
    level: staticFindingCodes[code].level,
    interactionId: interaction.id,
    operation,
    ...extra,
    message,
  });

  const route = routeRecordedRequest(spec, request.method, request.path);
  if (route.kind === 'not-found') {
    return [
      finding(
        'request.path-or-method.unknown',
        interaction.operation,
        `${request.method} ${request.path}: no path of the spec matches`,
        { actual: `${request.method} ${request.path}` },
      ),
    ];
  }
  if (route.kind === 'method-not-allowed') {
    return [
      finding(
        'request.path-or-method.unknown',
        interaction.operation,
        `${request.method} ${request.path}: ${route.template} has no ${request.method} operation (it has ${route.allowed.join(', ') || 'none'})`,
        { expected: route.allowed, actual: request.method },
      ),
    ];
  }
  const match = route.operation;
  const operation = route.operationId ?? route.operationKey;
  const findings: StaticFinding[] = (options.validateRequest?.(match, request, route.params) ?? []).map(
    (violation) =>
      finding(
        'request.invalid',
        operation,
        `request: ${violation.where ? `${violation.where}: ` : ''}${violation.message}`,
        {
          ...(violation.where === undefined ? {} : { path: violation.where }),
        },
      ),
  );

  const declared = declaredResponse(spec, match, response.status)?.response;
  if (!declared) {
    findings.push(
      finding(
        'response.status.undeclared',
        operation,
        `status ${response.status}: not declared by ${operation}`,
        {
          actual: response.status,
          expected: Object.keys(responsesOf(spec, match.operation)),
        },
      ),
    );
    return findings;
  }

  const reliesOn =
    response.reliesOn === undefined ? undefined : [...response.reliesOn, ...(response.pins ?? [])];
  const relied = reliedOnShape(response.body, reliesOn, `interaction ${interaction.id}`);
  if (relied === undefined) return findings;

  const recordedType = mediaTypeOf(headerValue(response.headers, 'content-type')) ?? 'application/json';
  const content = deref<Record<string, unknown>>(spec, declared.content);
  const mediaKey = content ? chooseMediaType(Object.keys(content), recordedType) : undefined;
  if (!content || mediaKey === undefined) {
    findings.push(
      finding(
        'response.content-type.undeclared',
        operation,
        `status ${response.status}: the spec declares ${content ? `no content compatible with ${recordedType}` : 'no body'}; the consumer relies on one`,
        { expected: content ? Object.keys(content) : [], actual: recordedType },
      ),
    );
    return findings;
  }
  const media = deref<Record<string, unknown>>(spec, content[mediaKey]);
  if (!media || media.schema === undefined) return findings;

  const seen = new Set<string>();
  // A field the spec did not require when recorded: the consumer copes without it.
  const mayBeAbsent = new Set(response.allows?.absent ?? []);
  const issues = checkAgainstSchema(spec, media.schema, relied);
  // An imported pact says more with its matching rules than with its example values.
  const pactRules = interaction.pact?.response?.matchingRules?.body;
  for (const issue of pactRules ? withPactRules(spec, media.schema, relied, pactRules, issues) : issues) {
    const path = formatBodyPath(generalizeLocation(issue.steps));
    if (issue.code === 'response.body.missing' && mayBeAbsent.has(path)) continue;
    const key = JSON.stringify([issue.code, path]);
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(
      finding(issue.code, operation, `${formatLocation(issue.steps)}: ${issue.detail}`, {
        path,
        ...(issue.expected === undefined ? {} : { expected: issue.expected }),
        ...(issue.actual === undefined ? {} : { actual: issue.actual }),
      }),
    );
  }
  return findings;
}

function responsesOf(spec: OpenApiDocument, operation: Record<string, unknown>): Record<string, unknown> {
  return deref<Record<string, unknown>>(spec, operation.responses) ?? {};
}

/** The declared media type serving a recorded one: equal, then JSON-compatible, then `type/*`, then `*\/*`. */
function chooseMediaType(declared: string[], recorded: string): string | undefined {
  const essences = declared.map((key) => mediaTypeOf(key) ?? key);
  const index =
    [
      essences.indexOf(recorded),
      isJsonMediaType(recorded) ? essences.findIndex(isJsonMediaType) : -1,
      essences.indexOf(`${recorded.split('/')[0]}/*`),
      essences.indexOf('*/*'),
    ].find((i) => i >= 0) ?? -1;
  return index >= 0 ? declared[index] : undefined;
}
