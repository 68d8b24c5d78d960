import type { Definition } from 'clipanion';
import type { Colors } from '../render/table.js';
import { GLOBAL_OPTIONS, optionSyntax, usageLine } from './usage.js';

/**
 * Help for people, in place of clipanion's own (which shows every option of
 * every command with `#0` for its value): `entente help` lists the commands,
 * one line each; `entente help <command>` shows its usage, options (values
 * named), details and examples. Colour only where the caller allows it.
 */

/** The root help's sections, in the order a project meets them; a command not listed here goes under its own category, or "Other commands". */
const SECTIONS: readonly (readonly [string, readonly string[]])[] = [
  ['Set up', ['init']],
  ['Consumers', ['mock', 'record', 'publish']],
  ['Providers', ['publish-spec', 'verify', 'pending', 'diff']],
  ['Deploying', ['can-i-deploy', 'record-deployment', 'record-undeployment']],
  ['The contracts repository', ['status', 'changes', 'report', 'prune']],
  ['Pact', ['import-pact', 'export-pact']],
];

/** `entente`, `entente help`, `entente --help`. */
export function rootHelp(definitions: readonly Definition[], version: string, colors: Colors): string {
  const commands = definitions.filter((d) => d.path !== 'entente' && !/ -[hv]$/.test(d.path));
  const sectionOf = (d: Definition) => {
    const command = d.path.split(' ').slice(1).join(' ');
    return (
      SECTIONS.find(([, members]) => members.includes(command))?.[0] ?? d.category?.trim() ?? 'Other commands'
    );
  };
  const categories = new Map<string, Definition[]>(SECTIONS.map(([title]) => [title, []]));
  for (const d of commands) categories.set(sectionOf(d), [...(categories.get(sectionOf(d)) ?? []), d]);
  for (const [title, members] of SECTIONS) {
    const listed = categories.get(title) ?? [];
    listed.sort((a, b) => members.indexOf(a.path.slice(8)) - members.indexOf(b.path.slice(8)));
    if (listed.length === 0) categories.delete(title);
  }
  const width = Math.max(...commands.map((d) => d.path.length));
  const sections = [...categories].map(([category, members]) =>
    [
      colors.bold(`${category}:`),
      ...members.map((d) => `  ${d.path.padEnd(width)}  ${(d.description ?? '').trim()}`),
    ].join('\n'),
  );
  return `${[
    `entente ${version}: contract testing for HTTP APIs, with the contracts in a git repository`,
    `${colors.bold('Usage:')} entente <command> [options]`,
    ...sections,
    globalOptions(commands[0], colors),
    'Run `entente help <command>` (or `entente <command> --help`) for its options and examples.',
  ].join('\n\n')}\n`;
}

/** `entente help <command>`, `entente <command> --help`. */
export function commandHelp(definition: Definition, colors: Colors): string {
  const command = definition.path.split(' ').slice(1).join(' ');
  const own = definition.options.filter((o) => !GLOBAL_OPTIONS.has(optionName(o.definition)));
  const sections = [
    `${definition.path}: ${(definition.description ?? '').trim()}`,
    `${colors.bold('Usage:')} ${usageLine(definition)}`,
  ];
  if (own.length > 0) {
    sections.push(
      optionList(
        'Options:',
        own.map((o) => [
          optionSyntax(command, o.definition),
          `${o.description ?? ''}${o.required ? ' (required)' : ''}`,
        ]),
        colors,
      ),
    );
  }
  sections.push(globalOptions(definition, colors));
  if (definition.details) sections.push(definition.details.replace(/[ \t]+$/gm, '').trimEnd());
  if (definition.examples?.length) {
    sections.push(
      [
        colors.bold('Examples:'),
        ...definition.examples.map(([title, line]) => `  ${title.trim()}:\n    $ ${line}`),
      ].join('\n'),
    );
  }
  return `${sections.join('\n\n')}\n`;
}

function globalOptions(definition: Definition | undefined, colors: Colors): string {
  const global = (definition?.options ?? []).filter((o) => GLOBAL_OPTIONS.has(optionName(o.definition)));
  return optionList(
    'Global options (every command):',
    global.map((o) =>
      optionName(o.definition) === '--color'
        ? ['--no-color', 'No colour in output (none either when piped, or with NO_COLOR)']
        : [optionSyntax('', o.definition), o.description ?? ''],
    ),
    colors,
  );
}

function optionList(title: string, rows: readonly [string, string][], colors: Colors): string {
  const width = Math.max(...rows.map(([syntax]) => syntax.length));
  return [
    colors.bold(title),
    ...rows.map(([syntax, description]) => `  ${syntax.padEnd(width)}  ${description}`.trimEnd()),
  ].join('\n');
}

function optionName(definition: string): string {
  return definition.split(' ')[0]!.split(',').at(-1)!;
}
