import { Builtins, Cli } from 'clipanion';
import { ExitCode } from '../errors.js';
import { readPackageVersion } from '../package-version.js';
import { CanIDeployCommand } from './commands/can-i-deploy.js';
import { ChangesCommand } from './commands/changes.js';
import { DiffCommand } from './commands/diff.js';
import { ExportPactCommand } from './commands/export-pact.js';
import { FixturesApproveCommand } from './commands/fixtures/approve.js';
import { FixturesDeprecateCommand } from './commands/fixtures/deprecate.js';
import { FixturesListCommand } from './commands/fixtures/list.js';
import { FixturesProposeCommand } from './commands/fixtures/propose.js';
import { FixturesRejectCommand } from './commands/fixtures/reject.js';
import { FixturesShowCommand } from './commands/fixtures/show.js';
import { FixturesUpdateCommand } from './commands/fixtures/update.js';
import { ImportPactCommand } from './commands/import-pact.js';
import { InitCommand } from './commands/init.js';
import { MockCommand } from './commands/mock.js';
import { PendingCommand } from './commands/pending.js';
import { PruneCommand } from './commands/prune.js';
import { PublishCommand } from './commands/publish.js';
import { PublishSpecCommand } from './commands/publish-spec.js';
import { RecordCommand } from './commands/record.js';
import { RecordDeploymentCommand } from './commands/record-deployment.js';
import { RecordUndeploymentCommand } from './commands/record-undeployment.js';
import { ReportCommand } from './commands/report.js';
import { StatusCommand } from './commands/status.js';
import { VerifyCommand } from './commands/verify.js';
import { commandHelp, rootHelp } from './help.js';
import { createOutput } from './output.js';
import { describeCommands, diagnoseUsage, groupHelp, matchCommand, ownArguments } from './usage.js';

export const commands = [
  DiffCommand,
  InitCommand,
  CanIDeployCommand,
  PublishSpecCommand,
  RecordDeploymentCommand,
  RecordUndeploymentCommand,
  StatusCommand,
  ReportCommand,
  ChangesCommand,
  FixturesListCommand,
  FixturesShowCommand,
  FixturesProposeCommand,
  FixturesApproveCommand,
  FixturesRejectCommand,
  FixturesDeprecateCommand,
  FixturesUpdateCommand,
  MockCommand,
  RecordCommand,
  PublishCommand,
  PendingCommand,
  VerifyCommand,
  PruneCommand,
  ImportPactCommand,
  ExportPactCommand,
];

export function createCli(): Cli {
  const cli = new Cli({ binaryLabel: 'entente', binaryName: 'entente', binaryVersion: readPackageVersion() });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commands) cli.register(command);
  return cli;
}

/**
 * Runs the CLI; resolves to the exit code. Help (`--help`, `-h`, `entente help
 * [command]`) is answered here for commands and command groups alike; usage
 * errors (unknown commands or options, missing options) exit 3 with what was
 * wrong, a did-you-mean and the usage line, as JSON on stdout with `--json`.
 */
export async function main(argv: string[], context = Cli.defaultContext): Promise<number> {
  const cli = createCli();
  const own = ownArguments(argv);
  const colored =
    !own.includes('--no-color') &&
    !context.env.NO_COLOR &&
    Boolean((context.stdout as { isTTY?: boolean }).isTTY);
  const output = createOutput({
    json: own.includes('--json'),
    color: colored,
    stdout: context.stdout,
    stderr: context.stderr,
  });
  const described = describeCommands(cli, commands);

  const helpWanted = own.length === 0 || own[0] === 'help' || own.includes('--help') || own.includes('-h');
  if (helpWanted) {
    const args = own[0] === 'help' ? own.slice(1) : own;
    const match = matchCommand(args, described);
    const definitions = cli.definitions({ colored });
    if (match.kind === 'command') {
      const path = ['entente', ...match.command.path].join(' ');
      const definition = definitions.find((d) => d.path === path) ?? match.command.definition;
      context.stdout.write(commandHelp(definition, output.colors));
      return ExitCode.Ok;
    }
    if (match.kind === 'group') {
      context.stdout.write(groupHelp(match.group, match.members));
      return ExitCode.Ok;
    }
    if (match.kind === 'root') {
      context.stdout.write(rootHelp(definitions, readPackageVersion(), output.colors));
      return ExitCode.Ok;
    }
    output.error(diagnoseUsage(args, described, 'unknown command'));
    return ExitCode.BadInput;
  }

  let command: ReturnType<typeof cli.process>;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    output.error(diagnoseUsage(argv, described, message));
    return ExitCode.BadInput;
  }
  return cli.run(command, { ...context, colorDepth: colored ? context.colorDepth : 1 });
}
