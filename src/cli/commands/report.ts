import { spawn } from 'node:child_process';
import { Command, Option } from 'clipanion';
import { ExitCode, InputError, IoError } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class ReportCommand extends EntenteCommand {
  static override paths = [['report']];
  static override usage = Command.Usage({
    description: 'write a static HTML dashboard of the contracts repository',
    details: `
      Renders the contracts repository into a self-contained static site in \`--out\`: an overview with the service network (consumers → providers, each link coloured by its latest verdict), a page per service (versions with branch, commit and date, spec operations, consumers, providers, deployments), the compatibility matrix per environment with failures down to the JSON path, expected and actual, what is deployed where and whether every deployed pair is compatible, fixtures waiting for approval, and breaking changes between each provider's two latest specs with the consumers they hurt. SVG badges per service and environment are written under \`badges/\`.

      The pages load nothing from anywhere else (style and script are inlined, a Content-Security-Policy forbids the rest), so they work from disk or any static host: see docs/report.md for publishing from the contracts repository's CI. \`--web-url\` turns commits and review branches into links. \`--open\` opens the overview with \`$BROWSER\` or the system's opener.
    `,
    examples: [
      ['Write the site', 'entente report --out site'],
      ['Write it and open it', 'entente report --out site --open'],
      [
        'With links to the hosted contracts repository',
        'entente report --out public --web-url https://github.com/acme/contracts',
      ],
    ],
  });

  out = Option.String('--out', {
    description: 'The folder to write the site to (created if missing)',
    required: true,
  });
  open = Option.Boolean('--open', false, { description: 'Open the overview in a browser when written' });
  webUrl = Option.String('--web-url', {
    description: "The contracts repository's web address, for links to commits and branches",
  });

  protected async run(): Promise<number> {
    const config = await this.config();
    const webUrl = this.webUrl === undefined ? undefined : checkWebUrl(this.webUrl);
    const result = await (await this.contracts()).report({ out: this.out, ...(webUrl ? { webUrl } : {}) });
    this.output.data(result);
    this.output.line(
      `Wrote ${result.files} files (${Math.round(result.bytes / 1024)} KiB) for ${result.services} services: ${result.index}`,
    );
    if (this.open) await openInBrowser(result.index, config.env);
    return ExitCode.Ok;
  }
}

function checkWebUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('input.web-url', `--web-url: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('input.web-url', `--web-url: ${JSON.stringify(value)} must be an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

/** `$BROWSER FILE` when set (the usual convention), else the platform's opener. Never waits for the browser. */
function openInBrowser(file: string, env: Record<string, string | undefined>): Promise<void> {
  const [command, ...args] = env.BROWSER
    ? [env.BROWSER, file]
    : process.platform === 'darwin'
      ? ['open', file]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', file]
        : ['xdg-open', file];
  return new Promise((resolveOpen, reject) => {
    const child = spawn(command!, args, { stdio: 'ignore', detached: true, env: env as NodeJS.ProcessEnv });
    child.once('error', (error) =>
      reject(new IoError('io.open', `--open: could not run ${command}: ${error.message}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolveOpen();
    });
  });
}
