/**
 * The one redaction policy: everything entente writes (recorded interactions,
 * pending files, verification records, fixture drafts) and prints (lines,
 * errors, `--json`) goes through a `Redactor`. Secrets are found by name
 * (headers, query parameters, body and form fields, provider-state
 * parameters), by configured body path, and by shape (well-known credential
 * formats, URL credentials) anywhere in a string. A redacted value keeps its
 * JSON type so verification still checks the field: strings become
 * `[redacted]`, numbers 0, booleans false; under a secret name objects and
 * arrays keep their structure with every leaf redacted, at a configured body
 * path they become `{}` and `[]`.
 */
import { type BodyPath, parseBodyPath } from '../contract/body-path.js';
import { mediaTypeOf } from '../contract/media-type.js';
import { isBuiltInSecretName, type NameKind } from './names.js';
import { REDACTED, redactShapes } from './shapes.js';

export { REDACTED } from './shapes.js';

/** `.entente.yml`'s `redact`, and the library's `redact` options. */
export interface RedactionConfig {
  /** More names (headers, query parameters, body and form fields, state parameters), exact and case-insensitive. */
  names?: string[];
  /** More header and query parameter names. */
  headers?: string[];
  /** Body fields by path (`password`, `user.ssn`, `items[].token`); a one-segment path also names a form field. */
  bodyPaths?: string[];
  /** Names the built-in list must leave alone (their values are not searched for credential shapes either). */
  exempt?: string[];
}

export interface Redactor {
  isSecretName(name: string, kind: NameKind): boolean;
  /** Header names are lower-cased. */
  headers(headers: Record<string, string> | undefined): Record<string, string>;
  query(query: Record<string, string | string[]>): Record<string, string | string[]>;
  /** A request or response body: parsed JSON, or text (form-urlencoded, multipart, anything else). */
  body(body: unknown, contentType?: string): unknown;
  /** Provider-state parameters, or any JSON value: secret names and credential shapes. */
  value(value: unknown): unknown;
  /** A value found under `name` (a mismatch's actual value at `$.session.token`): all of it when the name is a secret. */
  named(name: string | undefined, value: unknown): unknown;
  /** A line of text: credential shapes, URL credentials, and every secret this redactor has replaced so far. */
  text(text: string): string;
  /** Remembers values that must never be printed or stored (supplied secrets); `text` and `value` scrub them. */
  remember(...values: string[]): void;
}

/** Secret values shorter than this are not scrubbed from text by value (they would match ordinary words). */
const MIN_SCRUBBED_LENGTH = 6;

/** Pure (apart from the secrets it remembers): a redactor for one configuration. */
export function createRedactor(config: RedactionConfig = {}): Redactor {
  const names = new Set((config.names ?? []).map((n) => n.toLowerCase()));
  const headerNames = new Set((config.headers ?? []).map((n) => n.toLowerCase()));
  const exempt = new Set((config.exempt ?? []).map((n) => n.toLowerCase()));
  const paths: BodyPath[] = (config.bodyPaths ?? []).map(parseBodyPath);
  const formPaths = new Set(
    paths.filter((p) => p.length === 1 && p[0]!.kind === 'field').map((p) => (p[0] as { name: string }).name),
  );
  const seen = new Set<string>();

  const isExempt = (name: string) => exempt.has(name.toLowerCase());
  const isSecretName = (name: string, kind: NameKind): boolean => {
    const lower = name.toLowerCase();
    if (names.has(lower) || (kind !== 'field' && headerNames.has(lower))) return true;
    return !exempt.has(lower) && isBuiltInSecretName(name, kind);
  };
  const remember = (value: string) => {
    if (value.length >= MIN_SCRUBBED_LENGTH && value !== REDACTED) seen.add(value);
  };
  const scrub = (text: string): string => {
    let out = redactShapes(text, isSecretName);
    for (const secret of seen) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };

  /** Every leaf redacted, structure kept; the strings replaced are remembered. */
  const secretLeaves = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(secretLeaves);
    if (isPlainObject(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretLeaves(v)]));
    if (typeof value === 'string') remember(value);
    return placeholder(value);
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(walk);
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isExempt(key) ? item : isSecretName(key, 'field') ? secretLeaves(item) : walk(item);
    }
    return out;
  };

  const field = (name: string, value: string): string => {
    if (isExempt(name)) return value;
    if (isSecretName(name, 'field') || formPaths.has(name)) {
      remember(value);
      return REDACTED;
    }
    return scrub(value);
  };

  return {
    isSecretName,
    headers(headers) {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers ?? {})) {
        const lower = name.toLowerCase();
        if (isSecretName(lower, 'header')) {
          remember(value);
          out[lower] = REDACTED;
        } else out[lower] = isExempt(lower) ? value : scrub(value);
      }
      return out;
    },
    query(query) {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(query)) {
        const secret = isSecretName(name, 'query');
        const one = (item: string) => {
          if (!secret) return isExempt(name) ? item : scrub(item);
          remember(item);
          return REDACTED;
        };
        out[name] = Array.isArray(value) ? value.map(one) : one(value);
      }
      return out;
    },
    body(body, contentType) {
      if (typeof body !== 'string') {
        const atPaths = paths.reduce((current, path) => redactAt(current, path, 0, remember), body);
        return walk(atPaths);
      }
      const type = mediaTypeOf(contentType);
      if (type === 'multipart/form-data' || (type === undefined && MULTIPART.test(body)))
        return redactMultipart(body, field, scrub);
      if (type === 'application/x-www-form-urlencoded' || (type === undefined && FORM.test(body)))
        return redactForm(body, field);
      return scrub(body);
    },
    value: walk,
    named(name, value) {
      if (name === undefined || isExempt(name)) return name === undefined ? walk(value) : value;
      return isSecretName(name, 'field') ? secretLeaves(value) : walk(value);
    },
    text: scrub,
    remember(...values) {
      for (const value of values) remember(value);
    },
  };
}

/** The built-in policy only: for output nothing configured reaches (the top-level error print). */
export const builtInRedactor: Pick<Redactor, 'text' | 'value' | 'isSecretName'> = createRedactor();

const FORM = /^[A-Za-z0-9_.%[\]-]+=[^&\s]*(?:&[A-Za-z0-9_.%[\]-]+=[^&\s]*)*$/;
const MULTIPART = /^--[^\r\n]+\r?\n[Cc]ontent-[Dd]isposition: form-data;/;

/** `a=1&password=x` → `a=1&password=[redacted]`: other pairs keep their exact encoding. */
function redactForm(body: string, field: (name: string, value: string) => string): string {
  return body
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const rawName = pair.slice(0, equals);
      const rawValue = pair.slice(equals + 1);
      const value = decodeForm(rawValue);
      const redacted = field(decodeForm(rawName), value);
      if (redacted === value) return pair;
      return `${rawName}=${redacted === REDACTED ? REDACTED : encodeURIComponent(redacted)}`;
    })
    .join('&');
}

function decodeForm(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Each part named by a secret name has its content replaced; the rest is searched for credential shapes. */
function redactMultipart(
  body: string,
  field: (name: string, value: string) => string,
  scrub: (text: string) => string,
): string {
  return scrub(body).replace(
    /(Content-Disposition: form-data;[^\r\n]*?\bname="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([\s\S]*?)(?=\r?\n--)/gi,
    (_all, head: string, name: string, content: string) => `${head}${field(name, content)}`,
  );
}

function redactAt(value: unknown, path: BodyPath, index: number, remember: (value: string) => void): unknown {
  if (index === path.length) {
    if (typeof value === 'string') remember(value);
    return placeholder(value);
  }
  const segment = path[index]!;
  if (segment.kind === 'every') {
    return Array.isArray(value)
      ? value.map((element) => redactAt(element, path, index + 1, remember))
      : value;
  }
  if (!isPlainObject(value) || !Object.hasOwn(value, segment.name)) return value;
  return { ...value, [segment.name]: redactAt(value[segment.name], path, index + 1, remember) };
}

/** The same JSON type, nothing of the value: `[redacted]`, 0, false, `{}`, `[]`. */
function placeholder(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  switch (typeof value) {
    case 'string':
      return REDACTED;
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return value === null ? null : {};
    default:
      return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Pure: configurations combined (`.entente.yml`'s, then an option's), lists concatenated. */
export function mergeRedaction(...configs: (RedactionConfig | undefined)[]): RedactionConfig {
  const merged: RedactionConfig = {};
  for (const config of configs) {
    for (const key of ['names', 'headers', 'bodyPaths', 'exempt'] as const) {
      if (config?.[key]) merged[key] = [...(merged[key] ?? []), ...config[key]];
    }
  }
  return merged;
}

interface ExchangeLike {
  request: { query?: Record<string, string | string[]>; headers?: Record<string, string>; body?: unknown };
  response: { headers?: Record<string, string>; body?: unknown };
}

/** Pure apart from what the redactor remembers: a request/response pair (a fixture's data) redacted, same shape. */
export function redactExchange<T extends ExchangeLike>(data: T, redactor: Redactor): T {
  const side = <S extends ExchangeLike['request']>(part: S): S => {
    const contentType = Object.entries(part.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'content-type',
    )?.[1];
    return {
      ...part,
      ...(part.query ? { query: redactor.query(part.query) } : {}),
      ...(part.headers ? { headers: redactor.headers(part.headers) } : {}),
      ...(part.body !== undefined ? { body: redactor.body(part.body, contentType) } : {}),
    };
  };
  return { ...data, request: side(data.request), response: side(data.response) };
}

/** Pure: every string inside a JSON value with credential shapes and URL credentials redacted (`--json` output). */
export function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactShapes(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)]));
}
