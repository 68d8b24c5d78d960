/**
 * Pact generators where they apply to verification: `ProviderState`
 * generators in an imported interaction's request take their values from
 * the provider states' setup (their params, overridden by what the setup
 * returned). `${name}` alone keeps the value's type; inside other text it is
 * interpolated. Other generators (random values) are not applied: the
 * request is replayed as the pact recorded it.
 */
import { isPlainObject } from '../contract/relies-on.js';
import type { Interaction } from '../model/records.js';
import { parseRulePath } from './rules.js';

const WHOLE = /^\$\{([^}]+)\}$/;

/** Pure: the interaction with its request's ProviderState generators applied (unchanged when none resolves). */
export function applyProviderStateGenerators(
  interaction: Interaction,
  values: Record<string, unknown>,
): Interaction {
  const generators = interaction.pact?.request?.generators;
  if (!generators) return interaction;
  const request = structuredClone(interaction.request);
  const resolve = (generator: unknown): { value: unknown } | undefined => {
    if (!isPlainObject(generator) || generator.type !== 'ProviderState') return undefined;
    if (typeof generator.expression !== 'string') return undefined;
    const whole = WHOLE.exec(generator.expression);
    if (whole) return Object.hasOwn(values, whole[1]!) ? { value: values[whole[1]!] } : undefined;
    let missing = false;
    const text = generator.expression.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
      if (!Object.hasOwn(values, name)) missing = true;
      return String(values[name]);
    });
    return missing ? undefined : { value: text };
  };

  const path = resolve(
    isPlainObject(generators.path) && !('$' in generators.path) ? generators.path : undefined,
  );
  if (path && typeof path.value === 'string' && path.value.startsWith('/')) request.path = path.value;
  for (const [name, generator] of Object.entries(isPlainObject(generators.query) ? generators.query : {})) {
    const generated = resolve(generator);
    if (generated) request.query = { ...request.query, [name]: String(generated.value) };
  }
  for (const [name, generator] of Object.entries(isPlainObject(generators.header) ? generators.header : {})) {
    const generated = resolve(generator);
    if (generated) request.headers = { ...request.headers, [name]: String(generated.value) };
  }
  for (const [location, generator] of Object.entries(isPlainObject(generators.body) ? generators.body : {})) {
    const generated = resolve(generator);
    if (generated) request.body = setAt(request.body, location, generated.value);
  }
  return { ...interaction, request };
}

function setAt(body: unknown, location: string, value: unknown): unknown {
  const tokens = parseRulePath(location, `generators.body["${location}"]`);
  if (tokens.length === 0) return value;
  let node = body;
  for (const [i, token] of tokens.entries()) {
    const last = i === tokens.length - 1;
    const key = token.kind === 'field' ? token.name : token.kind === 'index' ? token.index : undefined;
    if (key === undefined) return body; // a `*` names no one place to put a value
    const container = node as Record<string | number, unknown> | undefined;
    if (!container || typeof container !== 'object') return body;
    if (last) container[key] = value;
    else node = container[key];
  }
  return body;
}
