import { type BodyPath, formatBodyPath } from '../../contract/body-path.js';
import { canonicalJson } from '../../util/canonical-json.js';
import type { RequestSchemaAspect, ResponseSchemaAspect } from './rules.js';
import {
  type Bound,
  type Constraints,
  isObject,
  type SchemaRef,
  type SchemaView,
  SchemaViews,
} from './schema-view.js';

/** `request`: the consumer writes, the provider reads. `response`: the other way round. */
export type Direction = 'request' | 'response';

export type SchemaChange = SchemaChangeAt<string>;

type SchemaChangeAt<Path> = {
  /** Relative to the schema compared, in relied-on path syntax. */
  path: Path;
  /** A JSON pointer into the revision, or into the base for a removed property. */
  location: string;
  detail: string;
  before?: unknown;
  after?: unknown;
  /** The two schemas whose own keywords changed: where a counterexample is looked for. */
  pair?: { base: SchemaRef; revision: SchemaRef };
  /** Reported only with a counterexample: the keyword changed in a way that may or may not narrow (widen). */
  needsProof?: true;
} & (
  | { direction: 'request'; aspect: RequestSchemaAspect }
  | { direction: 'response'; aspect: ResponseSchemaAspect }
);

/** A change found on one pair, its path relative to that pair. */
type LocalChange = SchemaChangeAt<BodyPath>;

/** Where a pair of schemas leads: a property, the array items, or map values (no segment: a map's values share its path). */
interface Edge {
  segment: BodyPath;
  base: SchemaRef;
  revision: SchemaRef;
  node?: PairNode;
}

/** One compared pair of flattened schemas: its own changes and the pairs below it. */
interface PairNode {
  local: LocalChange[];
  edges: Edge[];
  /** Whether any change is reachable from here; set once the node's strongly connected component is done. */
  hasChanges?: boolean;
  /** Tarjan's bookkeeping while `hasChanges` is being computed. */
  index?: number;
  low?: number;
  onStack?: boolean;
  reaches?: boolean;
}

/**
 * How many times one pair's changes are expanded under one root. Schemas
 * shared at several places of a body are reported at each place (up to
 * this many); densely recursive schemas cannot blow up the output.
 */
const MAX_EXPANSIONS_PER_PAIR = 16;

/**
 * Compares schemas of two documents in one direction. Each pair of flattened
 * schemas is compared once (its own changes and the pairs below it form a
 * graph, shared by every operation); a root's findings are then the changes
 * reachable from it, one per body path, never walking round a cycle and
 * never descending where nothing changed.
 */
export class SchemaComparer {
  private readonly baseViews: SchemaViews;
  private readonly revisionViews: SchemaViews;
  private readonly nodes = new Map<string, PairNode>();
  private tarjanIndex = 0;

  constructor(
    base: unknown,
    revision: unknown,
    private readonly direction: Direction,
  ) {
    this.baseViews = new SchemaViews(base);
    this.revisionViews = new SchemaViews(revision);
  }

  compare(base: SchemaRef, revision: SchemaRef): SchemaChange[] {
    const root = this.node(base, revision);
    if (!this.hasChanges(root)) return [];
    const changes: SchemaChange[] = [];
    const onPath = new Set<PairNode>();
    const expansions = new Map<PairNode, number>();
    const walk = (node: PairNode, prefix: BodyPath) => {
      const count = expansions.get(node) ?? 0;
      if (count >= MAX_EXPANSIONS_PER_PAIR) return;
      expansions.set(node, count + 1);
      onPath.add(node);
      for (const change of node.local)
        changes.push({ ...change, path: formatBodyPath([...prefix, ...change.path]) });
      for (const edge of node.edges) {
        const child = this.child(edge);
        if (child.hasChanges && !onPath.has(child)) walk(child, [...prefix, ...edge.segment]);
      }
      onPath.delete(node);
    };
    walk(root, []);
    // A field reached both through a oneOf/anyOf branch and through the branches' union is reported once.
    const seen = new Set<string>();
    return changes.filter((change) => {
      const key = `${change.aspect}|${change.location}|${change.path}|${change.detail}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private node(base: SchemaRef, revision: SchemaRef): PairNode {
    const b = this.baseViews.view(base);
    const r = this.revisionViews.view(revision);
    const key = `${b.id}:${r.id}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = { local: [], edges: [] };
      this.nodes.set(key, node);
      const edges = node.edges;
      this.compareLocal(b, r, node.local, (childBase, childRevision, segment) =>
        edges.push({ segment, base: childBase, revision: childRevision }),
      );
      for (const change of node.local) change.pair = { base, revision };
    }
    return node;
  }

  private child(edge: Edge): PairNode {
    edge.node ??= this.node(edge.base, edge.revision);
    return edge.node;
  }

  /** Tarjan's strongly connected components: a cycle has changes when any member does or leads to some. */
  private hasChanges(start: PairNode): boolean {
    if (start.hasChanges !== undefined) return start.hasChanges;
    const stack: PairNode[] = [];
    const visit = (node: PairNode) => {
      node.index = this.tarjanIndex++;
      node.low = node.index;
      node.onStack = true;
      node.reaches = node.local.length > 0;
      stack.push(node);
      for (const edge of node.edges) {
        const child = this.child(edge);
        if (child.hasChanges !== undefined) {
          node.reaches ||= child.hasChanges;
        } else if (child.index === undefined) {
          visit(child);
          node.low = Math.min(node.low, child.low!);
          if (child.hasChanges !== undefined) node.reaches ||= child.hasChanges;
        } else if (child.onStack) {
          node.low = Math.min(node.low, child.index);
        }
      }
      if (node.low !== node.index) return;
      const component: PairNode[] = [];
      let member: PairNode | undefined;
      do {
        member = stack.pop()!;
        member.onStack = false;
        component.push(member);
      } while (member !== node);
      const reaches = component.some((m) => m.reaches);
      for (const m of component) m.hasChanges = reaches;
    };
    visit(start);
    return start.hasChanges ?? false;
  }

  private compareLocal(
    b: SchemaView,
    r: SchemaView,
    changes: LocalChange[],
    descend: (base: SchemaRef, revision: SchemaRef, segment: BodyPath) => void,
  ): void {
    const request = this.direction === 'request';
    const add = (aspect: RequestSchemaAspect & ResponseSchemaAspect, change: ChangeInput) =>
      changes.push({ path: [], ...change, ...this.tag(aspect) });
    const addRequest = (aspect: RequestSchemaAspect, change: ChangeInput) =>
      changes.push({ path: [], ...change, direction: 'request', aspect });
    const addResponse = (aspect: ResponseSchemaAspect, change: ChangeInput) =>
      changes.push({ path: [], ...change, direction: 'response', aspect });

    if (request && b.nullable && !r.nullable) {
      addRequest('became-non-nullable', { location: r.pointer, detail: 'no longer accepts null' });
    }
    if (!request && !b.nullable && r.nullable) {
      addResponse('became-nullable', { location: r.pointer, detail: 'may now be null' });
    }

    const typeOk = request ? acceptsTypes(r.types, b.types) : acceptsTypes(b.types, r.types);
    if (!typeOk) {
      add('type-changed', {
        location: r.pointer,
        detail: `type changed from ${showTypes(b.types)} to ${showTypes(r.types)}`,
        before: showTypes(b.types),
        after: showTypes(r.types),
      });
      return;
    }

    if (b.format !== r.format && (request ? r.format !== undefined : b.format !== undefined)) {
      add('format-changed', {
        location: r.pointer,
        detail: `format changed from ${b.format ?? '(none)'} to ${r.format ?? '(none)'}`,
        before: b.format,
        after: r.format,
      });
    }

    this.compareEnums(b, r, request, addRequest, addResponse);
    this.compareConstraints(b, r, request, addRequest, addResponse);

    if (allows(b.types, 'object') && allows(r.types, 'object')) {
      this.compareProperties(b, r, request, addRequest, addResponse, descend);
    }
    if (b.items && r.items) descend(b.items, r.items, [{ kind: 'every' }]);
    compareKeywords(b, r, request, addRequest, addResponse, descend);
  }

  private tag(aspect: RequestSchemaAspect & ResponseSchemaAspect) {
    return this.direction === 'request'
      ? { direction: 'request' as const, aspect }
      : { direction: 'response' as const, aspect };
  }

  private compareEnums(
    b: SchemaView,
    r: SchemaView,
    request: boolean,
    addRequest: (aspect: RequestSchemaAspect, change: ChangeInput) => void,
    addResponse: (aspect: ResponseSchemaAspect, change: ChangeInput) => void,
  ): void {
    const baseKeys = b.enum && new Set(b.enum.map(canonicalJson));
    const revisionKeys = r.enum && new Set(r.enum.map(canonicalJson));
    const removed = b.enum && revisionKeys ? b.enum.filter((v) => !revisionKeys.has(canonicalJson(v))) : [];
    const added = r.enum && baseKeys ? r.enum.filter((v) => !baseKeys.has(canonicalJson(v))) : [];
    const narrowed = r.enum !== undefined && (b.enum === undefined || removed.length > 0);
    const widened = b.enum !== undefined && (r.enum === undefined || added.length > 0);
    const change = { location: r.pointer, before: b.enum, after: r.enum };
    if (request && narrowed) {
      addRequest('enum-narrowed', {
        ...change,
        detail: b.enum
          ? `enum no longer accepts ${showValues(removed)}`
          : `now restricted to ${showValues(r.enum ?? [])}`,
      });
    }
    if (widened) {
      const detail = r.enum ? `enum gained ${showValues(added)}` : 'no longer restricted to an enum';
      if (request) addRequest('enum-widened', { ...change, detail });
      else addResponse('enum-widened', { ...change, detail });
    }
  }

  private compareConstraints(
    b: SchemaView,
    r: SchemaView,
    request: boolean,
    addRequest: (aspect: RequestSchemaAspect, change: ChangeInput) => void,
    addResponse: (aspect: ResponseSchemaAspect, change: ChangeInput) => void,
  ): void {
    for (const keyword of CONSTRAINT_KEYWORDS) {
      const before = b.constraints[keyword];
      const after = r.constraints[keyword];
      const tighter = request ? isTighter(keyword, before, after) : isTighter(keyword, after, before);
      if (!tighter) continue;
      const change = {
        location: r.pointer,
        detail: `${keyword} ${request ? 'tightened' : 'loosened'} from ${showConstraint(before)} to ${showConstraint(after)}`,
        before,
        after,
      };
      if (request) addRequest('constraint-tightened', change);
      else addResponse('constraint-loosened', change);
    }
    if (
      request &&
      b.additionalProperties !== false &&
      r.additionalProperties === false &&
      allows(r.types, 'object')
    ) {
      addRequest('constraint-tightened', {
        location: r.pointer,
        detail: 'additional properties are no longer allowed',
        before: b.additionalProperties === undefined,
        after: false,
      });
    }
  }

  private compareProperties(
    b: SchemaView,
    r: SchemaView,
    request: boolean,
    addRequest: (aspect: RequestSchemaAspect, change: ChangeInput) => void,
    addResponse: (aspect: ResponseSchemaAspect, change: ChangeInput) => void,
    descend: (base: SchemaRef, revision: SchemaRef, segment: BodyPath) => void,
  ): void {
    const baseProperties = this.visible(b, this.baseViews);
    const revisionProperties = this.visible(r, this.revisionViews);
    for (const [name, baseSchema] of baseProperties) {
      const segment: BodyPath = [{ kind: 'field', name }];
      const revisionSchema = revisionProperties.get(name);
      const wasRequired = b.required.has(name);
      const isRequired = r.required.has(name);
      if (!revisionSchema) {
        const change = { path: segment, location: baseSchema.pointer, before: name };
        if (request) {
          if (r.additionalProperties === false) {
            addRequest('property-removed', {
              ...change,
              detail: 'removed, and additional properties are not allowed',
            });
          }
        } else {
          addResponse(wasRequired ? 'property-removed' : 'optional-property-removed', {
            ...change,
            detail: wasRequired ? 'required property removed' : 'optional property removed',
          });
        }
        continue;
      }
      if (request && !wasRequired && isRequired) {
        addRequest('property-became-required', {
          path: segment,
          location: revisionSchema.pointer,
          detail: 'became required',
        });
      }
      if (!request && wasRequired && !isRequired) {
        addResponse('property-became-optional', {
          path: segment,
          location: revisionSchema.pointer,
          detail: 'is no longer required',
        });
      }
      descend(baseSchema, revisionSchema, segment);
    }
    for (const [name, revisionSchema] of revisionProperties) {
      if (baseProperties.has(name)) continue;
      const change = {
        path: [{ kind: 'field', name }] as BodyPath,
        location: revisionSchema.pointer,
        after: name,
      };
      if (request && r.required.has(name)) {
        addRequest('required-property-added', { ...change, detail: 'new required property' });
      } else if (request) {
        addRequest('property-added', { ...change, detail: 'new optional property' });
      } else {
        addResponse('property-added', { ...change, detail: 'new property' });
      }
    }
    const baseExtra = b.additionalProperties;
    const revisionExtra = r.additionalProperties;
    // Map values have no field name in relied-on paths: their changes are reported on the map itself.
    if (baseExtra && revisionExtra) descend(baseExtra, revisionExtra, []);
  }

  /** Properties that can appear in this direction: readOnly ones are never sent in requests, writeOnly ones never in responses. */
  private visible(view: SchemaView, views: SchemaViews): Map<string, SchemaRef> {
    const out = new Map<string, SchemaRef>();
    for (const [name, schema] of view.properties) {
      const property = views.view(schema);
      if (this.direction === 'request' ? property.readOnly : property.writeOnly) continue;
      out.set(name, schema);
    }
    return out;
  }
}

type ChangeInput = Omit<LocalChange, 'direction' | 'aspect' | 'path'> & { path?: BodyPath };
type AddRequest = (aspect: RequestSchemaAspect, change: ChangeInput) => void;
type AddResponse = (aspect: ResponseSchemaAspect, change: ChangeInput) => void;

/**
 * Keywords compared as written: each may narrow a request when the revision
 * adds or changes it (widen a response when the base had it). Validated ones
 * are reported with a counterexample only (`patternProperties: {"^x-": true}`
 * restricts nothing); the content keywords, which JSON Schema validators
 * leave to the application, are reported as soon as they appear or change.
 */
const WRITTEN_KEYWORDS: Record<string, 'proof' | 'always'> = {
  patternProperties: 'proof',
  propertyNames: 'proof',
  unevaluatedProperties: 'proof',
  unevaluatedItems: 'proof',
  prefixItems: 'proof',
  contains: 'proof',
  contentSchema: 'always',
  contentMediaType: 'always',
  contentEncoding: 'always',
};

/**
 * The keywords the flattened view does not capture, compared as written:
 * composition (`anyOf`/`oneOf` branches, `not`), conditionals, dependent
 * schemas, the pattern, name, unevaluated, tuple, contains and content
 * keywords, and discriminator mappings. A change that clearly narrows a
 * request (widens a response) is reported; one that may go either way is
 * reported only when a counterexample proves it (`needsProof`).
 */
function compareKeywords(
  b: SchemaView,
  r: SchemaView,
  request: boolean,
  addRequest: AddRequest,
  addResponse: AddResponse,
  descend: (base: SchemaRef, revision: SchemaRef, segment: BodyPath) => void,
): void {
  const bn = b.node ?? {};
  const rn = r.node ?? {};
  const same = (keyword: string) => canonicalJson(bn[keyword] ?? null) === canonicalJson(rn[keyword] ?? null);
  const location = r.pointer;
  /** `clear`: narrows (requests) or widens (responses) whatever the details; otherwise it needs a proof. */
  const report = (
    aspects: { request: RequestSchemaAspect; response: ResponseSchemaAspect },
    detail: string,
    clear: boolean,
    before: unknown,
    after: unknown,
  ) => {
    const change: ChangeInput = { location, detail, before, after, ...(clear ? {} : { needsProof: true }) };
    if (request) addRequest(aspects.request, change);
    else addResponse(aspects.response, change);
  };
  const composition = { request: 'composition-narrowed', response: 'composition-widened' } as const;

  const switched = exclusivitySwitch(bn, rn);
  if (switched) {
    // The same branches under the other keyword: one change (which only bites on values matching
    // several branches), the branches compared pair by pair.
    const [from, to] =
      switched === 'oneOf→anyOf' ? (['oneOf', 'anyOf'] as const) : (['anyOf', 'oneOf'] as const);
    for (const [i, branch] of (bn[from] as unknown[]).entries()) {
      descend(
        { node: branch, pointer: `${b.pointer}/${from}/${i}` },
        { node: (rn[to] as unknown[])[i], pointer: `${r.pointer}/${to}/${i}` },
        [],
      );
    }
    const change = { location, before: from, after: to };
    if (switched === 'oneOf→anyOf' && request) {
      addRequest('one-of-became-any-of', {
        ...change,
        detail: '`oneOf` became `anyOf`: a value matching several branches is accepted too',
      });
    } else if (switched === 'oneOf→anyOf') {
      addResponse('one-of-became-any-of', {
        ...change,
        detail: '`oneOf` became `anyOf`: it may hold a value matching several branches',
        needsProof: true,
      });
    } else if (request) {
      report(
        composition,
        '`anyOf` became `oneOf`: a value matching several branches is refused',
        false,
        from,
        to,
      );
    }
  }
  for (const keyword of switched ? [] : (['anyOf', 'oneOf'] as const)) {
    const baseBranches = Array.isArray(bn[keyword]) ? (bn[keyword] as unknown[]) : [];
    const revisionBranches = Array.isArray(rn[keyword]) ? (rn[keyword] as unknown[]) : [];
    if (baseBranches.length === revisionBranches.length) {
      for (const [i, branch] of baseBranches.entries()) {
        descend(
          { node: branch, pointer: `${b.pointer}/${keyword}/${i}` },
          { node: revisionBranches[i], pointer: `${r.pointer}/${keyword}/${i}` },
          [],
        );
      }
      continue;
    }
    const [had, has] = [baseBranches.length, revisionBranches.length];
    if (request && had === 0) {
      report(composition, `now restricted to one of ${has} \`${keyword}\` branches`, false, undefined, has);
    } else if (request && has > 0 && has < had) {
      report(composition, `\`${keyword}\` has ${has} branches instead of ${had}`, true, had, has);
    } else if (!request && has === 0) {
      report(
        composition,
        `no longer restricted to one of ${had} \`${keyword}\` branches`,
        false,
        had,
        undefined,
      );
    } else if (!request && had > 0 && has > had) {
      report(composition, `\`${keyword}\` has ${has} branches instead of ${had}`, true, had, has);
    }
  }
  if (!same('not')) {
    const added = request ? rn.not !== undefined : bn.not !== undefined;
    const clear = request ? bn.not === undefined : rn.not === undefined;
    if (added)
      report(
        composition,
        request ? '`not` added or changed' : '`not` removed or changed',
        clear,
        bn.not,
        rn.not,
      );
  }
  const conditional = ['if', 'then', 'else'].some((k) => !same(k));
  if (conditional && (request ? rn.if !== undefined : bn.if !== undefined)) {
    report(
      { request: 'conditional-changed', response: 'conditional-changed' },
      '`if`/`then`/`else` changed',
      false,
      conditionalOf(bn),
      conditionalOf(rn),
    );
  }
  const dependency = { request: 'dependency-added', response: 'dependency-removed' } as const;
  const [looser, stricter] = request ? [bn, rn] : [rn, bn];
  const looserRequired = isObject(looser.dependentRequired) ? looser.dependentRequired : {};
  if (isObject(stricter.dependentRequired)) {
    for (const [name, list] of Object.entries(stricter.dependentRequired)) {
      const had = new Set(Array.isArray(looserRequired[name]) ? (looserRequired[name] as unknown[]) : []);
      const extra = Array.isArray(list) ? list.filter((n) => !had.has(n)) : [];
      if (extra.length === 0) continue;
      report(
        dependency,
        request
          ? `when \`${name}\` is present, ${showValues(extra)} must now be too`
          : `when \`${name}\` is present, ${showValues(extra)} may now be absent`,
        true,
        bn.dependentRequired,
        rn.dependentRequired,
      );
    }
  }
  for (const keyword of ['dependentSchemas', 'dependencies'] as const) {
    if (same(keyword) || stricter[keyword] === undefined) continue;
    report(dependency, `\`${keyword}\` changed`, looser[keyword] === undefined, bn[keyword], rn[keyword]);
  }
  for (const [keyword, evidence] of Object.entries(WRITTEN_KEYWORDS)) {
    if (same(keyword)) continue;
    const restricting = stricter[keyword];
    if (restricting === undefined || restricting === true) continue;
    const had = looser[keyword];
    report(
      { request: 'keyword-tightened', response: 'keyword-loosened' },
      `\`${keyword}\` ${had === undefined || had === true ? (request ? 'added' : 'removed') : 'changed'}`,
      evidence === 'always',
      bn[keyword],
      rn[keyword],
    );
  }
  compareDiscriminators(bn, rn, request, addRequest, addResponse, location);
}

/**
 * Whether a schema kept its branches (as many, compared pair by pair) and moved them from `oneOf`
 * to `anyOf` or back, with no other composition beside them.
 */
function exclusivitySwitch(
  bn: Readonly<Record<string, unknown>>,
  rn: Readonly<Record<string, unknown>>,
): 'oneOf→anyOf' | 'anyOf→oneOf' | undefined {
  const branches = (node: Readonly<Record<string, unknown>>, keyword: string) =>
    Array.isArray(node[keyword]) ? (node[keyword] as unknown[]).length : 0;
  const [baseOneOf, baseAnyOf] = [branches(bn, 'oneOf'), branches(bn, 'anyOf')];
  const [revisionOneOf, revisionAnyOf] = [branches(rn, 'oneOf'), branches(rn, 'anyOf')];
  if (baseOneOf > 0 && baseAnyOf === 0 && revisionOneOf === 0 && revisionAnyOf === baseOneOf)
    return 'oneOf→anyOf';
  if (baseAnyOf > 0 && baseOneOf === 0 && revisionAnyOf === 0 && revisionOneOf === baseAnyOf)
    return 'anyOf→oneOf';
  return undefined;
}

/** `if`, `then` and `else` of a schema (built from entries: an object with a `then` key is a thenable). */
function conditionalOf(node: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    ['if', 'then', 'else'].filter((k) => node[k] !== undefined).map((k) => [k, node[k]]),
  );
}

/**
 * A discriminator decides which branch a payload is read as: a request whose
 * mapping lost a value (or whose property was renamed) refuses payloads it
 * took; a response whose mapping gained a value sends payloads consumers
 * cannot place.
 */
function compareDiscriminators(
  bn: Readonly<Record<string, unknown>>,
  rn: Readonly<Record<string, unknown>>,
  request: boolean,
  addRequest: AddRequest,
  addResponse: AddResponse,
  location: string,
): void {
  const bd = isObject(bn.discriminator) ? bn.discriminator : undefined;
  const rd = isObject(rn.discriminator) ? rn.discriminator : undefined;
  if (!bd || !rd) return;
  const add = (detail: string, before: unknown, after: unknown) => {
    const change = { location, detail, before, after };
    if (request) addRequest('discriminator-changed', change);
    else addResponse('discriminator-changed', change);
  };
  if (bd.propertyName !== rd.propertyName) {
    add(
      `discriminator property renamed from ${String(bd.propertyName)} to ${String(rd.propertyName)}`,
      bd.propertyName,
      rd.propertyName,
    );
    return;
  }
  const baseMapping = isObject(bd.mapping) ? bd.mapping : {};
  const revisionMapping = isObject(rd.mapping) ? rd.mapping : {};
  const [from, to] = request ? [baseMapping, revisionMapping] : [revisionMapping, baseMapping];
  for (const [value, target] of Object.entries(from)) {
    if (to[value] === target) continue;
    const detail =
      to[value] === undefined
        ? request
          ? `discriminator value ${JSON.stringify(value)} is no longer mapped`
          : `new discriminator value ${JSON.stringify(value)}`
        : `discriminator value ${JSON.stringify(value)} now maps to ${String(revisionMapping[value])} instead of ${String(baseMapping[value])}`;
    add(detail, baseMapping[value], revisionMapping[value]);
  }
}

const CONSTRAINT_KEYWORDS = [
  'lower',
  'upper',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'pattern',
  'uniqueItems',
  'minContains',
  'maxContains',
] as const satisfies readonly (keyof Constraints)[];
type ConstraintKeyword = (typeof CONSTRAINT_KEYWORDS)[number];

/** Whether `stricter` refuses something `looser` accepted. */
function isTighter(keyword: ConstraintKeyword, looser: unknown, stricter: unknown): boolean {
  if (stricter === undefined) return false;
  if (looser === undefined) return true;
  switch (keyword) {
    case 'lower':
      return boundTighter(looser as Bound, stricter as Bound, 1);
    case 'upper':
      return boundTighter(looser as Bound, stricter as Bound, -1);
    case 'multipleOf':
      return !Number.isInteger((looser as number) / (stricter as number));
    case 'minLength':
    case 'minItems':
    case 'minProperties':
    case 'minContains':
      return (stricter as number) > (looser as number);
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
    case 'maxContains':
      return (stricter as number) < (looser as number);
    case 'pattern':
      return stricter !== looser;
    case 'uniqueItems':
      return stricter === true && looser !== true;
  }
}

/** sign 1: a lower bound (higher is tighter); -1: an upper bound. */
function boundTighter(looser: Bound, stricter: Bound, sign: 1 | -1): boolean {
  if (stricter.value * sign > looser.value * sign) return true;
  return stricter.value === looser.value && stricter.exclusive && !looser.exclusive;
}

/** Whether a schema of types `wider` accepts every value of types `narrower` (undefined: any type). */
function acceptsTypes(
  wider: ReadonlySet<string> | undefined,
  narrower: ReadonlySet<string> | undefined,
): boolean {
  if (wider === undefined) return true;
  if (narrower === undefined) return false;
  for (const type of narrower) {
    if (!wider.has(type) && !(type === 'integer' && wider.has('number'))) return false;
  }
  return true;
}

function allows(types: ReadonlySet<string> | undefined, type: string): boolean {
  return types === undefined || types.has(type);
}

function showTypes(types: ReadonlySet<string> | undefined): string {
  return types === undefined ? 'any' : [...types].sort().join('|');
}

function showValues(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function showConstraint(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const bound = value as Bound;
    return bound.exclusive ? `${bound.value} (exclusive)` : String(bound.value);
  }
  return JSON.stringify(value);
}
