import { ExitCode } from '../errors.js';
import { readPackageVersion } from '../package-version.js';
import { rootHelp } from './root-help.js';

const ROOT_HELP_WORDS = new Set(['--help', '-h', '--no-color']);

/**
 * The CLI's entry point (bin/entente requires it from the bundle, built as
 * CommonJS: dist/cli-bundle/entente.cjs): `--version` and `entente [help]
 * [--help] [--no-color]` are answered before anything else is loaded, as
 * main() would answer them; everything else goes to main(), loaded then.
 */
export async function start(argv: string[]): Promise<number> {
  stopQuietlyWhenTheReaderGoes();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${readPackageVersion()}\n`);
    return ExitCode.Ok;
  }
  const flags = argv[0] === 'help' ? argv.slice(1) : argv;
  const helpWanted =
    argv.length === 0 || argv[0] === 'help' || flags.some((f) => f === '--help' || f === '-h');
  if (rootHelp && helpWanted && flags.every((flag) => ROOT_HELP_WORDS.has(flag))) {
    const colored = !argv.includes('--no-color') && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
    process.stdout.write(colored ? rootHelp.colored : rootHelp.plain);
    return ExitCode.Ok;
  }
  const { main } = await import('./main.js');
  return main(argv);
}

/** How a process that writes to a pipe nobody reads any more ends: as one killed by SIGPIPE (128 + 13). */
export const CLOSED_PIPE_EXIT = 141;

/**
 * A reader that stops reading (`entente status --json | head`) makes the next
 * write fail with EPIPE, which Node reports as an uncaught error with a stack
 * trace. entente stops there instead, quietly, with the exit status a shell
 * expects of a process whose reader went away: never 0, so a verdict cut
 * short is not taken for a yes under `set -o pipefail`.
 */
function stopQuietlyWhenTheReaderGoes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(CLOSED_PIPE_EXIT);
      throw error;
    });
  }
}
