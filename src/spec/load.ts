import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError, IoError } from '../errors.js';
import { contentHash } from '../util/canonical-json.js';
import { parseJsonOrYaml } from '../util/parse.js';
import { bundleDocument } from './bundle.js';
import type { OpenApiDocument } from './document.js';
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
   * Keep a document that parses but is not valid OpenAPI, its validation
   * errors turned into warnings. `entente diff` compares such documents;
   * `publish-spec` never sets this.
   */
  lenient?: boolean;
}

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
  const readDocument = async (url: string): Promise<unknown> => {
    const name = displayName(url);
    const text = !url.startsWith('file:')
      ? await readRemote(url, options.fetchText)
      : options.readLocalFile
        ? await options.readLocalFile(fileURLToPath(url))
        : await readLocal(url, name);
    return parseJsonOrYaml(text, name);
  };

  const root = await readDocument(rootUrl);
  const flavour = detectFlavour(root, file);
  const bundled = await bundleDocument({
    flavour: flavour.kind === 'swagger' ? 'swagger-2.0' : 'openapi-3',
    rootUrl,
    root,
    readDocument,
    allowRemoteRefs: options.allowRemoteRefs ?? false,
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

  warnings = [...bundled.warnings, ...warnings];
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

async function readLocal(url: string, name: string): Promise<string> {
  try {
    return await readFile(new URL(url), 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError('input.file-missing', `${name}: no such file`, {
        details: [{ where: name, message: 'no such file' }],
        cause,
      });
    }
    if (code === 'EISDIR') {
      throw new InputError('input.file-unreadable', `${name} is a directory, not a spec file`, {
        details: [{ where: name, message: 'is a directory' }],
        cause,
      });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InputError('input.file-unreadable', `${name}: cannot be read (${code ?? reason})`, {
      details: [{ where: name, message: reason }],
      cause,
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
