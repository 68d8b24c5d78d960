/**
 * Body paths in entente's relied-on syntax: field names joined with '.', `[]`
 * for every element of an array (`items[].stock`, `[].name`); names holding
 * '.', '[', ']' or '"' (or empty ones) are written as JSON strings.
 */
export type BodyPathSegment = { field: string } | 'items';

export function formatBodyPath(segments: readonly BodyPathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (segment === 'items') {
      out += '[]';
      continue;
    }
    const name = needsQuoting(segment.field) ? JSON.stringify(segment.field) : segment.field;
    out += out === '' ? name : `.${name}`;
  }
  return out;
}

export function joinBodyPath(prefix: string, suffix: string): string {
  if (prefix === '') return suffix;
  if (suffix === '') return prefix;
  return suffix.startsWith('[') ? `${prefix}${suffix}` : `${prefix}.${suffix}`;
}

function needsQuoting(name: string): boolean {
  return name === '' || /[.[\]"]/.test(name);
}
