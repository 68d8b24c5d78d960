import { compareText } from '../util/compare-text.js';
import { createCli } from './main.js';
import { optionSyntax, usageLine } from './usage.js';

/**
 * docs/cli.md, generated from the commands' own usage text: the reference can
 * only say what `entente <command> --help` says. Regenerate with
 * `npm run docs:cli`; a test fails when the file is stale.
 */
export function renderCliReference(): string {
  const definitions = createCli()
    .definitions({ colored: false })
    .filter((d) => d.path !== 'entente' && !d.path.endsWith('-h') && !d.path.endsWith('-v'))
    .sort((a, b) => compareText(a.path, b.path));
  const unwrap = (text: string | undefined) =>
    (text ?? '')
      .trim()
      .split(/\n{2,}/)
      .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' '))
      .join('\n\n');
  const lines = [
    '# CLI reference',
    '',
    "<!-- Generated from the commands' usage text by `npm run docs:cli`. Do not edit by hand. -->",
    '',
    'Every command also takes the global options `--contracts`, `--config`, `--json` and `--no-color`',
    '(see [configuration](configuration.md)), and exits with the codes listed there.',
    '',
    '`entente help [command]`, `entente <command> --help` and `--help` on a group of commands',
    '(`entente fixtures --help`) print usage. A usage mistake (an unknown command or option, a missing',
    'option, a value of the wrong type) exits 3 with what is wrong, a suggestion (Pact’s option names',
    'too: `--pacticipant` → `--service`, `--to-environment` → `--environment`, `--base-uri` →',
    '`--base-url`) and the usage line; with `--json` the error is JSON on stdout',
    '(`{ "error": { "code", "message", "details", "hint", "exitCode" } }`). Output carries no colour',
    'unless stdout is a terminal, and never with `--no-color` or `NO_COLOR`.',
    '',
    ...definitions.map((d) => `- [\`${d.path}\`](#${anchor(d.path)})`),
    '',
  ];
  for (const d of definitions) {
    lines.push(
      `## ${d.path}`,
      '',
      unwrap(d.description).replace(/^./, (c) => c.toUpperCase()),
      '',
      '```',
      usageLine(d),
      '```',
      '',
    );
    const own = d.options.filter((o) => !GLOBAL.has(o.definition.split(' ')[0]!.split(',').pop()!));
    if (own.length) {
      lines.push('| option | description |', '| --- | --- |');
      for (const o of own) {
        lines.push(
          `| \`${optionSyntax(d.path.split(' ').slice(1).join(' '), o.definition)}\`${o.required ? ' (required)' : ''} | ${unwrap(o.description)} |`,
        );
      }
      lines.push('');
    }
    if (d.details) lines.push(unwrap(d.details), '');
    if (d.examples?.length) {
      lines.push('Examples:', '');
      for (const [title, command] of d.examples)
        lines.push(`- ${unwrap(title)}:`, '  ```sh', `  ${command}`, '  ```');
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const GLOBAL = new Set(['--contracts', '--config', '--json', '--color']);

function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}
