/**
 * What a consumer relies on in a response body: the recorded body narrowed to
 * the interaction's `reliesOn` paths (absent: everything it received).
 */
import { InputError } from '../errors.js';
import {
  type BodyPath,
  formatBodyPath,
  formatLocation,
  generalizeLocation,
  type LocationStep,
  parseBodyPath,
} from './body-path.js';

/**
 * The JSON type of a value. JSON has one number type, so there is no
 * 'integer' here: whether a number is an integer is a property of the value
 * (`Number.isInteger`), which the static check uses against `type: integer`.
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The relied-on paths as a tree: a node relied on whole, or some of its fields / elements. */
interface RelianceNode {
  whole: boolean;
  fields: Map<string, RelianceNode>;
  every?: RelianceNode;
}

function relianceTree(paths: readonly BodyPath[]): RelianceNode {
  const root: RelianceNode = { whole: false, fields: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      if (segment.kind === 'every') {
        node.every ??= { whole: false, fields: new Map() };
        node = node.every;
      } else {
        let child = node.fields.get(segment.name);
        if (!child) {
          child = { whole: false, fields: new Map() };
          node.fields.set(segment.name, child);
        }
        node = child;
      }
    }
    node.whole = true;
  }
  return root;
}

/** Whether the path names at least one value in `value` (or runs through an empty array). */
function resolves(value: unknown, path: BodyPath, index = 0): boolean {
  if (index === path.length) return value !== undefined;
  const segment = path[index]!;
  if (segment.kind === 'every') {
    if (!Array.isArray(value)) return false;
    return value.length === 0 || value.some((element) => resolves(element, path, index + 1));
  }
  return isPlainObject(value) && Object.hasOwn(value, segment.name)
    ? resolves(value[segment.name], path, index + 1)
    : false;
}

function project(node: RelianceNode, value: unknown): unknown {
  if (node.whole) return value;
  if (Array.isArray(value)) {
    const every = node.every;
    return every ? value.map((element) => project(every, element)) : undefined;
  }
  if (!isPlainObject(value) || node.fields.size === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    const child = node.fields.get(name);
    if (!child) continue;
    const projected = project(child, value[name]);
    if (projected !== undefined) out[name] = projected;
  }
  return out;
}

/**
 * Parses relied-on (or pinned) paths and checks each names something in the
 * recorded body; throws InputError otherwise. `where` names the interaction
 * in error messages.
 */
export function parseRecordedPaths(body: unknown, paths: readonly string[], where?: string): BodyPath[] {
  return paths.map((text) => {
    const path = parseBodyPath(text);
    if (!resolves(body, path)) {
      throw new InputError(
        'input.relies-on',
        `Body path ${JSON.stringify(text)}${where ? ` in ${where}` : ''} names nothing in the recorded response body; a consumer can only rely on (or pin) what it received.`,
        where ? { details: [{ where, message: `path ${JSON.stringify(text)}` }] } : {},
      );
    }
    return path;
  });
}

/**
 * The part of `body` the consumer relies on: the whole body when `reliesOn`
 * is absent; otherwise the body narrowed to those paths. Arrays keep every
 * element, each narrowed. undefined when nothing is relied on (no body, or an
 * empty `reliesOn`).
 *
 * Throws InputError for a path with bad syntax or one that names nothing in
 * the body (a path through an empty array names nothing and is fine).
 */
export function reliedOnShape(body: unknown, reliesOn?: readonly string[], where?: string): unknown {
  if (reliesOn === undefined) return body;
  const paths = parseRecordedPaths(body, reliesOn, where);
  if (paths.length === 0) return undefined;
  return project(relianceTree(paths), body);
}

export interface ReliedOnLeaf {
  /** The body path, `[]` for array elements: `items[].stock`. */
  path: string;
  /** The concrete location: `$.items[0].stock`. */
  location: string;
  type: JsonType;
  value: unknown;
}

/**
 * Every relied-on leaf with its type and value, one entry per occurrence
 * (an array of three relied-on elements gives three entries with the same
 * `path`). Leaves are scalars, null, and empty objects or arrays.
 */
export function reliedOnLeaves(body: unknown, reliesOn?: readonly string[], where?: string): ReliedOnLeaf[] {
  const shape = reliedOnShape(body, reliesOn, where);
  const leaves: ReliedOnLeaf[] = [];
  const walk = (value: unknown, steps: LocationStep[]): void => {
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((element, index) => {
        walk(element, [...steps, index]);
      });
      return;
    }
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [name, child] of Object.entries(value)) walk(child, [...steps, name]);
      return;
    }
    leaves.push({
      path: formatBodyPath(generalizeLocation(steps)),
      location: formatLocation(steps),
      type: jsonTypeOf(value),
      value,
    });
  };
  if (shape !== undefined) walk(shape, []);
  return leaves;
}
