import { diffRules, RULE_IDS, type RuleId } from './rules.js';

const SECTIONS: { title: string; prefixes: string[] }[] = [
  { title: 'Paths and operations', prefixes: ['path.', 'operation.'] },
  { title: 'Request parameters', prefixes: ['request.parameter.'] },
  { title: 'Request bodies', prefixes: ['request.body.'] },
  { title: 'Responses', prefixes: ['response.status.', 'response.content-type.', 'response.body.'] },
  { title: 'Response headers', prefixes: ['response.header.'] },
  { title: 'Security', prefixes: ['security.'] },
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

With \`--fail-on error\` the exit code is 1 when there is an error; with
\`--fail-on warning\`, also when there is a warning.

How the comparison reads a spec:

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
- Body fields are named in entente's relied-on path syntax: \`available\`,
  \`items[].stock\`, \`[].name\` (a top-level array). Changes inside a map
  (\`additionalProperties\`) are reported on the map's own path.

This file is generated from the rule registry (\`src/spec/diff/rules.ts\`); a
test fails when it is stale (\`npx vitest run src/spec/diff -u\` rewrites it).
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
