import { canonicalJson } from '../../util/canonical-json.js';
import { encodePointerSegment, type OpenApiDocument } from '../document.js';
import { type DiffFinding, type DiffOperation, finding } from './findings.js';
import { isObject } from './schema-view.js';

/** One way to satisfy an operation's security: every scheme listed, each with at least these scopes. */
type Alternative = Map<string, Set<string>>;

interface EffectiveSecurity {
  alternatives: Alternative[];
  /** Where it is declared: the operation's `security`, or the document's. */
  pointer: string;
  raw: unknown;
}

/**
 * Compares what credentials an operation accepts. Security is a list of
 * alternatives; credentials that satisfied a base alternative must still
 * satisfy some revision alternative.
 */
export function diffSecurity(
  operation: DiffOperation,
  base: OpenApiDocument,
  baseOperation: { node: Record<string, unknown>; pointer: string },
  revision: OpenApiDocument,
  revisionOperation: { node: Record<string, unknown>; pointer: string },
): DiffFinding[] {
  const before = effectiveSecurity(base, baseOperation);
  const after = effectiveSecurity(revision, revisionOperation);
  const baseAnonymous = allowsAnonymous(before.alternatives);
  const revisionAnonymous = allowsAnonymous(after.alternatives);
  const common = { operation, target: { kind: 'security' } as const, before: before.raw, after: after.raw };
  if (baseAnonymous && !revisionAnonymous) {
    return [
      finding('security.requirement-added', {
        ...common,
        location: after.pointer,
        message: `now requires credentials: ${show(after.alternatives)}`,
      }),
    ];
  }
  if (revisionAnonymous) {
    if (baseAnonymous) return [];
    return [
      finding('security.requirement-removed', {
        ...common,
        location: after.pointer,
        message: 'no longer requires credentials',
      }),
    ];
  }
  const unsatisfied = before.alternatives.filter(
    (alternative) => !after.alternatives.some((candidate) => satisfies(alternative, candidate)),
  );
  if (unsatisfied.length > 0) {
    return [
      finding('security.requirement-changed', {
        ...common,
        location: after.pointer,
        message: `credentials for ${show(unsatisfied)} are no longer enough; now ${show(after.alternatives)}`,
      }),
    ];
  }
  if (canonical(before.alternatives) !== canonical(after.alternatives)) {
    return [
      finding('security.requirement-removed', {
        ...common,
        location: after.pointer,
        message: `accepts more: ${show(before.alternatives)} → ${show(after.alternatives)}`,
      }),
    ];
  }
  return [];
}

/** Security schemes removed, or changed in how credentials are sent. */
export function diffSecuritySchemes(base: OpenApiDocument, revision: OpenApiDocument): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const baseSchemes = base.components?.securitySchemes ?? {};
  const revisionSchemes = revision.components?.securitySchemes ?? {};
  for (const [name, scheme] of Object.entries(baseSchemes)) {
    const pointer = `/components/securitySchemes/${encodePointerSegment(name)}`;
    const revisionScheme = revisionSchemes[name];
    if (!isObject(revisionScheme)) {
      findings.push(
        finding('security.scheme-removed', {
          location: pointer,
          target: { kind: 'security-scheme', name },
          message: `security scheme \`${name}\` removed`,
        }),
      );
      continue;
    }
    const before = schemeIdentity(scheme);
    const after = schemeIdentity(revisionScheme);
    if (canonicalJson(before) !== canonicalJson(after)) {
      findings.push(
        finding('security.scheme-changed', {
          location: pointer,
          target: { kind: 'security-scheme', name },
          message: `security scheme \`${name}\` changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
          before,
          after,
        }),
      );
    }
  }
  return findings;
}

function effectiveSecurity(
  document: OpenApiDocument,
  operation: { node: Record<string, unknown>; pointer: string },
): EffectiveSecurity {
  const own = operation.node.security;
  const raw = Array.isArray(own) ? own : document.security;
  const pointer = Array.isArray(own) ? `${operation.pointer}/security` : '/security';
  const alternatives: Alternative[] = [];
  if (Array.isArray(raw)) {
    for (const requirement of raw) {
      if (!isObject(requirement)) continue;
      const alternative: Alternative = new Map();
      for (const [scheme, scopes] of Object.entries(requirement)) {
        alternative.set(scheme, new Set(Array.isArray(scopes) ? scopes.map(String) : []));
      }
      alternatives.push(alternative);
    }
  }
  return { alternatives, pointer, raw: raw ?? [] };
}

function allowsAnonymous(alternatives: Alternative[]): boolean {
  return alternatives.length === 0 || alternatives.some((alternative) => alternative.size === 0);
}

/** Whether credentials meeting `held` also meet `needed`: every scheme needed is held, with every scope needed. */
function satisfies(held: Alternative, needed: Alternative): boolean {
  for (const [scheme, scopes] of needed) {
    const heldScopes = held.get(scheme);
    if (!heldScopes) return false;
    for (const scope of scopes) if (!heldScopes.has(scope)) return false;
  }
  return true;
}

function schemeIdentity(scheme: unknown): Record<string, unknown> {
  if (!isObject(scheme)) return {};
  const identity: Record<string, unknown> = { type: scheme.type };
  if (scheme.type === 'http' && typeof scheme.scheme === 'string')
    identity.scheme = scheme.scheme.toLowerCase();
  if (scheme.type === 'apiKey') {
    identity.in = scheme.in;
    identity.name = typeof scheme.name === 'string' ? scheme.name.toLowerCase() : scheme.name;
  }
  return identity;
}

function show(alternatives: Alternative[]): string {
  if (alternatives.length === 0) return 'none';
  return alternatives
    .map((alternative) =>
      alternative.size === 0
        ? 'anonymous'
        : [...alternative]
            .map(([scheme, scopes]) => (scopes.size ? `${scheme}(${[...scopes].join(' ')})` : scheme))
            .join(' + '),
    )
    .join(' or ');
}

function canonical(alternatives: Alternative[]): string {
  return canonicalJson(
    alternatives
      .map((alternative) =>
        Object.fromEntries([...alternative].map(([scheme, scopes]) => [scheme, [...scopes].sort()])),
      )
      .map((alternative) => canonicalJson(alternative))
      .sort(),
  );
}
