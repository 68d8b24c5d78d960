/**
 * The type shape of a relied-on value: which JSON types were received at each
 * place, which object fields, and one merged shape for every array's elements.
 */
import { type BodyPath, formatBodyPath } from './body-path.js';
import { isPlainObject, type JsonType, jsonTypeOf } from './relies-on.js';
import type { SpecAllowance } from './spec-allowance.js';

export interface FieldShape {
  shape: ValueShape;
  /** False when some recorded array element (an object) did not have the field. */
  required: boolean;
}

export interface ValueShape {
  types: Set<JsonType>;
  /** Set when an object was received (empty when none of its fields is relied on). */
  fields?: Map<string, FieldShape>;
  /** Set when a non-empty array was received: the merged shape of its elements. */
  element?: ValueShape;
}

export function shapeOf(value: unknown): ValueShape {
  const shape: ValueShape = { types: new Set([jsonTypeOf(value)]) };
  if (isPlainObject(value)) {
    shape.fields = new Map(
      Object.entries(value).map(([name, child]) => [name, { shape: shapeOf(child), required: true }]),
    );
  } else if (Array.isArray(value) && value.length > 0) {
    shape.element = value.map(shapeOf).reduce(mergeShapes);
  }
  return shape;
}

/**
 * The shape every element of an array must satisfy, from two recorded
 * elements: either type; a field is required when every object element had
 * it, optional (checked only when present) otherwise.
 */
export function mergeShapes(a: ValueShape, b: ValueShape): ValueShape {
  const merged: ValueShape = { types: new Set([...a.types, ...b.types]) };
  if (a.fields && b.fields) {
    merged.fields = new Map();
    for (const name of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      const left = a.fields.get(name);
      const right = b.fields.get(name);
      merged.fields.set(
        name,
        left && right
          ? { shape: mergeShapes(left.shape, right.shape), required: left.required && right.required }
          : { shape: (left ?? right)!.shape, required: false },
      );
    }
  } else {
    const fields = a.fields ?? b.fields;
    if (fields) merged.fields = fields;
  }
  if (a.element && b.element) merged.element = mergeShapes(a.element, b.element);
  else {
    const element = a.element ?? b.element;
    if (element) merged.element = element;
  }
  return merged;
}

/** `string`, `string or null`: the types in a stable order. */
export function describeTypes(types: Iterable<string>): string {
  return [...types].sort().join(' or ');
}

/**
 * The shape widened by what the spec allowed when recorded: fields it did
 * not require become optional, places where it allowed other types accept them.
 */
export function widenShape(shape: ValueShape, allows: SpecAllowance | undefined): ValueShape {
  if (!allows) return shape;
  const absent = new Set(allows.absent ?? []);
  const types = allows.types ?? {};
  const widen = (node: ValueShape, path: BodyPath): ValueShape => {
    const text = formatBodyPath(path);
    const widened: ValueShape = { types: new Set([...node.types, ...(types[text] ?? [])]) };
    if (node.fields) {
      widened.fields = new Map(
        [...node.fields].map(([name, field]) => {
          const fieldPath: BodyPath = [...path, { kind: 'field', name }];
          return [
            name,
            {
              shape: widen(field.shape, fieldPath),
              required: field.required && !absent.has(formatBodyPath(fieldPath)),
            },
          ];
        }),
      );
    }
    if (node.element) widened.element = widen(node.element, [...path, { kind: 'every' }]);
    return widened;
  };
  return widen(shape, []);
}
