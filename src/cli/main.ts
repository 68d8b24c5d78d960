import { Builtins, Cli } from 'clipanion';
import { ExitCode } from '../errors.js';
import { readPackageVersion } from './package-version.js';

export async function main(argv: string[]): Promise<number> {
  const cli = new Cli({
    binaryLabel: 'entente',
    binaryName: 'entente',
    binaryVersion: readPackageVersion(),
  });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  let command: ReturnType<typeof cli.process>;
  try {
    command = cli.process(argv);
  } catch (error) {
    process.stderr.write(cli.error(error));
    return ExitCode.BadInput;
  }
  return cli.run(command);
}
