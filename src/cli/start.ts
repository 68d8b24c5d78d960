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
