import { ExitCode } from '../errors.js';
import { readPackageVersion } from './package-version.js';

/**
 * The CLI's entry point (bin/entente runs it from the bundle): `--version`
 * is answered before anything else is loaded, as clipanion's command prints
 * it; everything else goes to main(), loaded then.
 */
export async function start(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${readPackageVersion()}\n`);
    return ExitCode.Ok;
  }
  const { main } = await import('./main.js');
  return main(argv);
}
