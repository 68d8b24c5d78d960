import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import {
  COMPONENT_HOME,
  childKind,
  decodeSegment,
  encodeSegment,
  isMapKind,
  isMappingRef,
  type NodeKind,
  resolveFragment,
  type SpecFlavour,
  schemaNames,
} from './openapi-walk.js';

/**
 * Bundles a multi-file OpenAPI (or Swagger 2.0) document into one document
 * whose `$ref`s are all internal.
 *
 * Strategy, chosen so the same input always gives the same output:
 * - refs inside the root file stay as they are;
 * - a ref from another file into the root file becomes the internal ref;
 * - a reusable object from another file (schema, parameter, response, …) is
 *   copied once under its component home (`components/schemas/…` or, for
 *   Swagger 2.0, `definitions/…`) and every ref to it points there. Its name
 *   is the last segment of the target's pointer, or the file's name when the
 *   ref targets a whole file; on a collision the file name is prefixed, then
 *   `_2`, `_3`, … appended. A root component that is only an external ref
 *   (`Castle: {$ref: schemas/castle.yaml}`) receives the target itself;
 * - path items (and anything without a component home) are copied in place.
 * Components are copied in the order they are first referenced, walking the
 * document in key order, so cycles across files simply become internal refs.
 * Discriminator mapping values that are references (not schema names) are
 * bundled like refs once every `$ref` is: a mapping is only a hint for picking
 * a subschema, so an entry that points nowhere is left out with a warning
 * instead of refusing the document.
 */
export interface BundleInput {
  flavour: SpecFlavour;
  /** Absolute URL (`file:` or `http(s):`) of the root document. */
  rootUrl: string;
  root: unknown;
  /** Reads and parses another document; throws InputError `input.file-missing` when there is none. */
  readDocument: (url: string) => Promise<unknown>;
  allowRemoteRefs: boolean;
  /**
   * The `file:` URL of the folder (ending in `/`) that local refs must stay
   * inside; a ref that leaves it, an absolute path or a `file:` URL is refused.
   */
  refRoot: string;
  /** How a document is named in messages. */
  displayName: (url: string) => string;
}

export interface BundleResult {
  document: Record<string, unknown>;
  /** `file#pointer` in the source documents for a JSON pointer in the bundled document. */
  locate: (pointer: string) => string;
  /** Problems that do not refuse the document (mapping entries left out), each naming the file and pointer. */
  warnings: string[];
}

interface Target {
  url: string;
  /** The fragment as written, a JSON pointer ('' for the whole document). */
  fragment: string;
}

interface Job {
  target: Target;
  kind: NodeKind;
  /** Where the copy goes in the bundled document. */
  outPointer: string;
  place: (value: unknown) => void;
  /** The ref that asked for this target, for messages. */
  site: string;
  ref: string;
  /** Keys of inline targets being copied around this one: a repeat is a cycle that cannot be inlined. */
  inlineChain: string[];
}

/** A discriminator mapping value to resolve once every `$ref` has been bundled. */
interface MappingEntry {
  /** The mapping object in the bundled document. */
  mapping: Record<string, unknown>;
  name: string;
  value: string;
  fromUrl: string;
  site: string;
}

interface Origin {
  url: string;
  pointer: string;
}

const REMOTE = /^https?:$/;

export async function bundleDocument(input: BundleInput): Promise<BundleResult> {
  return new Bundler(input).run();
}

class Bundler {
  private readonly input: BundleInput;
  private readonly documents = new Map<string, Promise<unknown>>();
  private readonly registered = new Map<string, string>();
  private readonly taken = new Map<string, Set<string>>();
  private readonly queue: Job[] = [];
  private readonly origins = new Map<string, Origin>();
  private readonly mappings: MappingEntry[] = [];
  private readonly warnings: string[] = [];
  private readonly schemaNames: ReadonlySet<string>;
  private output: Record<string, unknown> = {};
  /** Keys from the copied target down to the node being copied. */
  private readonly path: string[] = [];
  private current: { job: Job | undefined; srcBase: string; url: string } = {
    job: undefined,
    srcBase: '',
    url: '',
  };

  constructor(input: BundleInput) {
    this.input = input;
    this.documents.set(input.rootUrl, Promise.resolve(input.root));
    this.schemaNames = schemaNames(input.root, input.flavour);
  }

  async run(): Promise<BundleResult> {
    const { root, rootUrl } = this.input;
    if (!isRecord(root)) throw new Error('bundleDocument: the root document must be an object');
    this.reserveRootComponentNames(root);
    this.adoptRootComponentRefs(root);
    this.current = { job: undefined, srcBase: '', url: rootUrl };
    this.output = this.copy(root, 'root') as Record<string, unknown>;
    let job = 0;
    let mapping = 0;
    while (job < this.queue.length || mapping < this.mappings.length) {
      if (job < this.queue.length) await this.runJob(this.queue[job++]!);
      else await this.resolveMapping(this.mappings[mapping++]!);
    }
    return { document: this.output, locate: (pointer) => this.locate(pointer), warnings: this.warnings };
  }

  private async runJob(job: Job): Promise<void> {
    const document = await this.documentFor(job);
    const value = resolveFragment(document, job.target.fragment);
    if (value === undefined) {
      throw new InputError(
        'input.ref-missing',
        `${job.site}: $ref "${job.ref}" points at ${this.describe(job.target)}, which does not exist`,
        { details: [{ where: job.site, message: `$ref "${job.ref}" does not resolve` }] },
      );
    }
    this.current = { job, srcBase: job.target.fragment, url: job.target.url };
    job.place(this.copy(value, job.kind));
    this.origins.set(job.outPointer, { url: job.target.url, pointer: job.target.fragment });
  }

  /** Points a mapping entry at the bundled schema, or leaves it out (with a warning) when its target does not exist. */
  private async resolveMapping({ mapping, name, value, fromUrl, site }: MappingEntry): Promise<void> {
    const target = this.parseRef(value, fromUrl, site);
    if (target.url === this.input.rootUrl) {
      if (resolveFragment(this.input.root, target.fragment) !== undefined) {
        mapping[name] = `#${target.fragment}`;
        return;
      }
    } else {
      const known = this.registered.get(`schema ${target.url}#${target.fragment}`);
      if (known) {
        mapping[name] = known;
        return;
      }
      if (await this.exists(target)) {
        mapping[name] = this.register(
          target,
          'schema',
          COMPONENT_HOME[this.input.flavour].schema!,
          site,
          value,
        );
        return;
      }
    }
    delete mapping[name];
    this.warnings.push(
      `${site}: discriminator mapping "${name}" points at ${this.input.displayName(target.url)}${target.fragment ? `#${target.fragment}` : ''}, which does not exist; the entry is left out`,
    );
  }

  private async exists(target: Target): Promise<boolean> {
    try {
      return resolveFragment(await this.load(target.url), target.fragment) !== undefined;
    } catch (error) {
      if (error instanceof InputError && error.code === 'input.file-missing') return false;
      throw error;
    }
  }

  /** Names already used by the root document's own components are never handed out. */
  private reserveRootComponentNames(root: Record<string, unknown>): void {
    for (const home of Object.values(COMPONENT_HOME[this.input.flavour])) {
      const existing = getPath(root, home);
      if (isRecord(existing)) for (const name of Object.keys(existing)) this.takenIn(home).add(name);
    }
  }

  /** `components.schemas.Castle: {$ref: castle.yaml}` receives the target itself, keeping the name Castle. */
  private adoptRootComponentRefs(root: Record<string, unknown>): void {
    for (const [kind, home] of Object.entries(COMPONENT_HOME[this.input.flavour]) as [NodeKind, string[]][]) {
      const components = getPath(root, home);
      if (!isRecord(components)) continue;
      for (const [name, value] of Object.entries(components)) {
        if (!isRecord(value) || typeof value.$ref !== 'string' || Object.keys(value).length !== 1) continue;
        if (value.$ref.startsWith('#')) continue;
        const pointer = `/${home.map(encodeSegment).join('/')}/${encodeSegment(name)}`;
        const site = `${this.input.displayName(this.input.rootUrl)}#${pointer}`;
        const target = this.parseRef(value.$ref, this.input.rootUrl, site);
        if (target.url === this.input.rootUrl) continue;
        const key = `${kind} ${target.url}#${target.fragment}`;
        if (this.registered.has(key)) continue;
        this.registered.set(key, `#${pointer}`);
        this.enqueue({
          target,
          kind,
          outPointer: pointer,
          place: (copied) => {
            (getPath(this.output, home) as Record<string, unknown>)[name] = copied;
          },
          site,
          ref: value.$ref,
          inlineChain: [],
        });
      }
    }
  }

  private copy(node: unknown, kind: NodeKind): unknown {
    if (kind === 'data' || node === null || typeof node !== 'object') return node;
    const path = this.path;
    if (Array.isArray(node)) {
      return node.map((item, i) => {
        path.push(String(i));
        const copied = this.copy(item, kind);
        path.pop();
        return copied;
      });
    }
    const record = node as Record<string, unknown>;
    const isRef = !isMapKind(kind) && typeof record.$ref === 'string';
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (isRef && key === '$ref') continue;
      path.push(key);
      out[key] =
        kind === 'discriminator' && key === 'mapping' && isRecord(value)
          ? this.copyMapping(value)
          : this.copy(value, childKind(this.input.flavour, kind, key));
      path.pop();
    }
    if (!isRef) return out;
    const resolved = this.reference(record.$ref as string, kind);
    if (typeof resolved === 'string') return { $ref: resolved, ...out };
    // Inlined: the target's content, with the ref's own sibling keys on top.
    return Object.assign(resolved, out);
  }

  private copyMapping(mapping: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(mapping)) {
      out[name] = value;
      if (typeof value === 'string' && isMappingRef(value, this.schemaNames)) {
        this.path.push(name);
        const site = `${this.input.displayName(this.current.url)}#${this.pointer()}`;
        this.path.pop();
        this.mappings.push({ mapping: out, name, value, fromUrl: this.current.url, site });
      }
    }
    return out;
  }

  /** The JSON pointer, in its own document, of the node being copied (built only when a ref needs it). */
  private pointer(): string {
    let pointer = this.current.srcBase;
    for (const segment of this.path) pointer += `/${encodeSegment(segment)}`;
    return pointer;
  }

  /**
   * The internal ref that replaces `ref` (a string), or, for targets that are
   * inlined, the object the target's copy will be poured into.
   */
  private reference(ref: string, kind: NodeKind): string | Record<string, unknown> {
    const { url: fromUrl } = this.current;
    const pointer = this.pointer();
    const site = `${this.input.displayName(fromUrl)}#${pointer}`;
    const target = this.parseRef(ref, fromUrl, site);
    if (target.url === this.input.rootUrl) return `#${target.fragment}`;
    const key = `${kind} ${target.url}#${target.fragment}`;
    const known = this.registered.get(key);
    if (known) return known;
    const home = COMPONENT_HOME[this.input.flavour][kind];
    if (home) return this.register(target, kind, home, site, ref);
    const outPointer = this.outPointer(pointer);
    const chain = this.current.job?.inlineChain ?? [];
    if (chain.includes(key)) {
      throw new InputError(
        'input.ref-cycle',
        `${site}: $ref "${ref}" refers back to ${this.describe(target)}, which contains it; a circular ${kind} cannot be bundled (only schemas, parameters, responses and other components may be circular)`,
        { details: [{ where: site, message: `circular $ref "${ref}"` }] },
      );
    }
    const placeholder: Record<string, unknown> = {};
    this.enqueue({
      target,
      kind,
      outPointer,
      place: (copied) => {
        if (!isRecord(copied)) return;
        const siblings = { ...placeholder };
        for (const key of Object.keys(siblings)) delete placeholder[key];
        Object.assign(placeholder, copied, siblings);
      },
      site,
      ref,
      inlineChain: [...chain, key],
    });
    return placeholder;
  }

  /** Copies `target` once under its component home; the internal ref to it. */
  private register(target: Target, kind: NodeKind, home: string[], site: string, ref: string): string {
    const name = this.allocateName(home, target);
    const refPointer = `#/${home.map(encodeSegment).join('/')}/${encodeSegment(name)}`;
    this.registered.set(`${kind} ${target.url}#${target.fragment}`, refPointer);
    this.enqueue({
      target,
      kind,
      outPointer: refPointer.slice(1),
      place: (copied) => {
        ensurePath(this.output, home)[name] = copied;
      },
      site,
      ref,
      inlineChain: [],
    });
    return refPointer;
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    // Start reading at once so independent files load in parallel; errors surface when the job runs.
    this.load(job.target.url).catch(() => {});
  }

  private load(url: string): Promise<unknown> {
    let loading = this.documents.get(url);
    if (!loading) {
      loading = this.input.readDocument(url);
      this.documents.set(url, loading);
    }
    return loading;
  }

  private async documentFor(job: Job): Promise<unknown> {
    try {
      return await this.load(job.target.url);
    } catch (error) {
      if (error instanceof InputError && error.code === 'input.file-missing') {
        throw new InputError(
          'input.ref-missing',
          `${job.site}: $ref "${job.ref}" points at ${this.input.displayName(job.target.url)}, which does not exist`,
          { details: [{ where: job.site, message: `$ref "${job.ref}": ${error.message}` }], cause: error },
        );
      }
      throw error;
    }
  }

  private parseRef(ref: string, fromUrl: string, site: string): Target {
    const hash = ref.indexOf('#');
    const location = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    if (fragment !== '' && !fragment.startsWith('/')) {
      throw new InputError(
        'input.ref-unsupported',
        `${site}: $ref "${ref}" uses a plain-name fragment; only JSON pointers (#/…) are supported`,
        { details: [{ where: site, message: `unsupported $ref "${ref}"` }] },
      );
    }
    if (location === '') return { url: fromUrl, fragment };
    let url: URL;
    try {
      url = new URL(location, fromUrl);
    } catch {
      throw new InputError('input.ref-unsupported', `${site}: $ref "${ref}" is not a valid URI reference`, {
        details: [{ where: site, message: `invalid $ref "${ref}"` }],
      });
    }
    url.hash = '';
    const from = new URL(fromUrl);
    if (REMOTE.test(url.protocol)) {
      if (!this.input.allowRemoteRefs) {
        throw new InputError(
          'input.remote-ref',
          `${site}: $ref "${ref}" points at the remote URL ${url.href}; remote $refs are refused unless allowed (--allow-remote-refs)`,
          { details: [{ where: site, message: `remote $ref ${url.href}` }] },
        );
      }
    } else if (url.protocol === 'file:' && from.protocol === 'file:') {
      this.assertInside(ref, location, url, site);
    } else {
      throw new InputError(
        'input.ref-unsupported',
        `${site}: $ref "${ref}" points at ${url.href}; only files beside the spec${this.input.allowRemoteRefs ? ' and http(s) URLs' : ''} can be referenced`,
        { details: [{ where: site, message: `unsupported $ref "${ref}"` }] },
      );
    }
    return { url: url.href, fragment };
  }

  /**
   * Local refs are relative paths that stay inside the spec's folder tree: a
   * spec cannot make entente read (and publish) any other file on the machine.
   */
  private assertInside(ref: string, location: string, url: URL, site: string): void {
    const root = fileURLToPath(this.input.refRoot);
    const refuse = (why: string): never => {
      throw new InputError(
        'input.ref-outside',
        `${site}: $ref "${ref}" ${why}; refs must stay inside ${root}`,
        {
          details: [{ where: site, message: `$ref "${ref}" ${why}` }],
        },
      );
    };
    if (/^[a-z][a-z0-9+.-]*:/i.test(location)) refuse('is a file: URL');
    if (/^[\\/]/.test(location)) refuse('is an absolute path');
    if (!url.href.startsWith(this.input.refRoot)) refuse('points outside the spec folder');
  }

  private allocateName(home: string[], target: Target): string {
    const taken = this.takenIn(home);
    const stem = sanitizeName(fileStem(target.url));
    const segments = target.fragment.split('/');
    const last = segments[segments.length - 1];
    const base = target.fragment === '' || !last ? stem : sanitizeName(decodeSegment(last));
    const candidates = base === stem ? [base] : [base, `${stem}_${base}`];
    let name = candidates.find((candidate) => !taken.has(candidate));
    for (let n = 2; name === undefined; n++) {
      if (!taken.has(`${base}_${n}`)) name = `${base}_${n}`;
    }
    taken.add(name);
    return name;
  }

  private takenIn(home: string[]): Set<string> {
    const key = home.join('/');
    let set = this.taken.get(key);
    if (!set) {
      set = new Set();
      this.taken.set(key, set);
    }
    return set;
  }

  /** The pointer in the bundled document of a node at `pointer` in the document being copied. */
  private outPointer(pointer: string): string {
    const { job, srcBase } = this.current;
    if (!job) return pointer;
    return job.outPointer + pointer.slice(srcBase.length);
  }

  private locate(pointer: string): string {
    let prefix = pointer;
    for (;;) {
      const origin = this.origins.get(prefix);
      if (origin)
        return `${this.input.displayName(origin.url)}#${origin.pointer}${pointer.slice(prefix.length)}`;
      if (prefix === '') break;
      prefix = prefix.slice(0, prefix.lastIndexOf('/'));
    }
    return `${this.input.displayName(this.input.rootUrl)}#${pointer}`;
  }

  private describe(target: Target): string {
    return `${this.input.displayName(target.url)}#${target.fragment}`;
  }
}

function fileStem(url: string): string {
  const path = new URL(url).pathname;
  const base = decodeSegment(path.slice(path.lastIndexOf('/') + 1));
  return base.replace(/\.(ya?ml|json)$/i, '') || 'document';
}

/** Component names must match `^[a-zA-Z0-9._-]+$`. */
function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'component';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function getPath(root: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function ensurePath(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = root;
  for (const key of path) {
    let next = node[key];
    if (!isRecord(next)) {
      next = {};
      node[key] = next;
    }
    node = next as Record<string, unknown>;
  }
  return node;
}
