import { diffRules, RULE_IDS, type RuleId } from './rules.js';

const SECTIONS: { title: string; prefixes: string[] }[] = [
  { title: 'Servers, paths and operations', prefixes: ['server.', 'path.', 'operation.'] },
  { title: 'Request parameters', prefixes: ['request.parameter.'] },
  { title: 'Request bodies', prefixes: ['request.body.'] },
  { title: 'Responses', prefixes: ['response.status.', 'response.content-type.', 'response.body.'] },
  { title: 'Response headers', prefixes: ['response.header.'] },
  { title: 'Security', prefixes: ['security.'] },
  { title: 'Webhooks and callbacks (the provider sends the request)', prefixes: ['webhook.', 'callback.'] },
];

const INTRODUCTION = `# Breaking-change rules

\`entente diff <base> <revision>\` compares two OpenAPI documents (3.0.x or
3.1.x, bundled) and reports every change a rule below knows. Each finding has
the rule's ID, its level, the operation (method and path template), a JSON
pointer to where the change is (into the revision, or into the base for what
was removed), a message, and a structured \`target\` that consumer impact uses
to find which contracts rely on what changed.

Levels:

- **error**: breaks consumers that use what changed.
- **warning**: may break some consumers (they may not handle a new value, or
  lose data they read).
- **info**: compatible; listed so reviewers see everything that changed.

### Why each level

A rule's level follows from who writes what, never from how large the
change looks:

- **A request the revision may refuse is an error** (a narrower type, a
  tighter bound, a lost enum value or \`anyOf\` branch, a new required field
  or parameter, a new \`not\`, \`if\`, dependency or pattern): a consumer sending
  what the base accepted gets a 4xx. Widening a request (a looser bound, a
  new optional field, an added branch, a scalar parameter that also accepts
  an array) is compatible: what was sent is still accepted.
- **A response the revision may send beyond the base is an error** (a wider
  type, null, a looser bound, a new branch, a removed \`not\` or dependency)
  and so is a promise withdrawn (a required field removed or made optional):
  consumers parse and validate by the documented shape. Narrowing a response
  (fewer enum values, tighter bounds) and new response fields are
  compatible: consumers must ignore fields they do not know.
- **Warnings** are changes that break only consumers that use something
  optional: a removed optional response field or header, a removed request
  parameter (it may be ignored or refused), a renamed operationId, a new enum
  value or a changed \`format\` in a response (strict consumers may not handle
  it), a removed webhook or callback.
- **Info** is everything compatible, listed so reviewers see all changes.
- Rules that say "with a counterexample" fire only when a value proves the
  change breaks: a changed conditional, a composition added or removed as a
  whole, or a pattern, name, tuple or contains keyword may go either way.
- Callbacks and webhooks reverse the roles: the provider sends their
  request, subscribers answer it. Their request (parameters, body, media
  types) is read like a response: a parameter or body withdrawn or made
  optional is an error, a new media type the provider may send is a
  warning (it chooses; nothing negotiates), one it stops sending is info.
  Their answer (statuses, headers, body, media types) is read like a
  request: a success status, a media type the provider no longer reads, or
  a header it now requires is an error.
- Security: requiring credentials, another scheme, or more scopes is an
  error; an alternative requirement added, or fewer scopes, is info.

## The command

\`\`\`
entente diff <base> <revision> [--provider P] [--fail-on error|warning] [--ignore FILE] [--strict] [--json | --markdown]
\`\`\`

Each side is one of:

- **a spec file**, read like \`publish-spec\` reads it: YAML or JSON, local
  \`$ref\`s bundled (remote ones only with \`--allow-remote-refs\`), Swagger 2.0
  converted, validated. Unlike \`publish-spec\`, a document that parses but
  is not valid OpenAPI (an operation without \`responses\`, an undeclared
  path parameter) is still compared: its validation errors are listed as
  warnings (\`inputWarnings\` in \`--json\`). \`--strict\` refuses it instead
  (exit 3).
- **\`gitref:path\`**: the file as it is at a branch, tag or commit of the git
  repository the command runs in (\`main:openapi.yaml\`,
  \`HEAD~1:api/openapi.yaml\`, \`v1.2.0:./openapi.yaml\`). As with \`git show\`,
  the path is from the repository's top folder, or from the current folder
  when it starts with \`./\` or \`../\`. Relative \`$ref\`s are read at the same
  ref (never from the working tree); a \`$ref\` leaving the repository is
  refused. The working tree is not touched.
- **\`service@version\`** (or \`service@latest\`): the spec published for that
  provider version in the contracts repository.

An argument naming an existing file is always a file; otherwise
\`service@version\` when it has that shape (no \`/\` or \`:\`); otherwise
\`ref:path\` when it has a colon.

### Consumer impact

When a side is \`service@version\`, or \`--provider\` names the provider, the
change is also checked against that provider's consumer contracts: the
contract of every consumer version deployed in any environment, and of each
consumer's latest version on a main branch (\`mainBranches\` in the contracts
repository's \`entente.yml\`, default \`main\`, \`master\`). Identical contracts
are checked once. For every breaking change — every error, and every warning
about a response body — the report names the consumers it breaks and those
it leaves alone:

- a response body change breaks the interactions that rely on the changed
  field, on a field inside it, or on a parent of it (\`reliesOn\` and \`pins\`
  in the contract; every received field when the contract says nothing);
- a removed status, header or content type: the interactions that received it;
- a parameter: the interactions that send it (for a new or newly required
  one, those that do not); a request body change: the interactions that send
  a body (for a newly required body, those that do not);
- a removed operation, a security requirement: every interaction of the
  operation; a changed security scheme: every interaction.

Every contract is also checked statically against the revision (see
docs/compatibility.md) as a second opinion; a contract that passed against
the base and fails against the revision marks its consumer as hurt too.

### Output and exit code

Text by default; \`--json\` gives \`summary\`, \`counts\` (findings per rule),
\`findings\` (each with \`rule\`, \`level\`, \`operation\`, \`location\`,
\`target\`, \`message\`, and when found a \`counterexample\`), \`inputWarnings\`,
\`ignored\`, \`impact\` (\`contracts\`, \`breaking\` — one entry per breaking
finding with \`broken\` and \`untouched\` —, \`staticCheck\`, \`hurt\`,
\`untouched\`; \`null\` without a provider) and \`exitCode\`; \`--markdown\` writes a
pull-request comment that names the consumers hurt and those untouched
before the findings.

The exit code is 1 when a finding is at the \`--fail-on\` level or worse
(\`error\`, the default, or \`warning\`), or when a consumer is hurt (whatever
the level of the finding that hurts it); 0 otherwise; 3 for bad input (a
file that does not exist or is not valid, an unknown ref, a version without
a spec).

### Accepted changes: the ignore file

A change the team has decided to ship goes in an ignore file, given with
\`--ignore FILE\` (YAML or JSON):

\`\`\`yaml
ignore:
  - rule: response.body.type-changed   # a rule ID below (required)
    operation: GET /contractor         # method and path template, or an operationId (optional)
    path: stock                        # the body path, or the finding's JSON pointer (optional)
    reason: every consumer reads stock as a number since 2.3   # (required)
\`\`\`

A finding an entry matches is never hidden: it stays in the text (under
"Ignored", with its level and the reason), in the Markdown comment (a folded
table with the reasons) and in \`--json\` (\`ignored: { reason }\` on the
finding, and the \`ignored\` count). It no longer counts in \`summary\` nor
towards the exit code; consumer impact still names the consumers it hurts,
and a hurt consumer still fails the command. An entry that matches no
finding is listed in \`inputWarnings\`, so stale entries get noticed. An
entry without a known rule or a reason is refused (exit 3).

### publish-spec

\`entente publish-spec\` runs the same check against the latest published
version of the service before storing the new spec, as of the commit the
spec is stored on: when another publish lands first, the check is made
again against the new latest before storing. Breaking changes and
the consumers they hurt are written to stderr as a warning (and, with
\`--json\`, as \`breakingChanges\`: \`against\`, \`findings\`, \`impact\`);
publishing still succeeds. With \`--fail-on-breaking\` the spec is not stored
and the exit code is 1.

## How the comparison reads a spec

- Paths match by template shape: \`/castles/{id}\` and \`/castles/{castleId}\`
  are the same path; path parameters match by position.
- Direction matters. In a **request** the consumer writes and the provider
  reads, so anything the revision no longer accepts is breaking (a narrower
  type, a new required field, a tighter constraint). In a **response** the
  provider writes and the consumer reads, so anything the revision may send
  that the base would not (a wider type, a new enum value, null), or stops
  promising (a required field), is breaking. \`readOnly\` properties are left
  out of requests and \`writeOnly\` ones out of responses.
- Schemas are followed through \`$ref\`, \`allOf\` (properties and required
  lists merged), \`oneOf\`/\`anyOf\` (read conservatively: a property any
  branch has may be present, only properties every branch requires are
  required), array \`items\` and \`additionalProperties\`. Each pair of
  schemas is compared once for the whole spec. A change is reported at every
  body path that reaches it (up to 16 paths per schema and operation), without
  going round a recursive schema twice.
- Nullability is read from 3.0 \`nullable: true\` and from 3.1 \`"null"\` in a
  \`type\` array alike. \`integer\` counts as a kind of \`number\`.
- Keywords the flattened view does not capture are compared as written:
  \`anyOf\`/\`oneOf\` branches (pairwise when their number is the same, so a
  constraint inside a branch is compared too), \`not\`, \`if\`/\`then\`/\`else\`,
  \`dependentRequired\`/\`dependentSchemas\`, \`patternProperties\`,
  \`propertyNames\`, \`unevaluatedProperties\`/\`unevaluatedItems\`,
  \`prefixItems\`, \`contains\`/\`minContains\`/\`maxContains\`, the content
  keywords and discriminator mappings. A change that may go either way (a
  changed conditional) is reported only when a counterexample proves it.
- **Counterexamples.** For each finding at warning or error level on a
  schema, entente looks for a value that proves it: one the base request
  schema accepts and the revision refuses, or one the revision response
  schema allows and the base did not. Candidates are built from both schemas
  (each bound and the values just past it, each enum value and branch, each
  optional property present, an extra property, arrays at their size limits,
  values a \`not\` refuses) and checked with Ajv through the same OpenAPI →
  JSON Schema conversion the mock and the verifier use. The value is in the
  finding (\`counterexample\` in \`--json\`: \`instance\`, \`acceptedBy\`, and
  the pointers of the two \`schemas\`; \`e.g. …\` in text and Markdown). When
  two schemas differ (beyond descriptions, examples and \`x-\` extensions; a
  \`$ref\` equals the same schema inline) and no rule names the difference,
  the search still runs, and a value it finds is reported under the generic
  \`…narrowed\` (requests) or \`…widened\` (responses) rule. The search is
  bounded (48 candidates per schema and side, 400 schema pairs per
  comparison), so large specs stay fast and the output is the same on every
  machine; a narrowing it cannot prove and no rule names goes unreported.
- Body fields are named in entente's relied-on path syntax: \`available\`,
  \`items[].stock\`, \`[].name\` (a top-level array). Changes inside a map
  (\`additionalProperties\`) are reported on the map's own path.

This file is generated from the rule registry (\`src/openapi/diff/rules.ts\`); a
test fails when it is stale (\`npx vitest run src/openapi/diff -u\` rewrites it).
`;

/** docs/breaking-changes.md: every rule, by section, with its level and meaning. */
export function renderDiffRulesMarkdown(): string {
  const out = [INTRODUCTION];
  const listed = new Set<RuleId>();
  for (const section of SECTIONS) {
    const rules = RULE_IDS.filter((rule) => section.prefixes.some((prefix) => rule.startsWith(prefix)));
    const rows = rules.map((rule) => {
      const { level, title, description } = diffRules[rule];
      listed.add(rule);
      return [`\`${rule}\``, level, `**${title}.** ${description.replace(/\|/g, '\\|')}`];
    });
    out.push(`## ${section.title}`, '', ...alignedTable(['Rule', 'Level', 'Meaning'], rows));
    out.push('');
  }
  const unlisted = RULE_IDS.filter((rule) => !listed.has(rule));
  if (unlisted.length > 0)
    throw new Error(`entente: rules without a documentation section: ${unlisted.join(', ')}`);
  return out.join('\n');
}

/** A Markdown table with padded columns, as the project's formatter (Biome) writes them. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, 3, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
