import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCli } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../../examples/ci/', import.meta.url));
const files = (dir: string) => readdirSync(`${root}${dir}`).map((name) => `${root}${dir}/${name}`);
const GITLAB_KEYWORDS = new Set(['variables', 'stages', 'include', 'default', 'workflow', 'image']);

/** Every `entente …` invocation in a script, with CI expressions replaced by a plain value. */
function ententeCommands(script: string): string[][] {
  const commands: string[][] = [];
  const text = script
    .replace(/\\\n\s*/g, ' ')
    .replace(/\$\{\{[^}]*\}\}/g, 'X')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'X');
  for (const match of text.matchAll(/(?:npx (?:--yes )?)?entente\s+([^\n|;&>]*)/g)) {
    commands.push(shellWords(match[1]!.trim()));
  }
  return commands;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g))
    words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

function checkCommands(scripts: string[]): number {
  const cli = createCli();
  let count = 0;
  for (const script of scripts) {
    for (const args of ententeCommands(script)) {
      expect(() => cli.process(args), `entente ${args.join(' ')}`).not.toThrow();
      count++;
    }
  }
  return count;
}

describe('CI recipes', () => {
  it.each(files('github'))(
    'GitHub Actions workflow %s is well-formed and its entente commands parse',
    (file) => {
      const workflow = parse(readFileSync(file, 'utf8'));
      expect(workflow.on, 'a trigger').toBeDefined();
      expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0);
      const scripts: string[] = [];
      for (const [name, job] of Object.entries<Record<string, unknown>>(workflow.jobs)) {
        expect(job['runs-on'], `${name} runs-on`).toBeTruthy();
        const steps = job.steps as Record<string, unknown>[];
        expect(Array.isArray(steps) && steps.length > 0, `${name} has steps`).toBe(true);
        for (const step of steps) {
          expect(Number('uses' in step) + Number('run' in step), `${name}: a step either uses or runs`).toBe(
            1,
          );
          if (typeof step.run === 'string') scripts.push(step.run);
        }
      }
      expect(checkCommands(scripts)).toBeGreaterThan(0);
    },
  );

  it.each(files('gitlab'))('GitLab CI file %s is well-formed and its entente commands parse', (file) => {
    const pipeline = parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    const jobs = Object.entries(pipeline).filter(([name]) => !GITLAB_KEYWORDS.has(name));
    expect(jobs.length).toBeGreaterThan(0);
    const scripts: string[] = [];
    for (const [name, job] of jobs) {
      expect(Array.isArray(job.script), `${name} has a script`).toBe(true);
      scripts.push(...(job.script as string[]));
    }
    expect(checkCommands(scripts)).toBeGreaterThan(0);
  });
});
