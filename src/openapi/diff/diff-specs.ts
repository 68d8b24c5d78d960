import {
  encodePointerSegment,
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  resolvePointer,
  serverBasePath,
} from '../document.js';
import { type Direction, type SchemaChange, SchemaComparer } from './compare-schemas.js';
import { CounterexampleSearch } from './counterexample.js';
import { type DiffFinding, type DiffOperation, type DiffTarget, finding } from './findings.js';
import {
  diffRules,
  REQUEST_SCHEMA_CONTEXTS,
  RESPONSE_SCHEMA_CONTEXTS,
  type RequestSchemaContext,
  type ResponseSchemaContext,
  type RuleId,
  type SchemaContext,
  type SchemaRuleId,
} from './rules.js';
import { SchemaEquality } from './schema-equality.js';
import { isObject, type SchemaRef } from './schema-view.js';
import { diffSecurity, diffSecuritySchemes } from './security.js';

type Node = Record<string, unknown>;
interface Located {
  node: Node;
  pointer: string;
}
interface PathEntry {
  /** The path template as written. */
  path: string;
  item: Located;
}

/**
 * Every change from `base` to `revision` that the rules know, in the order of
 * the revision's paths (removed paths and operations in the base's order).
 * Paths match by template shape: `/castles/{id}` is `/castles/{castleId}`.
 */
export function diffSpecs(base: OpenApiDocument, revision: OpenApiDocument): DiffFinding[] {
  return new SpecDiff(base, revision).run();
}

class SpecDiff {
  private readonly findings: DiffFinding[] = [];
  private readonly comparers: Record<Direction, SchemaComparer>;
  private readonly counterexamples: CounterexampleSearch;
  private readonly equality: SchemaEquality;

  constructor(
    private readonly base: OpenApiDocument,
    private readonly revision: OpenApiDocument,
  ) {
    this.comparers = {
      request: new SchemaComparer(base, revision, 'request'),
      response: new SchemaComparer(base, revision, 'response'),
    };
    this.counterexamples = new CounterexampleSearch(base, revision);
    this.equality = new SchemaEquality(base, revision);
  }

  run(): DiffFinding[] {
    const baseBasePath = serverBasePath(this.base);
    const revisionBasePath = serverBasePath(this.revision);
    if (baseBasePath !== revisionBasePath) {
      this.push('server.base-path-changed', {
        location: '/servers/0/url',
        message: `base path changed from ${baseBasePath || '/'} to ${revisionBasePath || '/'}`,
        before: baseBasePath,
        after: revisionBasePath,
      });
    }
    const basePaths = byShape(this.base);
    const revisionPaths = byShape(this.revision);
    for (const [shape, base] of basePaths) {
      const revision = revisionPaths.get(shape);
      if (revision) {
        this.diffPath(base, revision);
        continue;
      }
      for (const [method, operation] of operationsOf(base.item)) {
        this.push('path.removed', {
          operation: describe(method, base.path, operation.node),
          location: operation.pointer,
          target: { kind: 'operation' },
          message: 'removed, with its whole path',
        });
      }
    }
    for (const [shape, revision] of revisionPaths) {
      if (basePaths.has(shape)) continue;
      for (const [method, operation] of operationsOf(revision.item)) {
        this.push('path.added', {
          operation: describe(method, revision.path, operation.node),
          location: operation.pointer,
          target: { kind: 'operation' },
          message: 'added, with a new path',
        });
      }
    }
    this.diffCallbacks(webhooksOf(this.base), webhooksOf(this.revision), (name) => `webhook ${name}`, {
      removed: 'webhook.removed',
      added: 'webhook.added',
    });
    this.findings.push(...diffSecuritySchemes(this.base, this.revision));
    return this.findings;
  }

  /**
   * Webhooks (by name) or an operation's callbacks (by name and expression):
   * the provider sends their requests and reads their responses, so their
   * bodies are compared with the roles reversed.
   */
  private diffCallbacks(
    baseItems: Map<string, Located>,
    revisionItems: Map<string, Located>,
    label: (key: string) => string,
    rules: { removed: RuleId; added: RuleId },
  ): void {
    for (const [key, baseItem] of baseItems) {
      const revisionItem = revisionItems.get(key);
      const revisionOperations = revisionItem ? operationsOf(revisionItem) : new Map<HttpMethod, Located>();
      for (const [method, baseOperation] of operationsOf(baseItem)) {
        const operation = describe(method, label(key), baseOperation.node);
        const revisionOperation = revisionOperations.get(method);
        if (!revisionOperation) {
          this.push(rules.removed, {
            operation,
            location: baseOperation.pointer,
            target: { kind: 'operation' },
            message: `${label(key)} ${method.toUpperCase()} removed`,
          });
          continue;
        }
        const baseEntry = { path: key, item: baseItem };
        const revisionEntry = { path: key, item: revisionItem! };
        this.diffCallbackParameters(
          operation,
          this.parametersOf(this.base, baseEntry, baseOperation),
          this.parametersOf(this.revision, revisionEntry, revisionOperation),
        );
        this.diffCallbackRequestBody(operation, baseOperation, revisionOperation);
        this.diffResponses(operation, baseOperation, revisionOperation, CALLBACK_RESPONSE_RULES);
      }
    }
    for (const [key, revisionItem] of revisionItems) {
      const baseItem = baseItems.get(key);
      const baseOperations = baseItem ? operationsOf(baseItem) : new Map<HttpMethod, Located>();
      for (const [method, revisionOperation] of operationsOf(revisionItem)) {
        if (baseOperations.has(method)) continue;
        this.push(rules.added, {
          operation: describe(method, label(key), revisionOperation.node),
          location: revisionOperation.pointer,
          target: { kind: 'operation' },
          message: `${label(key)} ${method.toUpperCase()} added`,
        });
      }
    }
  }

  private diffPath(base: PathEntry, revision: PathEntry): void {
    const baseOperations = operationsOf(base.item);
    const revisionOperations = operationsOf(revision.item);
    for (const [method, baseOperation] of baseOperations) {
      const revisionOperation = revisionOperations.get(method);
      if (revisionOperation) {
        this.diffOperation(method, base, baseOperation, revision, revisionOperation);
        continue;
      }
      this.push('operation.removed', {
        operation: describe(method, base.path, baseOperation.node),
        location: baseOperation.pointer,
        target: { kind: 'operation' },
        message: 'removed',
      });
    }
    for (const [method, operation] of revisionOperations) {
      if (baseOperations.has(method)) continue;
      this.push('operation.added', {
        operation: describe(method, revision.path, operation.node),
        location: operation.pointer,
        target: { kind: 'operation' },
        message: 'added',
      });
    }
  }

  private push(rule: RuleId, fields: Omit<DiffFinding, 'rule' | 'level'>): void {
    this.findings.push(finding(rule, fields));
  }

  private diffOperation(
    method: HttpMethod,
    base: PathEntry,
    baseOperation: Located,
    revision: PathEntry,
    revisionOperation: Located,
  ): void {
    const operation = describe(method, revision.path, revisionOperation.node, baseOperation.node);
    const b = baseOperation.node;
    const r = revisionOperation.node;
    if (
      typeof b.operationId === 'string' &&
      typeof r.operationId === 'string' &&
      b.operationId !== r.operationId
    ) {
      this.push('operation.id-changed', {
        operation,
        location: `${revisionOperation.pointer}/operationId`,
        target: { kind: 'operation' },
        message: `operationId changed from ${b.operationId} to ${r.operationId}`,
        before: b.operationId,
        after: r.operationId,
      });
    }
    if (b.deprecated !== true && r.deprecated === true) {
      this.push('operation.deprecated', {
        operation,
        location: `${revisionOperation.pointer}/deprecated`,
        target: { kind: 'operation' },
        message: 'now deprecated',
      });
    }
    this.diffParameters(
      operation,
      this.parametersOf(this.base, base, baseOperation),
      this.parametersOf(this.revision, revision, revisionOperation),
    );
    this.diffRequestBody(operation, baseOperation, revisionOperation);
    this.diffResponses(operation, baseOperation, revisionOperation, RESPONSE_RULES);
    this.diffCallbacks(
      callbacksOf(this.base, baseOperation),
      callbacksOf(this.revision, revisionOperation),
      (key) => `${operation.method} ${operation.path} callback ${key}`,
      { removed: 'callback.removed', added: 'callback.added' },
    );
    this.findings.push(
      ...diffSecurity(operation, this.base, baseOperation, this.revision, revisionOperation),
    );
  }

  private parametersOf(document: OpenApiDocument, path: PathEntry, operation: Located): Map<string, Located> {
    const templateNames = [...path.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    const parameters = new Map<string, Located>();
    for (const owner of [path.item, operation]) {
      const list = owner.node.parameters;
      if (!Array.isArray(list)) continue;
      list.forEach((raw, i) => {
        const parameter = follow(document, raw, `${owner.pointer}/parameters/${i}`);
        if (!parameter) return;
        const { in: location, name } = parameter.node;
        if (typeof location !== 'string' || typeof name !== 'string') return;
        if (location === 'header' && IGNORED_HEADER_PARAMETERS.has(name.toLowerCase())) return;
        parameters.set(parameterKey(location, name, templateNames), parameter);
      });
    }
    return parameters;
  }

  private diffParameters(
    operation: DiffOperation,
    baseParameters: Map<string, Located>,
    revisionParameters: Map<string, Located>,
  ): void {
    const claimed = new Set<string>();
    for (const [key, base] of baseParameters) {
      const revision = revisionParameters.get(key);
      const name = String(base.node.name);
      const location = String(base.node.in);
      if (!revision) {
        const movedKey = [...revisionParameters.keys()].find(
          (k) =>
            !baseParameters.has(k) && !claimed.has(k) && sameName(revisionParameters.get(k)!.node, base.node),
        );
        if (movedKey) {
          claimed.add(movedKey);
          const moved = revisionParameters.get(movedKey)!;
          this.push('request.parameter.location-changed', {
            operation,
            location: moved.pointer,
            target: { kind: 'parameter', in: location, name, path: '' },
            message: `parameter \`${name}\` moved from ${location} to ${String(moved.node.in)}`,
            before: location,
            after: moved.node.in,
          });
        } else {
          this.push('request.parameter.removed', {
            operation,
            location: base.pointer,
            target: { kind: 'parameter', in: location, name, path: '' },
            message: `${location} parameter \`${name}\` removed`,
          });
        }
        continue;
      }
      const revisionName = String(revision.node.name);
      const where = `${location} parameter \`${revisionName}\``;
      const target = (path: string): DiffTarget => ({
        kind: 'parameter',
        in: location,
        name: revisionName,
        path,
      });
      if (!isRequiredParameter(base.node) && isRequiredParameter(revision.node)) {
        this.push('request.parameter.became-required', {
          operation,
          location: revision.pointer,
          target: target(''),
          message: `${where} became required`,
        });
      }
      const baseMedia = parameterMediaType(base.node);
      const revisionMedia = parameterMediaType(revision.node);
      if (baseMedia !== revisionMedia) {
        const show = (media: string | undefined) => media ?? 'its style (schema)';
        this.push('request.parameter.content-changed', {
          operation,
          location: revision.pointer,
          target: target(''),
          message: `${where} is written as ${show(revisionMedia)} instead of ${show(baseMedia)}`,
          before: baseMedia ?? 'schema',
          after: revisionMedia ?? 'schema',
        });
      }
      const baseStyle = styleOf(base.node);
      const revisionStyle = styleOf(revision.node);
      const styled = baseMedia === undefined && revisionMedia === undefined;
      if (
        styled &&
        (baseStyle.style !== revisionStyle.style || baseStyle.explode !== revisionStyle.explode)
      ) {
        this.push('request.parameter.style-changed', {
          operation,
          location: revision.pointer,
          target: target(''),
          message: `${where} is serialised differently: style ${baseStyle.style}, explode ${baseStyle.explode} → style ${revisionStyle.style}, explode ${revisionStyle.explode}`,
          before: baseStyle,
          after: revisionStyle,
        });
      }
      const baseSchema = parameterSchema(base);
      const revisionSchema = parameterSchema(revision);
      if (baseSchema && revisionSchema) {
        this.pushSchemaChanges('request.parameter', operation, baseSchema, revisionSchema, (path) => ({
          target: target(path),
          where: path === '' ? where : `${where} field \`${path}\``,
        }));
      }
    }
    for (const [key, revision] of revisionParameters) {
      if (baseParameters.has(key) || claimed.has(key)) continue;
      const required = isRequiredParameter(revision.node);
      const name = String(revision.node.name);
      const location = String(revision.node.in);
      this.push(required ? 'request.parameter.required-added' : 'request.parameter.optional-added', {
        operation,
        location: revision.pointer,
        target: { kind: 'parameter', in: location, name, path: '' },
        message: `new ${required ? 'required' : 'optional'} ${location} parameter \`${name}\``,
      });
    }
  }

  /**
   * The parameters the provider sends with a callback or webhook request, read by subscribers as
   * they read a response's headers: losing one, or one becoming optional, is what breaks them.
   */
  private diffCallbackParameters(
    operation: DiffOperation,
    baseParameters: Map<string, Located>,
    revisionParameters: Map<string, Located>,
  ): void {
    for (const [key, base] of baseParameters) {
      const revision = revisionParameters.get(key);
      const location = String(base.node.in);
      const name = String((revision ?? base).node.name);
      const where = `callback request ${location} parameter \`${name}\``;
      const target = (path: string): DiffTarget => ({ kind: 'parameter', in: location, name, path });
      const required = isRequiredParameter(base.node);
      if (!revision) {
        this.push(
          required ? 'callback.request.parameter.removed' : 'callback.request.parameter.optional-removed',
          { operation, location: base.pointer, target: target(''), message: `${where} removed` },
        );
        continue;
      }
      if (required && !isRequiredParameter(revision.node)) {
        this.push('callback.request.parameter.became-optional', {
          operation,
          location: revision.pointer,
          target: target(''),
          message: `${where} may now be absent`,
        });
      }
      const baseSchema = parameterSchema(base);
      const revisionSchema = parameterSchema(revision);
      if (baseSchema && revisionSchema) {
        this.pushSchemaChanges(
          'callback.request.parameter',
          operation,
          baseSchema,
          revisionSchema,
          (path) => ({
            target: target(path),
            where: path === '' ? where : `${where} field \`${path}\``,
          }),
        );
      }
    }
    for (const [key, revision] of revisionParameters) {
      if (baseParameters.has(key)) continue;
      const location = String(revision.node.in);
      const name = String(revision.node.name);
      this.push('callback.request.parameter.added', {
        operation,
        location: revision.pointer,
        target: { kind: 'parameter', in: location, name, path: '' },
        message: `new callback request ${location} parameter \`${name}\``,
      });
    }
  }

  /** An operation's request body in the base and in the revision, each followed through its `$ref`. */
  private requestBodies(
    baseOperation: Located,
    revisionOperation: Located,
  ): [Located | undefined, Located | undefined] {
    return [
      follow(this.base, baseOperation.node.requestBody, `${baseOperation.pointer}/requestBody`),
      follow(this.revision, revisionOperation.node.requestBody, `${revisionOperation.pointer}/requestBody`),
    ];
  }

  /** The body of a callback or webhook request: the provider sends it, in a media type it chooses. */
  private diffCallbackRequestBody(
    operation: DiffOperation,
    baseOperation: Located,
    revisionOperation: Located,
  ): void {
    const [base, revision] = this.requestBodies(baseOperation, revisionOperation);
    if (!base && !revision) return;
    if (!base || !revision) {
      this.push(base ? 'callback.request.body.removed' : 'callback.request.body.added', {
        operation,
        location: (base ?? revision)!.pointer,
        target: { kind: 'request-body', path: '' },
        message: base ? 'the callback request no longer has a body' : 'the callback request now has a body',
      });
      return;
    }
    if (base.node.required === true && revision.node.required !== true) {
      this.push('callback.request.body.became-optional', {
        operation,
        location: revision.pointer,
        target: { kind: 'request-body', path: '' },
        message: 'the callback request body may now be absent',
      });
    }
    this.diffContent(base, revision, {
      removed: (contentType, location) =>
        this.push('callback.request.content-type.removed', {
          operation,
          location,
          target: { kind: 'request-body', contentType, path: '' },
          message: `callback request body is no longer sent as ${contentType}`,
        }),
      added: (contentType, location) =>
        this.push('callback.request.content-type.added', {
          operation,
          location,
          target: { kind: 'request-body', contentType, path: '' },
          message: `callback request body may now be sent as ${contentType}`,
        }),
      matched: (contentType, baseSchema, revisionSchema) =>
        this.pushSchemaChanges('callback.request.body', operation, baseSchema, revisionSchema, (path) => ({
          target: { kind: 'request-body', contentType, path },
          where: requestBodyWhere(contentType, path),
        })),
    });
  }

  private diffRequestBody(
    operation: DiffOperation,
    baseOperation: Located,
    revisionOperation: Located,
  ): void {
    const [base, revision] = this.requestBodies(baseOperation, revisionOperation);
    if (!base && !revision) return;
    if (!base && revision) {
      if (revision.node.required === true) {
        this.push('request.body.required-added', {
          operation,
          location: revision.pointer,
          target: { kind: 'request-body', path: '' },
          message: 'now requires a request body',
        });
      }
      return;
    }
    if (base && !revision) {
      this.push('request.body.removed', {
        operation,
        location: base.pointer,
        target: { kind: 'request-body', path: '' },
        message: 'no longer takes a request body',
      });
      return;
    }
    if (!base || !revision) return;
    if (base.node.required !== true && revision.node.required === true) {
      this.push('request.body.became-required', {
        operation,
        location: `${revision.pointer}/required`,
        target: { kind: 'request-body', path: '' },
        message: 'the request body became required',
      });
    }
    this.diffContent(base, revision, {
      removed: (contentType, location) =>
        this.push('request.body.content-type-removed', {
          operation,
          location,
          target: { kind: 'request-body', contentType, path: '' },
          message: `request body no longer accepts ${contentType}`,
        }),
      added: (contentType, location) =>
        this.push('request.body.content-type-added', {
          operation,
          location,
          target: { kind: 'request-body', contentType, path: '' },
          message: `request body also accepts ${contentType}`,
        }),
      matched: (contentType, baseSchema, revisionSchema) =>
        this.pushSchemaChanges('request.body', operation, baseSchema, revisionSchema, (path) => ({
          target: { kind: 'request-body', contentType, path },
          where: requestBodyWhere(contentType, path),
        })),
    });
  }

  private diffResponses(
    operation: DiffOperation,
    baseOperation: Located,
    revisionOperation: Located,
    rules: ResponseRules,
  ): void {
    const baseResponses = responsesOf(baseOperation);
    const revisionResponses = responsesOf(revisionOperation);
    const matchedStatuses = new Set<string>();
    for (const [status, raw] of baseResponses) {
      // A status the revision now covers with a range (200 → 2XX) or with `default` is still declared.
      const revisionStatus =
        [status, `${status.charAt(0)}XX`, 'default'].find((s) => revisionResponses.has(s)) ?? status;
      const revisionRaw = revisionResponses.get(revisionStatus);
      if (revisionRaw) matchedStatuses.add(revisionStatus);
      const base = follow(this.base, raw.node, raw.pointer);
      if (!revisionRaw) {
        const success = /^[123]/.test(status);
        this.push(success ? rules.statusRemoved : rules.nonSuccessStatusRemoved, {
          operation,
          location: raw.pointer,
          target: { kind: 'response-status', status },
          message: `response ${status} removed`,
        });
        continue;
      }
      const revision = follow(this.revision, revisionRaw.node, revisionRaw.pointer);
      if (!base || !revision) continue;
      this.diffContent(base, revision, {
        removed: (contentType, location) =>
          this.push(rules.contentTypeRemoved, {
            operation,
            location,
            target: { kind: 'response-body', status, contentType, path: '' },
            message: `response ${status} is no longer ${rules.served} as ${contentType}`,
          }),
        added: (contentType, location) =>
          this.push(rules.contentTypeAdded, {
            operation,
            location,
            target: { kind: 'response-body', status: revisionStatus, contentType, path: '' },
            message: `response ${revisionStatus} is also ${rules.served} as ${contentType}`,
          }),
        matched: (contentType, baseSchema, revisionSchema) =>
          this.pushSchemaChanges(rules.body, operation, baseSchema, revisionSchema, (path) => ({
            target: { kind: 'response-body', status: revisionStatus, contentType, path },
            where:
              path === ''
                ? `response ${revisionStatus} (${contentType}) body`
                : `response ${revisionStatus} (${contentType}) field \`${path}\``,
          })),
      });
      if (rules.body === 'response.body') this.diffResponseHeaders(operation, revisionStatus, base, revision);
      else this.diffCallbackResponseHeaders(operation, revisionStatus, base, revision);
    }
    for (const [status, raw] of revisionResponses) {
      if (matchedStatuses.has(status)) continue;
      this.push(rules.statusAdded, {
        operation,
        location: raw.pointer,
        target: { kind: 'response-status', status },
        message: `new response ${status}`,
      });
    }
  }

  private diffResponseHeaders(
    operation: DiffOperation,
    status: string,
    base: Located,
    revision: Located,
  ): void {
    const baseHeaders = headersOf(this.base, base);
    const revisionHeaders = headersOf(this.revision, revision);
    for (const [key, baseHeader] of baseHeaders) {
      const revisionHeader = revisionHeaders.get(key);
      const required = baseHeader.node.required === true;
      const where = `response ${status} header \`${baseHeader.name}\``;
      const target = (path: string): DiffTarget => ({
        kind: 'response-header',
        status,
        name: baseHeader.name,
        path,
      });
      if (!revisionHeader) {
        this.push(required ? 'response.header.removed' : 'response.header.optional-removed', {
          operation,
          location: baseHeader.pointer,
          target: target(''),
          message: `${where} removed`,
        });
        continue;
      }
      if (required && revisionHeader.node.required !== true) {
        this.push('response.header.became-optional', {
          operation,
          location: revisionHeader.pointer,
          target: target(''),
          message: `${where} is no longer required`,
        });
      }
      const baseSchema = parameterSchema(baseHeader);
      const revisionSchema = parameterSchema(revisionHeader);
      if (baseSchema && revisionSchema) {
        this.pushSchemaChanges('response.header', operation, baseSchema, revisionSchema, (path) => ({
          target: target(path),
          where: path === '' ? where : `${where} field \`${path}\``,
        }));
      }
    }
  }

  /**
   * The headers subscribers send in their answer to a callback or webhook, read by the provider as
   * it reads a request's parameters: a new required one, or one becoming required, is what breaks them.
   */
  private diffCallbackResponseHeaders(
    operation: DiffOperation,
    status: string,
    base: Located,
    revision: Located,
  ): void {
    const baseHeaders = headersOf(this.base, base);
    const revisionHeaders = headersOf(this.revision, revision);
    for (const [key, revisionHeader] of revisionHeaders) {
      const baseHeader = baseHeaders.get(key);
      const required = revisionHeader.node.required === true;
      const where = `callback response ${status} header \`${revisionHeader.name}\``;
      const target = (path: string): DiffTarget => ({
        kind: 'response-header',
        status,
        name: revisionHeader.name,
        path,
      });
      if (!baseHeader) {
        this.push(
          required ? 'callback.response.header.required-added' : 'callback.response.header.optional-added',
          {
            operation,
            location: revisionHeader.pointer,
            target: target(''),
            message: `new ${required ? 'required' : 'optional'} ${where}`,
          },
        );
        continue;
      }
      if (required && baseHeader.node.required !== true) {
        this.push('callback.response.header.became-required', {
          operation,
          location: revisionHeader.pointer,
          target: target(''),
          message: `${where} became required`,
        });
      }
      const baseSchema = parameterSchema(baseHeader);
      const revisionSchema = parameterSchema(revisionHeader);
      if (baseSchema && revisionSchema) {
        this.pushSchemaChanges('callback.response.header', operation, baseSchema, revisionSchema, (path) => ({
          target: target(path),
          where: path === '' ? where : `${where} field \`${path}\``,
        }));
      }
    }
    for (const [key, baseHeader] of baseHeaders) {
      if (revisionHeaders.has(key)) continue;
      this.push('callback.response.header.removed', {
        operation,
        location: baseHeader.pointer,
        target: { kind: 'response-header', status, name: baseHeader.name, path: '' },
        message: `callback response ${status} header \`${baseHeader.name}\` removed`,
      });
    }
  }

  /** Media types of a request body or a response, matched exactly, else by `type/*`, else by `*\/*`. */
  private diffContent(
    base: Located,
    revision: Located,
    on: {
      removed: (contentType: string, location: string) => void;
      added: (contentType: string, location: string) => void;
      matched: (contentType: string, base: SchemaRef, revision: SchemaRef) => void;
    },
  ): void {
    const baseContent = contentOf(base);
    const revisionContent = contentOf(revision);
    const matchedKeys = new Set<string>();
    for (const [key, baseMedia] of baseContent) {
      const revisionKey = [key, `${key.split('/')[0]}/*`, '*/*'].find((k) => revisionContent.has(k));
      if (revisionKey !== undefined) matchedKeys.add(revisionKey);
      const revisionMedia = revisionKey === undefined ? undefined : revisionContent.get(revisionKey);
      if (!revisionMedia) {
        on.removed(baseMedia.name, baseMedia.pointer);
        continue;
      }
      if (baseMedia.node.schema !== undefined && revisionMedia.node.schema !== undefined) {
        on.matched(
          revisionMedia.name,
          { node: baseMedia.node.schema, pointer: `${baseMedia.pointer}/schema` },
          { node: revisionMedia.node.schema, pointer: `${revisionMedia.pointer}/schema` },
        );
      }
    }
    for (const [key, revisionMedia] of revisionContent) {
      if (!matchedKeys.has(key)) on.added(revisionMedia.name, revisionMedia.pointer);
    }
  }

  private pushSchemaChanges(
    context: SchemaContext,
    operation: DiffOperation,
    base: SchemaRef,
    revision: SchemaRef,
    describeAt: (path: string) => { target: DiffTarget; where: string },
  ): void {
    const direction: Direction = (REQUEST_SCHEMA_CONTEXTS as readonly string[]).includes(context)
      ? 'request'
      : 'response';
    let reported = false;
    for (const change of this.comparers[direction].compare(base, revision)) {
      const rule = schemaRule(context, change);
      const breaking = diffRules[rule].level !== 'info';
      const counterexample =
        breaking && change.pair
          ? this.counterexamples.find(direction, change.pair.base, change.pair.revision)
          : undefined;
      if (change.needsProof && !counterexample) continue;
      reported = true;
      const { target, where } = describeAt(change.path);
      this.push(rule, {
        operation,
        location: change.location,
        target,
        message: `${where}: ${change.detail}`,
        ...(change.before === undefined ? {} : { before: change.before }),
        ...(change.after === undefined ? {} : { after: change.after }),
        ...(counterexample ? { counterexample } : {}),
      });
    }
    if (reported || this.equality.same(base.node, revision.node)) return;
    // No named rule says it breaks, yet the schemas differ: look for a value that proves it does.
    const counterexample = this.counterexamples.find(direction, base, revision);
    if (!counterexample) return;
    const { target, where } = describeAt('');
    this.push(`${context}.${direction === 'request' ? 'narrowed' : 'widened'}` as SchemaRuleId, {
      operation,
      location: revision.pointer,
      target,
      message: `${where}: ${direction === 'request' ? 'refuses a value the base accepted' : 'may hold a value the base did not allow'}`,
      counterexample,
    });
  }
}

/** The rules for an operation's responses, which the provider writes, and for a callback's, which subscribers write. */
interface ResponseRules {
  statusRemoved: RuleId;
  nonSuccessStatusRemoved: RuleId;
  statusAdded: RuleId;
  contentTypeRemoved: RuleId;
  contentTypeAdded: RuleId;
  /** How the message says the provider deals with a media type. */
  served: 'served' | 'read';
  body: 'response.body' | 'callback.response.body';
}

const RESPONSE_RULES: ResponseRules = {
  statusRemoved: 'response.status.removed',
  nonSuccessStatusRemoved: 'response.status.non-success-removed',
  statusAdded: 'response.status.added',
  contentTypeRemoved: 'response.content-type.removed',
  contentTypeAdded: 'response.content-type.added',
  served: 'served',
  body: 'response.body',
};

const CALLBACK_RESPONSE_RULES: ResponseRules = {
  statusRemoved: 'callback.response.status.removed',
  nonSuccessStatusRemoved: 'callback.response.status.non-success-removed',
  statusAdded: 'callback.response.status.added',
  contentTypeRemoved: 'callback.response.content-type.removed',
  contentTypeAdded: 'callback.response.content-type.added',
  served: 'read',
  body: 'callback.response.body',
};

/** A document's webhooks by name, each a path item. */
function webhooksOf(document: OpenApiDocument): Map<string, Located> {
  const out = new Map<string, Located>();
  const webhooks = (document as { webhooks?: unknown }).webhooks;
  if (!isObject(webhooks)) return out;
  for (const [name, raw] of Object.entries(webhooks)) {
    const item = follow(document, raw, `/webhooks/${encodePointerSegment(name)}`);
    if (item) out.set(name, item);
  }
  return out;
}

/** An operation's callbacks by `name expression`, each a path item. */
function callbacksOf(document: OpenApiDocument, operation: Located): Map<string, Located> {
  const out = new Map<string, Located>();
  const callbacks = operation.node.callbacks;
  if (!isObject(callbacks)) return out;
  for (const [name, raw] of Object.entries(callbacks)) {
    const callback = follow(document, raw, `${operation.pointer}/callbacks/${encodePointerSegment(name)}`);
    if (!callback) continue;
    for (const [expression, rawItem] of Object.entries(callback.node)) {
      const item = follow(document, rawItem, `${callback.pointer}/${encodePointerSegment(expression)}`);
      if (item) out.set(`${name} ${expression}`, item);
    }
  }
  return out;
}

/** Header parameters OpenAPI says to ignore: they are described elsewhere. */
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);

function schemaRule(context: SchemaContext, change: SchemaChange): SchemaRuleId {
  if (change.direction === 'request' && REQUEST_SCHEMA_CONTEXTS.includes(context as RequestSchemaContext)) {
    return `${context as RequestSchemaContext}.${change.aspect}`;
  }
  if (
    change.direction === 'response' &&
    RESPONSE_SCHEMA_CONTEXTS.includes(context as ResponseSchemaContext)
  ) {
    return `${context as ResponseSchemaContext}.${change.aspect}`;
  }
  throw new Error(`entente: a ${change.direction} schema change cannot be reported as ${context}`);
}

/** Path items by template shape (`/castles/{}`), each with its template and where it is. */
function byShape(document: OpenApiDocument): Map<string, PathEntry> {
  const out = new Map<string, PathEntry>();
  for (const [path, raw] of Object.entries(document.paths ?? {})) {
    const shape = path.replace(/\{[^}]*\}/g, '{}');
    const item = follow(document, raw, `/paths/${encodePointerSegment(path)}`);
    if (item && !out.has(shape)) out.set(shape, { path, item });
  }
  return out;
}

function operationsOf(item: Located): Map<HttpMethod, Located> {
  const out = new Map<HttpMethod, Located>();
  for (const method of HTTP_METHODS) {
    const operation = item.node[method];
    if (isObject(operation)) out.set(method, { node: operation, pointer: `${item.pointer}/${method}` });
  }
  return out;
}

function describe(method: HttpMethod, path: string, operation: Node, fallback?: Node): DiffOperation {
  const operationId = operation.operationId ?? fallback?.operationId;
  return {
    method: method.toUpperCase(),
    path,
    ...(typeof operationId === 'string' ? { operationId } : {}),
  };
}

/** Follows `$ref`s, keeping the pointer of where the node really is. */
/** Where in a request body a schema change is, for its message. */
function requestBodyWhere(contentType: string, path: string): string {
  return path === '' ? `request body (${contentType})` : `request body (${contentType}) field \`${path}\``;
}

function follow(document: unknown, node: unknown, pointer: string): Located | undefined {
  let current = node;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref) || !ref.startsWith('#')) return undefined;
    seen.add(ref);
    at = ref.slice(1);
    current = resolvePointer(document, ref);
  }
  return isObject(current) ? { node: current, pointer: at } : undefined;
}

/** Path parameters match by position in the template, so a renamed one is still the same parameter. */
function parameterKey(location: string, name: string, templateNames: (string | undefined)[]): string {
  if (location === 'path') {
    const index = templateNames.indexOf(name);
    return index >= 0 ? `path:#${index}` : `path:${name}`;
  }
  return `${location}:${location === 'header' ? name.toLowerCase() : name}`;
}

function sameName(a: Node, b: Node): boolean {
  return String(a.name).toLowerCase() === String(b.name).toLowerCase();
}

function isRequiredParameter(parameter: Node): boolean {
  return parameter.in === 'path' || parameter.required === true;
}

const DEFAULT_STYLES: Record<string, string> = {
  query: 'form',
  cookie: 'form',
  path: 'simple',
  header: 'simple',
};

function styleOf(parameter: Node): { style: string; explode: boolean } {
  const style =
    typeof parameter.style === 'string'
      ? parameter.style
      : (DEFAULT_STYLES[String(parameter.in)] ?? 'simple');
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  return { style, explode };
}

/** The media type of a parameter described by `content` (lower case, without parameters); undefined for `schema`. */
function parameterMediaType(parameter: Node): string | undefined {
  if (!isObject(parameter.content)) return undefined;
  const [mediaType] = Object.keys(parameter.content);
  return mediaType === undefined ? undefined : mediaType.split(';')[0]!.trim().toLowerCase();
}

/** A parameter's or header's schema: `schema`, or the schema of its one `content` entry. */
function parameterSchema(parameter: Located): SchemaRef | undefined {
  if (parameter.node.schema !== undefined) {
    return { node: parameter.node.schema, pointer: `${parameter.pointer}/schema` };
  }
  const content = parameter.node.content;
  if (!isObject(content)) return undefined;
  const [mediaType, media] = Object.entries(content)[0] ?? [];
  if (mediaType === undefined || !isObject(media) || media.schema === undefined) return undefined;
  return {
    node: media.schema,
    pointer: `${parameter.pointer}/content/${encodePointerSegment(mediaType)}/schema`,
  };
}

function responsesOf(operation: Located): Map<string, { node: unknown; pointer: string }> {
  const out = new Map<string, { node: unknown; pointer: string }>();
  const responses = operation.node.responses;
  if (!isObject(responses)) return out;
  for (const [status, response] of Object.entries(responses)) {
    out.set(status === 'default' ? status : status.toUpperCase(), {
      node: response,
      pointer: `${operation.pointer}/responses/${encodePointerSegment(status)}`,
    });
  }
  return out;
}

function headersOf(document: unknown, response: Located): Map<string, Located & { name: string }> {
  const out = new Map<string, Located & { name: string }>();
  const headers = response.node.headers;
  if (!isObject(headers)) return out;
  for (const [name, raw] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') continue;
    const header = follow(document, raw, `${response.pointer}/headers/${encodePointerSegment(name)}`);
    if (header) out.set(name.toLowerCase(), { ...header, name });
  }
  return out;
}

/** Media types by normalised name (lower case, without parameters). */
function contentOf(owner: Located): Map<string, Located & { name: string }> {
  const out = new Map<string, Located & { name: string }>();
  const content = owner.node.content;
  if (!isObject(content)) return out;
  for (const [name, media] of Object.entries(content)) {
    if (!isObject(media)) continue;
    const key = name.split(';')[0]!.trim().toLowerCase();
    out.set(key, { node: media, pointer: `${owner.pointer}/content/${encodePointerSegment(name)}`, name });
  }
  return out;
}
