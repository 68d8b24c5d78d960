/**
 * Read tracking: which parts of a mock response body the consumer's code
 * actually read. While a recording mock with tracking is open, the global
 * `JSON.parse` is observed: when it parses exactly the text of a JSON body
 * the mock served (Fetch's `Response.json()` does, and so do the clients
 * built on it, and axios), the value it returns is a Proxy that notes every
 * field read. Reading a whole value (JSON.stringify, spreading an object,
 * Object.keys, a deep-equality assertion, structuredClone) relies on all of
 * it. What is never parsed this way (another process, a client that parses
 * otherwise) stays untracked, and the spec-aware default applies.
 */
import { type BodyPath, formatBodyPath } from '../contract/body-path.js';
import { isPlainObject } from '../contract/relies-on.js';

interface ReadNode {
  /** Relied on whole: its keys were enumerated, or it was serialized or cloned. */
  whole: boolean;
  fields: Map<string, ReadNode>;
  every?: ReadNode;
}

const newNode = (): ReadNode => ({ whole: false, fields: new Map() });

/** One served body, parsed once: the reads of the consumer's code. */
interface TrackedBody {
  root: ReadNode;
  /** The parsed value was a scalar: nothing to observe, the whole value was taken. */
  scalar: boolean;
}

/** Proxy → what it wraps and where its reads go, to see through it (structuredClone). */
const proxies = new WeakMap<object, { target: object; node: ReadNode }>();

function track(value: unknown, node: ReadNode): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const children = new Map<PropertyKey, unknown>();
  const childNode = (key: string): ReadNode => {
    if (Array.isArray(value)) {
      node.every ??= newNode();
      return node.every;
    }
    let child = node.fields.get(key);
    if (!child) {
      child = newNode();
      node.fields.set(key, child);
    }
    return child;
  };
  const proxy = new Proxy(value as object, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return result;
      if (Array.isArray(target) && !/^\d+$/.test(key)) return result;
      if (!children.has(key)) children.set(key, track(result, childNode(key)));
      return children.get(key);
    },
    ownKeys(target) {
      node.whole = true;
      return Reflect.ownKeys(target);
    },
  });
  proxies.set(proxy, { target: value as object, node });
  return proxy;
}

/** The body paths read, shortest covering form; `''` when the whole body was taken. */
function readPaths(body: TrackedBody): string[] {
  if (body.scalar || body.root.whole) return [''];
  const out: string[] = [];
  const walk = (node: ReadNode, path: BodyPath, top: boolean): void => {
    if (!top && (node.whole || (node.fields.size === 0 && !node.every))) {
      out.push(formatBodyPath(path));
      return;
    }
    for (const [name, child] of node.fields) walk(child, [...path, { kind: 'field', name }], false);
    if (node.every) walk(node.every, [...path, { kind: 'every' }], false);
  };
  walk(body.root, [], true);
  return out.sort();
}

/** A copy without proxies, marking every proxy met as relied on whole. */
function unwrap(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const tracked = proxies.get(value);
  if (tracked) {
    tracked.node.whole = true;
    return tracked.target;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const element of value) copy.push(unwrap(element, seen));
    return copy;
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, child] of Object.entries(value)) copy[key] = unwrap(child, seen);
  return copy;
}

export interface ReadTracker<K> {
  /**
   * A JSON body the mock is about to send for `key`: returns the text to
   * send, whose next parse is tracked. A text already waiting for its parse
   * gets trailing whitespace that tells the two apart (JSON ignores it).
   */
  served(key: K, text: string): string;
  /** The body paths the consumer read from `key`'s body; undefined when it was never parsed where entente could see it. */
  readsOf(key: K): string[] | undefined;
  /** Stops observing (the last tracker to close restores JSON.parse and structuredClone). */
  close(): void;
}

/** Every open tracker: the global hooks are installed while there is one. */
const trackers = new Set<{ claim(text: string): TrackedBody | undefined }>();
let originals: { parse: typeof JSON.parse; structuredClone: typeof structuredClone } | undefined;

function install(): void {
  if (originals) return;
  const parse = JSON.parse;
  const clone = globalThis.structuredClone;
  originals = { parse, structuredClone: clone };
  JSON.parse = function parseObserved(
    text: string,
    reviver?: (this: unknown, key: string, value: unknown) => unknown,
  ) {
    const value = parse(text, reviver);
    if (reviver !== undefined || typeof text !== 'string') return value;
    for (const tracker of trackers) {
      const body = tracker.claim(text);
      if (!body) continue;
      if (typeof value !== 'object' || value === null) {
        body.scalar = true;
        return value;
      }
      return track(value, body.root);
    }
    return value;
  } as typeof JSON.parse;
  globalThis.structuredClone = ((value: unknown, options?: Parameters<typeof structuredClone>[1]) =>
    clone(unwrap(value), options)) as typeof structuredClone;
}

function uninstall(): void {
  if (!originals || trackers.size > 0) return;
  JSON.parse = originals.parse;
  globalThis.structuredClone = originals.structuredClone;
  originals = undefined;
}

export function createReadTracker<K>(): ReadTracker<K> {
  /** Served texts not parsed yet, oldest first for each text. */
  const waiting = new Map<string, K[]>();
  const bodies = new Map<K, TrackedBody>();
  const tracker = {
    claim(text: string): TrackedBody | undefined {
      const keys = waiting.get(text);
      const key = keys?.shift();
      if (key === undefined) return undefined;
      if (keys!.length === 0) waiting.delete(text);
      const body: TrackedBody = { root: newNode(), scalar: false };
      bodies.set(key, body);
      return body;
    },
  };
  trackers.add(tracker);
  install();
  return {
    served(key, text) {
      let unique = text;
      for (let n = 1; waiting.has(unique); n += 1) {
        unique = `${text}\n${n.toString(2).replace(/0/g, ' ').replace(/1/g, '\t')}`;
      }
      waiting.set(unique, [key]);
      return unique;
    },
    readsOf(key) {
      const body = bodies.get(key);
      return body ? readPaths(body) : undefined;
    },
    close() {
      waiting.clear();
      trackers.delete(tracker);
      uninstall();
    },
  };
}
