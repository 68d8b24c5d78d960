/**
 * Every breaking-change rule `entente diff` knows, with its level and what it
 * means. The registry is a `Record` over the rule IDs, so a rule cannot exist
 * without its documentation; docs/breaking-changes.md is generated from it.
 */

export type DiffLevel = 'error' | 'warning' | 'info';

export interface DiffRule {
  level: DiffLevel;
  title: string;
  description: string;
}

/**
 * Schema changes seen from a request: the consumer writes, the provider reads.
 * The revision must still accept everything the base accepted.
 */
export const REQUEST_SCHEMA_ASPECTS = [
  'type-changed',
  'format-changed',
  'enum-narrowed',
  'enum-widened',
  'became-non-nullable',
  'constraint-tightened',
  'required-property-added',
  'property-became-required',
  'property-removed',
  'property-added',
  'composition-narrowed',
  'one-of-became-any-of',
  'conditional-changed',
  'dependency-added',
  'keyword-tightened',
  'discriminator-changed',
  'narrowed',
] as const;
export type RequestSchemaAspect = (typeof REQUEST_SCHEMA_ASPECTS)[number];

/**
 * Schema changes seen from a response: the provider writes, the consumer reads.
 * The revision must not send anything the base would not have sent, nor stop
 * sending what the base promised.
 */
export const RESPONSE_SCHEMA_ASPECTS = [
  'type-changed',
  'format-changed',
  'enum-widened',
  'became-nullable',
  'constraint-loosened',
  'property-removed',
  'optional-property-removed',
  'property-became-optional',
  'property-added',
  'composition-widened',
  'one-of-became-any-of',
  'conditional-changed',
  'dependency-removed',
  'keyword-loosened',
  'discriminator-changed',
  'widened',
] as const;
export type ResponseSchemaAspect = (typeof RESPONSE_SCHEMA_ASPECTS)[number];

/**
 * Where a schema sits, which says who writes it. Callbacks and webhooks
 * reverse the roles: the provider writes their request (parameters and body,
 * read like a response) and the consumer writes their response (headers and
 * body, read like a request).
 */
export type RequestSchemaContext =
  | 'request.parameter'
  | 'request.body'
  | 'callback.response.header'
  | 'callback.response.body';
export type ResponseSchemaContext =
  | 'response.body'
  | 'response.header'
  | 'callback.request.parameter'
  | 'callback.request.body';

export const REQUEST_SCHEMA_CONTEXTS: readonly RequestSchemaContext[] = [
  'request.parameter',
  'request.body',
  'callback.response.header',
  'callback.response.body',
];
export const RESPONSE_SCHEMA_CONTEXTS: readonly ResponseSchemaContext[] = [
  'response.body',
  'response.header',
  'callback.request.parameter',
  'callback.request.body',
];
export type SchemaContext = RequestSchemaContext | ResponseSchemaContext;

export type SchemaRuleId =
  | `${RequestSchemaContext}.${RequestSchemaAspect}`
  | `${ResponseSchemaContext}.${ResponseSchemaAspect}`;

const structuralRules = {
  'server.base-path-changed': {
    level: 'error',
    title: 'Base path changed',
    description:
      'The path of the first `servers` URL changed (`/v1` → `/v2`, server variables at their defaults): every operation moved, and consumers calling the old URLs get 404.',
  },
  'webhook.removed': {
    level: 'warning',
    title: 'Webhook removed',
    description:
      'A webhook (OpenAPI 3.1 `webhooks`) is no longer declared: subscribers stop receiving it, which nothing on their side refuses, but what they do on it stops.',
  },
  'webhook.added': {
    level: 'info',
    title: 'Webhook added',
    description: 'A new webhook; subscribers that do not expect it must ignore it.',
  },
  'callback.removed': {
    level: 'warning',
    title: 'Callback removed',
    description:
      'An operation no longer declares a callback (or one of its methods): consumers stop being called back.',
  },
  'callback.added': {
    level: 'info',
    title: 'Callback added',
    description: 'An operation declares a new callback (or a new method of one).',
  },
  'callback.request.parameter.removed': {
    level: 'error',
    title: 'Callback request: required parameter removed',
    description:
      'A parameter (a header such as a signature or an event type, a query or path parameter) the provider always sent with a callback or webhook request is no longer declared; subscribers reading it lose it.',
  },
  'callback.request.parameter.optional-removed': {
    level: 'warning',
    title: 'Callback request: optional parameter removed',
    description:
      'An optional parameter of a callback or webhook request is no longer declared; subscribers reading it lose it.',
  },
  'callback.request.parameter.became-optional': {
    level: 'error',
    title: 'Callback request: parameter became optional',
    description: 'A parameter the provider always sent with a callback or webhook request may now be absent.',
  },
  'callback.request.parameter.added': {
    level: 'info',
    title: 'Callback request: parameter added',
    description:
      'The provider sends a new parameter with a callback or webhook request; subscribers that do not know it ignore it.',
  },
  'callback.request.body.removed': {
    level: 'error',
    title: 'Callback request body removed',
    description:
      'A callback or webhook request no longer declares a body: the provider sends none, and subscribers reading it get nothing.',
  },
  'callback.request.body.became-optional': {
    level: 'error',
    title: 'Callback request body became optional',
    description:
      'The body of a callback or webhook request was required and may now be absent; subscribers reading it may get nothing.',
  },
  'callback.request.body.added': {
    level: 'info',
    title: 'Callback request body added',
    description: 'A callback or webhook request that had no body now has one.',
  },
  'callback.request.content-type.removed': {
    level: 'info',
    title: 'Callback request content type removed',
    description:
      'The provider no longer sends a callback or webhook request body in one of its media types: it sends only media types subscribers already accept.',
  },
  'callback.request.content-type.added': {
    level: 'warning',
    title: 'Callback request content type added',
    description:
      'The provider may send a callback or webhook request body in a new media type, which it chooses (no content negotiation): subscribers that only accept the old ones may refuse it (415) or fail to parse it.',
  },
  'callback.response.status.removed': {
    level: 'error',
    title: 'Callback response: success status removed',
    description:
      'A 1xx/2xx/3xx status subscribers may answer a callback or webhook with is no longer declared: the provider may read such an answer as a failed delivery (and retry or give up).',
  },
  'callback.response.status.non-success-removed': {
    level: 'info',
    title: 'Callback response: error status removed',
    description: 'A 4xx/5xx or default answer to a callback or webhook is no longer declared.',
  },
  'callback.response.status.added': {
    level: 'info',
    title: 'Callback response: status added',
    description: 'The provider accepts a new status in answer to a callback or webhook.',
  },
  'callback.response.content-type.removed': {
    level: 'error',
    title: 'Callback response content type removed',
    description:
      'The provider no longer reads the answer to a callback or webhook in one of its media types; subscribers answering in it are not understood.',
  },
  'callback.response.content-type.added': {
    level: 'info',
    title: 'Callback response content type added',
    description: 'The provider also reads the answer to a callback or webhook in a new media type.',
  },
  'callback.response.header.required-added': {
    level: 'error',
    title: 'Callback response: required header added',
    description:
      'The provider requires a new header in the answer to a callback or webhook; subscribers that do not send it fail.',
  },
  'callback.response.header.became-required': {
    level: 'error',
    title: 'Callback response: header became required',
    description:
      'A header of the answer to a callback or webhook that subscribers could leave out is now required.',
  },
  'callback.response.header.removed': {
    level: 'warning',
    title: 'Callback response: header removed',
    description:
      'The provider no longer declares a header of the answer to a callback or webhook; what subscribers send in it is ignored.',
  },
  'callback.response.header.optional-added': {
    level: 'info',
    title: 'Callback response: optional header added',
    description: 'The provider reads a new optional header in the answer to a callback or webhook.',
  },
  'path.removed': {
    level: 'error',
    title: 'Path removed',
    description: 'Every operation of a path template is gone; consumers calling any of them get 404.',
  },
  'path.added': {
    level: 'info',
    title: 'Path added',
    description: 'A new path template with its operations.',
  },
  'operation.removed': {
    level: 'error',
    title: 'Operation removed',
    description: 'A method of a path that still exists is gone; consumers calling it get 405.',
  },
  'operation.added': {
    level: 'info',
    title: 'Operation added',
    description: 'A new method on an existing path.',
  },
  'operation.id-changed': {
    level: 'warning',
    title: 'operationId changed',
    description:
      'The operation keeps its method and path but has a new operationId; contracts and fixtures that name the old operationId need updating, generated clients rename a method.',
  },
  'operation.deprecated': {
    level: 'info',
    title: 'Operation deprecated',
    description: 'The operation is now marked `deprecated: true`.',
  },
  'request.parameter.required-added': {
    level: 'error',
    title: 'New required parameter',
    description: 'The operation has a new required parameter; requests that do not send it are refused.',
  },
  'request.parameter.optional-added': {
    level: 'info',
    title: 'New optional parameter',
    description: 'The operation has a new optional parameter.',
  },
  'request.parameter.removed': {
    level: 'warning',
    title: 'Parameter removed',
    description:
      'A parameter is no longer declared; consumers still sending it may be refused or silently ignored.',
  },
  'request.parameter.became-required': {
    level: 'error',
    title: 'Parameter became required',
    description: 'An optional parameter is now required; requests that omit it are refused.',
  },
  'request.parameter.location-changed': {
    level: 'error',
    title: 'Parameter moved',
    description: 'A parameter moved to another location (query, header, path, cookie) under the same name.',
  },
  'request.parameter.style-changed': {
    level: 'error',
    title: 'Parameter serialisation changed',
    description: 'The `style` or `explode` of a parameter changed, so the same value is written differently.',
  },
  'request.parameter.content-changed': {
    level: 'error',
    title: 'Parameter media type changed',
    description:
      'A parameter switched between `schema` (serialised by its style) and `content` (serialised as a media type such as `application/json`), or to another media type: the same value is written differently and what consumers send no longer parses.',
  },
  'request.body.required-added': {
    level: 'error',
    title: 'Required request body added',
    description: 'An operation that took no request body now requires one.',
  },
  'request.body.became-required': {
    level: 'error',
    title: 'Request body became required',
    description: 'An optional request body is now required; requests without a body are refused.',
  },
  'request.body.removed': {
    level: 'warning',
    title: 'Request body removed',
    description:
      'The operation no longer declares a request body; what consumers send may be refused or ignored.',
  },
  'request.body.content-type-removed': {
    level: 'error',
    title: 'Request content type removed',
    description: 'A media type the request body accepted is gone; consumers sending it are refused (415).',
  },
  'request.body.content-type-added': {
    level: 'info',
    title: 'Request content type added',
    description: 'The request body accepts a new media type.',
  },
  'response.status.removed': {
    level: 'error',
    title: 'Success status removed',
    description:
      'A 1xx/2xx/3xx response is no longer declared; consumers that handle it get a status they did not expect.',
  },
  'response.status.non-success-removed': {
    level: 'info',
    title: 'Error status removed',
    description: 'A 4xx/5xx or default response is no longer declared.',
  },
  'response.status.added': {
    level: 'info',
    title: 'Response status added',
    description: 'The operation declares a new response status; consumers may not handle it.',
  },
  'response.content-type.removed': {
    level: 'error',
    title: 'Response content type removed',
    description: 'A media type a response was served in is gone; consumers reading it lose the whole body.',
  },
  'response.content-type.added': {
    level: 'info',
    title: 'Response content type added',
    description: 'A response is also served in a new media type.',
  },
  'response.header.removed': {
    level: 'error',
    title: 'Required response header removed',
    description: 'A response header that was required is no longer declared.',
  },
  'response.header.optional-removed': {
    level: 'warning',
    title: 'Optional response header removed',
    description: 'An optional response header is no longer declared; consumers reading it may lose it.',
  },
  'response.header.became-optional': {
    level: 'error',
    title: 'Response header became optional',
    description: 'A response header that was required may now be absent.',
  },
  'security.requirement-added': {
    level: 'error',
    title: 'Security requirement added',
    description: 'An operation that could be called anonymously now requires credentials.',
  },
  'security.requirement-changed': {
    level: 'error',
    title: 'Security requirement changed',
    description:
      'Credentials that satisfied the operation no longer do (another scheme, more schemes together, or more scopes).',
  },
  'security.requirement-removed': {
    level: 'info',
    title: 'Security requirement relaxed',
    description:
      'The operation accepts more than before: fewer scopes, another alternative, or no credentials.',
  },
  'security.scheme-removed': {
    level: 'error',
    title: 'Security scheme removed',
    description: 'A security scheme in `components.securitySchemes` is gone.',
  },
  'security.scheme-changed': {
    level: 'error',
    title: 'Security scheme changed',
    description:
      'A security scheme changed its type, HTTP scheme, or where its API key goes (`in`, `name`); credentials sent the old way are refused.',
  },
} as const satisfies Record<string, DiffRule>;

function requestSchemaRules<C extends RequestSchemaContext>(
  context: C,
  what: string,
  noun: string,
): Record<`${C}.${RequestSchemaAspect}`, DiffRule> {
  const rules: Record<RequestSchemaAspect, DiffRule> = {
    'type-changed': {
      level: 'error',
      title: `${noun}: type changed`,
      description: `The type of ${what} (or a field in it) no longer accepts every value it accepted.`,
    },
    'format-changed': {
      level: 'error',
      title: `${noun}: format changed`,
      description: `${cap(what)} (or a field in it) gained a \`format\` or changed it; values that were valid may be refused.`,
    },
    'enum-narrowed': {
      level: 'error',
      title: `${noun}: enum narrowed`,
      description: `${cap(what)} (or a field in it) accepts fewer enum values, or is newly restricted to an enum.`,
    },
    'enum-widened': {
      level: 'info',
      title: `${noun}: enum widened`,
      description: `${cap(what)} (or a field in it) accepts more enum values.`,
    },
    'became-non-nullable': {
      level: 'error',
      title: `${noun}: no longer nullable`,
      description: `${cap(what)} (or a field in it) no longer accepts null (3.0 \`nullable\`, 3.1 \`"null"\` in \`type\`).`,
    },
    'constraint-tightened': {
      level: 'error',
      title: `${noun}: constraint tightened`,
      description: `A numeric, length, size, pattern, uniqueness, contains or additionalProperties constraint on ${what} (or a field in it) is stricter, in the 3.0 (boolean \`exclusiveMinimum\`) or 3.1 (numeric) form; values that were valid may be refused. A looser one (widening what is accepted) is compatible and not reported.`,
    },
    'required-property-added': {
      level: 'error',
      title: `${noun}: new required property`,
      description: `${cap(what)} has a new required property; requests without it are refused.`,
    },
    'property-became-required': {
      level: 'error',
      title: `${noun}: property became required`,
      description: `An optional property of ${what} is now required.`,
    },
    'property-removed': {
      level: 'error',
      title: `${noun}: property removed`,
      description: `A property of ${what} is gone and additional properties are not allowed; requests still sending it are refused.`,
    },
    'property-added': {
      level: 'info',
      title: `${noun}: optional property added`,
      description: `${cap(what)} has a new optional property.`,
    },
    'composition-narrowed': {
      level: 'error',
      title: `${noun}: composition narrowed`,
      description: `${cap(what)} (or a field in it) lost an \`anyOf\`/\`oneOf\` branch, or gained (or changed) a \`not\`: values that matched only what is gone are refused. A composition added where there was none, or \`anyOf\` branches that became \`oneOf\` (which refuses a value matching several), is reported only with a counterexample.`,
    },
    'one-of-became-any-of': {
      level: 'info',
      title: `${noun}: oneOf became anyOf`,
      description: `${cap(what)} (or a field in it) has the same branches under \`anyOf\` instead of \`oneOf\`: a value matching several branches, refused before, is accepted too. Compatible.`,
    },
    'conditional-changed': {
      level: 'error',
      title: `${noun}: conditional changed`,
      description: `An \`if\`/\`then\`/\`else\` on ${what} (or a field in it) was added or changed so that a value the base accepted is refused; reported only with a counterexample, since a changed conditional may as well accept more.`,
    },
    'dependency-added': {
      level: 'error',
      title: `${noun}: dependency added`,
      description: `A \`dependentRequired\` entry of ${what} (or a field in it) requires more properties alongside another, or \`dependentSchemas\` (\`dependencies\`) was added; changed dependent schemas are reported with a counterexample.`,
    },
    'keyword-tightened': {
      level: 'error',
      title: `${noun}: keyword tightened`,
      description: `\`patternProperties\`, \`propertyNames\`, \`unevaluatedProperties\`/\`unevaluatedItems\`, \`prefixItems\`, \`contains\` or a content keyword (\`contentSchema\`, \`contentMediaType\`, \`contentEncoding\`) was added to ${what} (or a field in it), or changed, so that a value it accepted is refused. The validated keywords are reported only with a counterexample (\`patternProperties: {"^x-": true}\` restricts nothing); the content keywords, which validators leave to the application, whenever they appear or change.`,
    },
    'discriminator-changed': {
      level: 'error',
      title: `${noun}: discriminator changed`,
      description: `The discriminator of ${what} (or a field in it) renamed its property, or a mapping value is gone or points to another schema: payloads tagged the old way are refused or read as another type.`,
    },
    narrowed: {
      level: 'error',
      title: `${noun}: narrowed`,
      description: `No named rule describes the change, but ${what} refuses a value it accepted: the finding shows that value (the counterexample), checked against both schemas.`,
    },
  };
  return prefixed(context, rules);
}

function responseSchemaRules<C extends ResponseSchemaContext>(
  context: C,
  what: string,
  noun: string,
): Record<`${C}.${ResponseSchemaAspect}`, DiffRule> {
  const rules: Record<ResponseSchemaAspect, DiffRule> = {
    'type-changed': {
      level: 'error',
      title: `${noun}: type changed`,
      description: `The type of ${what} (or a field in it) may now be one consumers have not seen before.`,
    },
    'format-changed': {
      level: 'warning',
      title: `${noun}: format changed`,
      description: `${cap(what)} (or a field in it) changed or lost its \`format\`; consumers parsing the old format may fail.`,
    },
    'enum-widened': {
      level: 'warning',
      title: `${noun}: enum widened`,
      description: `${cap(what)} (or a field in it) may hold a new enum value (or any value); a consumer may not handle it.`,
    },
    'became-nullable': {
      level: 'error',
      title: `${noun}: became nullable`,
      description: `${cap(what)} (or a field in it) may now be null (3.0 \`nullable\`, 3.1 \`"null"\` in \`type\`).`,
    },
    'constraint-loosened': {
      level: 'error',
      title: `${noun}: constraint loosened`,
      description: `A numeric, length, size, pattern or contains constraint on ${what} (or a field in it) is looser (a lower \`minimum\`, a higher \`maxLength\`, in the 3.0 or the 3.1 form): consumers that rely on the documented bounds (validation, buffer sizes, ranges) receive values outside them.`,
    },
    'property-removed': {
      level: 'error',
      title: `${noun}: required property removed`,
      description: `A property of ${what} that was always present is gone.`,
    },
    'optional-property-removed': {
      level: 'warning',
      title: `${noun}: optional property removed`,
      description: `An optional property of ${what} is no longer declared; consumers reading it lose it.`,
    },
    'property-became-optional': {
      level: 'error',
      title: `${noun}: property became optional`,
      description: `A property of ${what} that was always present may now be absent.`,
    },
    'property-added': {
      level: 'info',
      title: `${noun}: property added`,
      description: `${cap(what)} has a new property. Consumers must ignore properties they do not know, so this is compatible.`,
    },
    'composition-widened': {
      level: 'error',
      title: `${noun}: composition widened`,
      description: `${cap(what)} (or a field in it) gained an \`anyOf\`/\`oneOf\` branch, or lost (or changed) a \`not\`: it may now hold a shape consumers never saw. A composition removed is reported only with a counterexample.`,
    },
    'one-of-became-any-of': {
      level: 'error',
      title: `${noun}: oneOf became anyOf`,
      description: `${cap(what)} (or a field in it) has the same branches under \`anyOf\` instead of \`oneOf\`: it may hold a value matching several branches, which consumers that read a value as the one branch it matches (generated clients' unions) cannot place. Reported only with a counterexample, a value valid against two branches: branches no value can share change nothing. The other way round (\`anyOf\` → \`oneOf\`) only narrows a response, which is compatible.`,
    },
    'conditional-changed': {
      level: 'error',
      title: `${noun}: conditional changed`,
      description: `An \`if\`/\`then\`/\`else\` on ${what} (or a field in it) was removed or changed so that it may hold a value the base did not allow; reported only with a counterexample.`,
    },
    'dependency-removed': {
      level: 'error',
      title: `${noun}: dependency removed`,
      description: `A \`dependentRequired\` entry of ${what} (or a field in it) no longer guarantees some properties alongside another, or \`dependentSchemas\` (\`dependencies\`) was removed; changed dependent schemas are reported with a counterexample.`,
    },
    'keyword-loosened': {
      level: 'error',
      title: `${noun}: keyword loosened`,
      description: `\`patternProperties\`, \`propertyNames\`, \`unevaluatedProperties\`/\`unevaluatedItems\`, \`prefixItems\`, \`contains\` or a content keyword was removed from ${what} (or a field in it), or changed, so that it may hold what it could not. The validated keywords are reported only with a counterexample; the content keywords whenever they disappear or change.`,
    },
    'discriminator-changed': {
      level: 'error',
      title: `${noun}: discriminator changed`,
      description: `The discriminator of ${what} (or a field in it) renamed its property, or maps a new value or an old value to another schema: consumers meet a tag they cannot place.`,
    },
    widened: {
      level: 'error',
      title: `${noun}: widened`,
      description: `No named rule describes the change, but ${what} may hold a value the base did not allow: the finding shows that value (the counterexample), checked against both schemas.`,
    },
  };
  return prefixed(context, rules);
}

function prefixed<C extends string, A extends string>(
  context: C,
  rules: Record<A, DiffRule>,
): Record<`${C}.${A}`, DiffRule> {
  const out: Record<string, DiffRule> = {};
  for (const [aspect, rule] of Object.entries<DiffRule>(rules)) out[`${context}.${aspect}`] = rule;
  return out as Record<`${C}.${A}`, DiffRule>;
}

export type RuleId = keyof typeof structuralRules | SchemaRuleId;

/** Every rule, by ID. */
export const diffRules: Readonly<Record<RuleId, DiffRule>> = {
  ...structuralRules,
  ...requestSchemaRules('request.parameter', 'a request parameter', 'Parameter'),
  ...requestSchemaRules('request.body', 'the request body', 'Request body'),
  ...requestSchemaRules(
    'callback.response.header',
    'a header of the answer a consumer sends back to a callback or webhook (the provider reads it)',
    'Callback response header',
  ),
  ...requestSchemaRules(
    'callback.response.body',
    'the response body a consumer sends back to a callback or webhook (the provider reads it)',
    'Callback response body',
  ),
  ...responseSchemaRules('response.body', 'the response body', 'Response body'),
  ...responseSchemaRules('response.header', 'a response header', 'Response header'),
  ...responseSchemaRules(
    'callback.request.parameter',
    'a parameter of a callback or webhook request (the provider sends it, consumers read it)',
    'Callback request parameter',
  ),
  ...responseSchemaRules(
    'callback.request.body',
    'the request body of a callback or webhook (the provider sends it, consumers read it)',
    'Callback request body',
  ),
};

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const RULE_IDS = Object.keys(diffRules) as RuleId[];
