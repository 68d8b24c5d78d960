import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError, IoError } from '../errors.js';
import { contentHash } from '../util/canonical-json.js';
import { parseJsonOrYaml } from '../util/parse.js';
import { bundleDocument } from './bundle.js';
import type { OpenApiDocument } from './document.js';
import { unsupportedPatterns } from './linear-regexp.js';
import { assertValidOpenApi, type OpenApiSchemaVersion, type ValidationContext } from './openapi-validate.js';

export interface LoadSpecOptions {
  /** Fetch and bundle http(s) `$ref`s instead of refusing them. */
  allowRemoteRefs?: boolean;
  /** How remote documents are fetched (default: global fetch). */
  fetchText?: (url: string) => Promise<string>;
  /**
   * How local files are read, by absolute path (default: the filesystem); it
   * throws an InputError for a missing file. `entente diff` reads a git ref this way.
   */
  readLocalFile?: (path: string) => Promise<string>;
  /**
   * The folder local `$ref`s must stay inside (default: the spec file's
   * folder). Refs that leave it, absolute paths and `file:` URLs are refused.
   */
  refRoot?: string;
  /** Largest file read, in bytes (default: {@link DEFAULT_MAX_SPEC_FILE_BYTES}). */
  maxFileBytes?: number;
  /**
   * Keep a document that parses but is not valid OpenAPI, its validation
   * errors turned into warnings. `entente diff` compares such documents;
   * `publish-spec` never sets this.
   */
  lenient?: boolean;
}

/** 32 MiB: four times GitHub's full REST spec, the largest real spec we know. */
export const DEFAULT_MAX_SPEC_FILE_BYTES = 32 * 1024 * 1024;

export interface LoadedSpec {
  /** The bundled document: OpenAPI 3.0.x or 3.1.x, internal `#/…` `$ref`s only. */
  document: OpenApiDocument;
  /** The document's `openapi` version, e.g. `3.0.3`. */
  openapi: string;
  title?: string;
  /** Set when the file was Swagger 2.0 and has been converted to OpenAPI 3.0. */
  convertedFrom?: 'swagger-2.0';
  /** `contentHash(document)`: equal documents have equal hashes. */
  hash: string;
  /** Problems that do not refuse the document, each naming the file and pointer. */
  warnings: string[];
}

const SUPPORTED = 'OpenAPI 3.0.x or 3.1.x (or Swagger 2.0, which is converted)';

/**
 * Reads an OpenAPI spec (YAML or JSON), bundles the files it references into
 * one document, converts Swagger 2.0, and validates the result. Every problem
 * with the input is an InputError naming the file and the JSON pointer.
 */
export async function loadSpec(file: string, options: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const absolute = resolve(file);
  const rootUrl = pathToFileURL(absolute).href;
  const displayName = (url: string): string => {
    if (url === rootUrl) return file;
    if (!url.startsWith('file:')) return url;
    return join(dirname(file), relative(dirname(absolute), fileURLToPath(url)));
  };
  const refRoot = resolve(options.refRoot ?? dirname(absolute));
  const refRootUrl = pathToFileURL(refRoot.endsWith(sep) ? refRoot : `${refRoot}${sep}`).href;
  const realRefRoot = realpath(refRoot).catch(() => refRoot);
  const limits = (url: string): LocalLimits => ({
    maxBytes: options.maxFileBytes ?? DEFAULT_MAX_SPEC_FILE_BYTES,
    ...(url === rootUrl ? {} : { inside: realRefRoot }),
  });
  const readDocument = async (url: string): Promise<unknown> => {
    const name = displayName(url);
    const text = !url.startsWith('file:')
      ? await readRemote(url, options.fetchText)
      : options.readLocalFile
        ? await options.readLocalFile(fileURLToPath(url))
        : await readLocal(fileURLToPath(url), name, limits(url));
    return await parseJsonOrYaml(text, name);
  };

  const root = await readDocument(rootUrl);
  const flavour = detectFlavour(root, file);
  const bundled = await bundleDocument({
    flavour: flavour.kind === 'swagger' ? 'swagger-2.0' : 'openapi-3',
    rootUrl,
    root,
    readDocument,
    allowRemoteRefs: options.allowRemoteRefs ?? false,
    refRoot: refRootUrl,
    displayName,
  });

  const validate = (candidate: unknown, version: OpenApiSchemaVersion, context: ValidationContext) => {
    try {
      return assertValidOpenApi(candidate, version, context);
    } catch (error) {
      if (!options.lenient || !(error instanceof InputError) || error.code !== 'input.openapi-invalid')
        throw error;
      const errors = error.details.map((detail) => `${detail.where ?? file} ${detail.message}`);
      return errors.length > 0 ? errors : [error.message];
    }
  };

  let document: OpenApiDocument;
  let convertedFrom: 'swagger-2.0' | undefined;
  let warnings: string[];
  if (flavour.kind === 'swagger') {
    const swaggerProblems = validate(bundled.document, '2.0', { file, locate: bundled.locate });
    // swagger2openapi is heavy to load and rarely needed.
    const { convertSwagger2 } = await import('./swagger2.js');
    document = await convertSwagger2(bundled.document, file);
    convertedFrom = 'swagger-2.0';
    // Swagger-level warnings were never reported; in lenient mode the errors they stand for are.
    warnings = [
      ...(options.lenient ? swaggerProblems : []),
      ...validate(document, '3.0', {
        file,
        note: '(converted from Swagger 2.0)',
        locate: (pointer) => `${file} (as OpenAPI 3.0)#${pointer}`,
      }),
    ];
  } else {
    document = bundled.document as OpenApiDocument;
    warnings = validate(document, flavour.version, { file, locate: bundled.locate });
  }

  const locate =
    convertedFrom === undefined ? bundled.locate : (pointer: string) => `${file} (as OpenAPI 3.0)#${pointer}`;
  const patterns = unsupportedPatterns(document).map(
    ({ pointer, pattern, reason }) =>
      `${locate(pointer)}: pattern ${JSON.stringify(pattern)} is not checked: it cannot run in linear time (${reason})`,
  );
  warnings = [...bundled.warnings, ...warnings, ...patterns];
  const title = document.info?.title;
  let hash: string | undefined;
  return {
    document,
    openapi: document.openapi,
    ...(typeof title === 'string' ? { title } : {}),
    ...(convertedFrom ? { convertedFrom } : {}),
    // Hashing an 11 MB spec takes a noticeable share of `entente diff`, which never needs it.
    get hash() {
      hash ??= contentHash(document);
      return hash;
    },
    warnings,
  };
}

type Flavour = { kind: 'openapi'; version: OpenApiSchemaVersion } | { kind: 'swagger' };

function detectFlavour(root: unknown, file: string): Flavour {
  const refuse = (found: string): never => {
    throw new InputError('input.openapi-version', `${file}: ${found}; entente accepts ${SUPPORTED}`, {
      details: [{ where: file, message: `${found}; expected ${SUPPORTED}` }],
    });
  };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return refuse(`not an OpenAPI document (the file holds ${Array.isArray(root) ? 'a list' : 'no object'})`);
  }
  const record = root as Record<string, unknown>;
  if ('openapi' in record) {
    const version = record.openapi;
    if (typeof version !== 'string') {
      return refuse(
        `"openapi: ${String(version)}" must be a string such as "3.1.0" (quote it in YAML), not a ${typeof version}`,
      );
    }
    const match = /^3\.([01])\.\d+(-.+)?$/.exec(version);
    if (!match) return refuse(`"openapi: ${version}" is not a supported version`);
    return { kind: 'openapi', version: match[1] === '0' ? '3.0' : '3.1' };
  }
  if ('swagger' in record) {
    if (record.swagger !== '2.0')
      return refuse(`"swagger: ${String(record.swagger)}" is not a supported version`);
    return { kind: 'swagger' };
  }
  return refuse('no "openapi" (or "swagger") field at the top level');
}

interface LocalLimits {
  maxBytes: number;
  /** The real path of the folder the file must be inside (absent for the spec file itself). */
  inside?: Promise<string>;
}

/**
 * Reads a regular file of at most `maxBytes`, inside `inside` once links are
 * followed, as UTF-8. Devices, pipes and sockets are refused before a byte is
 * read (opened non-blocking, so a FIFO cannot hang), and no message quotes
 * the content of a refused file.
 */
async function readLocal(path: string, name: string, limits: LocalLimits): Promise<string> {
  const refuse = (code: string, message: string, cause?: unknown): never => {
    throw new InputError(code, `${name}: ${message}`, {
      details: [{ where: name, message }],
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let real: string;
  try {
    real = await realpath(path);
  } catch (cause) {
    return refuse('input.file-missing', 'no such file', cause);
  }
  if (limits.inside) {
    const root = await limits.inside;
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
      refuse('input.ref-outside', `is a link to a file outside ${root}; refs must stay inside it`);
    }
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return refuse('input.file-unreadable', `cannot be read (${code ?? String(cause)})`, cause);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new InputError('input.file-unreadable', `${name} is a directory, not a spec file`, {
        details: [{ where: name, message: 'is a directory' }],
      });
    }
    if (!info.isFile()) refuse('input.file-unreadable', 'is not a regular file (a device, pipe or socket)');
    const tooLarge = () =>
      refuse(
        'input.file-too-large',
        `is larger than ${limits.maxBytes} bytes, the most entente reads from one spec file`,
      );
    if (info.size > limits.maxBytes) tooLarge();
    const buffer = Buffer.alloc(Math.min(info.size, limits.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limits.maxBytes) tooLarge();
      if (length === buffer.length) break;
    }
    return decodeUtf8(buffer.subarray(0, length), name);
  } finally {
    await handle.close();
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 text, or refuses it naming the first line that is not UTF-8 (newlines are never inside a multi-byte character). */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        UTF8.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
      } catch {
        const where = `${name}:${line}`;
        throw new InputError('input.encoding', `${where}: not UTF-8 text; save the file as UTF-8`, {
          details: [{ where, message: 'not UTF-8' }],
        });
      }
      if (end === -1) break;
      start = end + 1;
    }
    throw new InputError('input.encoding', `${name}: not UTF-8 text; save the file as UTF-8`, {
      details: [{ where: name, message: 'not UTF-8' }],
    });
  }
}

async function readRemote(
  url: string,
  fetchText: ((url: string) => Promise<string>) | undefined,
): Promise<string> {
  if (fetchText) {
    try {
      return await fetchText(url);
    } catch (cause) {
      if (cause instanceof InputError || cause instanceof IoError) throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new IoError('io.fetch', `${url}: could not be fetched: ${reason}`, { cause });
    }
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new IoError('io.fetch', `${url}: could not be fetched: ${reason}`, { cause });
  }
  if (response.status === 404 || response.status === 410) {
    throw new InputError('input.file-missing', `${url}: not found (HTTP ${response.status})`, {
      details: [{ where: url, message: `HTTP ${response.status}` }],
    });
  }
  if (!response.ok) {
    throw new IoError('io.fetch', `${url}: could not be fetched: HTTP ${response.status}`);
  }
  return response.text();
}
