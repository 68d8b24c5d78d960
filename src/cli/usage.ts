import type { Cli, CommandClass, Definition } from 'clipanion';
import { InputError } from '../errors.js';

/**
 * Usage for people: help for commands and command groups, and usage errors that
 * say what is wrong (the missing option, the unknown one and its likely meaning),
 * where clipanion alone would answer "Command not found".
 */

/** Options every command takes; left out of usage lines (docs/cli.md lists them once). */
export const GLOBAL_OPTIONS = new Set(['--contracts', '--config', '--json', '--color']);

/** Pact CLI names, for people coming from Pact: their entente equivalent. */
export const PACT_OPTION_NAMES: Readonly<Record<string, string>> = {
  '--pacticipant': '--service',
  '--to-environment': '--environment',
  '--to': '--environment',
  '--base-uri': '--base-url',
  '--provider-base-url': '--base-url',
  '--provider-app-version': '--version',
  '--consumer-app-version': '--version',
  '--broker-base-url': '--contracts',
  '--provider-states-setup-url': '--state-url',
};

interface OptionInfo {
  names: string[];
  takesValue: boolean;
  required: boolean;
}

export interface CommandInfo {
  path: string[];
  commandClass: CommandClass;
  definition: Definition;
  options: OptionInfo[];
}

export function describeCommands(cli: Cli, commands: readonly CommandClass[]): CommandInfo[] {
  const definitions = new Map(cli.definitions({ colored: false }).map((d) => [d.path, d]));
  return commands.flatMap((commandClass) => {
    const path = commandClass.paths?.[0];
    const definition = path && definitions.get(['entente', ...path].join(' '));
    if (!path || !definition) return [];
    const options = definition.options.map((option) => {
      const [names = '', value] = option.definition.split(' ');
      return { names: names.split(','), takesValue: value !== undefined, required: option.required };
    });
    return [{ path, commandClass, definition, options }];
  });
}

/** The arguments before `--` (what follows belongs to the command `entente record` runs). */
export function ownArguments(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return end === -1 ? [...argv] : argv.slice(0, end);
}

/** The words of `argv` that are not options nor option values: the command path comes first. */
function words(args: readonly string[], commands: readonly CommandInfo[]): string[] {
  const valued = new Set(
    commands.flatMap((c) => c.options.filter((o) => o.takesValue).flatMap((o) => o.names)),
  );
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && valued.has(arg)) i++;
    } else found.push(arg);
  }
  return found;
}

export type CommandMatch =
  | { kind: 'command'; command: CommandInfo }
  | { kind: 'group'; group: string[]; members: CommandInfo[]; word?: string }
  | { kind: 'root' }
  | { kind: 'unknown'; word: string };

/** Which command (or group of commands, like `fixtures`) the arguments name. */
export function matchCommand(args: readonly string[], commands: readonly CommandInfo[]): CommandMatch {
  const given = words(args, commands);
  const exact = commands
    .filter((c) => c.path.every((word, i) => given[i] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (exact) return { kind: 'command', command: exact };
  if (given.length === 0) return { kind: 'root' };
  const members = commands.filter((c) => c.path.length > 1 && c.path[0] === given[0]);
  if (members.length > 0)
    return { kind: 'group', group: [given[0]!], members, ...(given[1] ? { word: given[1] } : {}) };
  return { kind: 'unknown', word: given[0]! };
}

/** What an option's value is, for usage lines and help: `--contracts <location>`. Keyed by option, or by `command option` where commands differ. */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  '--contracts': 'location',
  '--config': 'file',
  '--service': 'service',
  '--provider': 'service',
  '--consumer': 'service',
  'verify --consumer': 'service[@version]',
  '--version': 'version',
  '--consumer-version': 'version',
  '--branch': 'branch',
  '--environment': 'environment',
  '--environments': 'a,b,…',
  '--ignore': 'service',
  'diff --ignore': 'file',
  '--spec': 'file',
  '--file': 'file',
  '--fixtures': 'file',
  '--ref-root': 'folder',
  '--out': 'folder',
  '--port': 'port',
  '--host': 'address',
  '--base-url': 'url',
  '--state-url': 'url',
  '--web-url': 'url',
  '--header': 'Name: value',
  '--query': 'name=value',
  '--field': 'name=value',
  '--relies-on': 'operation=path,…',
  '--mock': 'provider[@version][:port]',
  '--retry-while-unknown': 'n',
  '--retry-interval': 'seconds',
  '--timeout': 'ms',
  '--max-request-bytes': 'bytes',
  '--older-than': 'age|date',
  '--created-after': 'date',
  '--created-before': 'date',
  '--include-wip-since': 'date',
  '--fail-on': 'error|warning',
  '--spec-version': '3|4',
  '--compatibility': 'policy',
  '--status': 'status',
  '--source': 'source',
  '--priority': 'n',
  '--fixture-id': 'id',
  '--test-run': 'id',
  '--operation': 'operation',
  '--notes': 'text',
  '--reason': 'text',
  '--deployed-by': 'who',
  '--undeployed-by': 'who',
  '--approved-by': 'who',
};

/** `--environment <environment>` for an option that takes a value; the name alone for a flag. */
export function optionSyntax(command: string, definition: string): string {
  const [names = '', value] = definition.split(' ');
  const name = names.split(',').at(-1)!;
  if (value === undefined) return name;
  return `${name} <${VALUE_NAMES[`${command} ${name}`] ?? VALUE_NAMES[name] ?? 'value'}>`;
}

/** `entente can-i-deploy --environment <environment> [--service <service>] …`, without the global options. */
export function usageLine(definition: Definition): string {
  const command = definition.path.split(' ').slice(1).join(' ');
  const options = definition.options
    .map((o) => ({ ...o, name: o.definition.split(' ')[0]!.split(',').at(-1)! }))
    .filter((o) => !GLOBAL_OPTIONS.has(o.name));
  const option = (o: (typeof options)[number]) => optionSyntax(command, o.definition);
  return (
    [
      definition.usage.split(' ').slice(0, definition.path.split(' ').length).join(' '),
      ...options.filter((o) => o.required).map(option),
      ...options.filter((o) => !o.required).map((o) => `[${option(o)}]`),
      ...definition.usage.split(' ').slice(definition.path.split(' ').length),
    ]
      .join(' ')
      // clipanion shows a proxied command line (`entente record -- <command>`) as `<arg> ...`.
      .replace(/ <arg> \.\.\.$/, ' -- <command> ...')
  );
}

/** What `entente fixtures --help` prints: the group's commands and what each does. */
export function groupHelp(group: string[], members: readonly CommandInfo[]): string {
  const names = members.map((m) => m.path.join(' '));
  const width = Math.max(...names.map((n) => n.length));
  const lines = members.map(
    (m, i) => `  entente ${names[i]!.padEnd(width)}  ${(m.definition.description ?? '').trim()}`,
  );
  return `Usage: entente ${group.join(' ')} <command>\n\n${lines.join('\n')}\n\nRun \`entente ${group.join(' ')} <command> --help\` for a command's options.\n`;
}

/**
 * Why clipanion refused `argv`, as an InputError naming the command, the option
 * and what to do; `fallback` is clipanion's own message, for anything else.
 */
export function diagnoseUsage(
  argv: readonly string[],
  commands: readonly CommandInfo[],
  fallback: string,
): InputError {
  const args = ownArguments(argv);
  const match = matchCommand(args, commands);
  if (match.kind === 'unknown' || match.kind === 'root') {
    const word = match.kind === 'unknown' ? match.word : (args.find((a) => a.startsWith('-')) ?? '');
    const candidates = [...new Set(commands.map((c) => c.path[0]!))];
    const suggestion = closest(word, candidates);
    return new InputError(
      'usage.unknown-command',
      match.kind === 'unknown' ? `unknown command "${word}"` : `unknown option ${word}: give a command first`,
      {
        details: [{ where: 'command', message: `expected one of ${candidates.join(', ')}` }],
        hint: `${suggestion ? `did you mean \`entente ${suggestion}\`? ` : ''}Run \`entente --help\` for every command.`,
      },
    );
  }
  if (match.kind === 'group') {
    const names = match.members.map((m) => m.path.slice(1).join(' '));
    if (match.word !== undefined) {
      const suggestion = closest(match.word, names);
      return new InputError(
        'usage.unknown-command',
        `unknown command "entente ${match.group.join(' ')} ${match.word}"`,
        {
          details: [{ where: 'command', message: `expected one of ${names.join(', ')}` }],
          hint: `${suggestion ? `did you mean \`entente ${match.group.join(' ')} ${suggestion}\`? ` : ''}Run \`entente ${match.group.join(' ')} --help\` for what each does.`,
        },
      );
    }
    return new InputError(
      'usage.command-missing',
      `entente ${match.group.join(' ')} needs a command: ${names.join(', ')}`,
      {
        details: [{ where: 'command', message: `expected one of ${names.join(', ')}` }],
        hint: `Run \`entente ${match.group.join(' ')} --help\` for what each does.`,
      },
    );
  }
  const { command } = match;
  const usage = `usage: ${usageLine(command.definition)}`;
  const known = new Set([...command.options.flatMap((o) => o.names), '--help', '-h']);
  const negatable = new Set(command.options.filter((o) => !o.takesValue).flatMap((o) => o.names));
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.split('=')[0]!;
    if (known.has(name) || (name.startsWith('--no-') && negatable.has(`--${name.slice(5)}`))) continue;
    if (!name.startsWith('--') && /^-\d/.test(name)) continue;
    const pact = PACT_OPTION_NAMES[name];
    const suggestion =
      pact && known.has(pact)
        ? pact
        : closest(
            name,
            [...known].filter((n) => n.startsWith('--')),
          );
    return new InputError(
      'usage.unknown-option',
      `entente ${command.path.join(' ')} has no option ${name}${suggestion ? `; did you mean ${suggestion}?` : ''}`,
      { details: [{ where: name, message: 'unknown option' }], hint: usage },
    );
  }
  const given = (o: OptionInfo) => args.some((arg) => o.names.includes(arg.split('=')[0]!));
  const missing = command.options.filter((o) => o.required && !given(o));
  if (missing.length > 0) {
    const names = missing.map((o) => o.names.at(-1)!);
    return new InputError(
      'usage.option-missing',
      `entente ${command.path.join(' ')} needs ${names.join(' and ')}`,
      { details: names.map((name) => ({ where: name, message: 'required' })), hint: usage },
    );
  }
  return new InputError('usage.invalid', fallback, { hint: usage });
}

/** The candidate nearest to `word` by edit distance, when near enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const bare = word.replace(/^-+/, '');
  if (bare === '') return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const other = candidate.replace(/^-+/, '');
    const distance = other.startsWith(bare) || bare.startsWith(other) ? 1 : editDistance(bare, other);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(bare.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
