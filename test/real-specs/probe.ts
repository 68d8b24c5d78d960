/**
 * Calls every GET operation of a real spec that can be called without
 * inventing required inputs, through a real entente mock server, and checks
 * each response against the spec with `validateResponse`.
 *
 * "Callable without inventing required inputs" means, exactly:
 * - no required query, header or cookie parameter (Accept, Content-Type and
 *   Authorization headers are described elsewhere in OpenAPI and ignored, as
 *   the validator does), and no required request body;
 * - every path parameter gets a value the spec itself suggests: the
 *   parameter's `example`, its first `examples` entry, its schema's `example`,
 *   `default` or first `enum` value, else the deterministic sample entente
 *   generates from its schema (the value a consumer would read off the docs).
 *   Only scalar values (and arrays of scalars, `simple` style) are used;
 * - the concrete path routes back to the same operation (a value such as
 *   `latest` can be shadowed by a literal path, and specs that declare two
 *   templates differing only by parameter names make one unreachable).
 * Operations that fail one of these are listed as skipped, with the reason.
 */

import { isJsonMediaType } from '../../src/contract/media-type.js';
import {
  createMockHandler,
  generateSample,
  type OpenApiDocument,
  type ParameterObject,
  routeRequest,
  type SpecOperation,
  startMockServer,
  type Violation,
  validateResponse,
} from '../../src/index.js';
import { deref } from '../../src/openapi/document.js';
import { routerFor } from '../../src/openapi/router.js';

const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export interface ProbeFailure {
  operation: string;
  path: string;
  status: number;
  violations: Violation[];
}

export interface ProbeReport {
  spec: string;
  getOperations: number;
  callable: number;
  passed: number;
  /** passed / callable (1 when nothing is callable). */
  share: number;
  skipped: { operation: string; reason: string }[];
  failures: ProbeFailure[];
  ms: number;
}

export async function probeGetOperations(spec: string, document: OpenApiDocument): Promise<ProbeReport> {
  const started = performance.now();
  const router = routerFor(document);
  const gets = router.operations.filter((op) => op.method === 'get');
  const skipped: ProbeReport['skipped'] = [];
  const calls: { op: SpecOperation; path: string }[] = [];
  for (const op of gets) {
    const plan = planCall(document, op, router.basePath);
    if ('reason' in plan) skipped.push({ operation: op.operationKey, reason: plan.reason });
    else calls.push({ op, path: plan.path });
  }
  const failures: ProbeFailure[] = [];
  const server = await startMockServer(createMockHandler({ document }));
  try {
    for (const { op, path } of calls) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      const headers = Object.fromEntries(response.headers);
      const text = await response.text();
      const contentType = headers['content-type'];
      const body =
        text === '' ? undefined : contentType && isJsonMediaType(contentType) ? JSON.parse(text) : text;
      const violations = validateResponse(document, op, { status: response.status, headers, body });
      if (violations.length > 0) {
        const refused = response.status === 400 && headers['x-entente-problems'] === undefined;
        if (refused) violations.unshift({ in: 'status', pointer: '', message: `mock refused: ${text}` });
        failures.push({ operation: op.operationKey, path, status: response.status, violations });
      }
    }
  } finally {
    await server.close();
  }
  const passed = calls.length - failures.length;
  return {
    spec,
    getOperations: gets.length,
    callable: calls.length,
    passed,
    share: calls.length === 0 ? 1 : passed / calls.length,
    skipped,
    failures,
    ms: Math.round(performance.now() - started),
  };
}

/** One line per spec, then the first failures in full: what a CI log needs to act on. */
export function describeReport(report: ProbeReport, maxFailures = 10): string {
  const lines = [
    `${report.spec}: ${report.passed}/${report.callable} callable GET operations served a valid response ` +
      `(${(report.share * 100).toFixed(2)} %); ${report.skipped.length} of ${report.getOperations} skipped; ${report.ms} ms`,
  ];
  for (const failure of report.failures.slice(0, maxFailures)) {
    const first = failure.violations[0]!;
    lines.push(
      `  ${failure.operation} (${failure.status}): ${[first.in, first.name, first.pointer].filter(Boolean).join(' ')} ${first.message}` +
        (failure.violations.length > 1 ? ` (+${failure.violations.length - 1} more)` : ''),
    );
  }
  if (report.failures.length > maxFailures) lines.push(`  … ${report.failures.length - maxFailures} more`);
  return lines.join('\n');
}

function planCall(
  document: OpenApiDocument,
  op: SpecOperation,
  basePath: string,
): { path: string } | { reason: string } {
  for (const param of op.parameters) {
    if (param.in === 'path') continue;
    if (param.in === 'header' && IGNORED_HEADERS.has(param.name.toLowerCase())) continue;
    if (param.required === true) return { reason: `required ${param.in} parameter ${param.name}` };
  }
  const requestBody = deref<{ required?: boolean }>(document, op.operation.requestBody);
  if (requestBody?.required === true) return { reason: 'required request body' };
  let path = op.template;
  for (const name of templateNames(op.template)) {
    const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
    const value = param && pathValue(document, param);
    if (value === undefined) return { reason: `no scalar value for path parameter ${name}` };
    path = path.replace(`{${name}}`, value);
  }
  const concrete = `${basePath}${path}`;
  const route = routeRequest(document, 'GET', concrete);
  if (route.kind !== 'match' || route.operationKey !== op.operationKey) {
    return { reason: `${concrete} routes to ${route.kind === 'match' ? route.operationKey : route.kind}` };
  }
  return { path: concrete };
}

function templateNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** The value the spec suggests for a path parameter, percent-encoded; undefined when none is scalar. */
function pathValue(document: OpenApiDocument, param: ParameterObject): string | undefined {
  const schema = deref<Record<string, unknown>>(document, param.schema) ?? {};
  const firstExample = Object.values((param.examples ?? {}) as Record<string, unknown>)
    .map((e) => deref<{ value?: unknown }>(document, e)?.value)
    .find((v) => v !== undefined);
  const candidates = [
    param.example,
    firstExample,
    schema.example,
    schema.default,
    Array.isArray(schema.enum) ? schema.enum[0] : undefined,
  ];
  if (param.schema !== undefined) {
    candidates.push(generateSample(document, param.schema, { direction: 'request' }).value);
  }
  for (const candidate of candidates) {
    const encoded = encodeScalar(candidate);
    if (encoded !== undefined && encoded !== '') return encoded;
  }
  return undefined;
}

function encodeScalar(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return encodeURIComponent(String(value));
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => encodeScalar(v) !== undefined)) {
    return value.map((v) => encodeScalar(v)).join(',');
  }
  return undefined;
}
