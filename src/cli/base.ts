import { Command, Option } from 'clipanion';
import type { EntenteConfig } from '../config/resolve.js';
import { ConfigError, ExitCode, InputError, isEntenteError } from '../errors.js';
import type { Contracts } from '../open-contracts.js';
import { redactShapes } from '../redact/shapes.js';
import type { ContractsStore } from '../store/store.js';
import { createOutput, type Output } from './output.js';
import { usageLine } from './usage.js';

/**
 * Every entente command: the global options, configuration resolved once,
 * and one place that turns errors into messages and exit codes.
 */
export abstract class EntenteCommand extends Command {
  contractsOption = Option.String('--contracts', {
    description: 'The contracts repository: a URL, or a path to a repository (bare or not)',
  });
  configOption = Option.String('--config', {
    description: 'The configuration file (default: .entente.yml, searched upwards)',
  });
  json = Option.Boolean('--json', false, { description: 'Machine-readable output on stdout' });
  color = Option.Boolean('--color', true, { description: 'Colour in output (--no-color to turn off)' });

  protected output!: Output;

  /** The command's work; returns its exit code. */
  protected abstract run(): Promise<number>;

  /** Flags that feed configuration (service, version, branch…), per command. */
  protected configFlags(): Record<string, string | undefined> {
    return {};
  }

  async execute(): Promise<number> {
    const env = this.context.env as Record<string, string | undefined>;
    const color = this.color && !env.NO_COLOR && Boolean((this.context.stdout as { isTTY?: boolean }).isTTY);
    this.output = createOutput({
      json: this.json,
      color,
      stdout: this.context.stdout,
      stderr: this.context.stderr,
    });
    try {
      return await this.run();
    } catch (error) {
      if (isEntenteError(error)) {
        this.output.error(error);
        return error.exitCode;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.context.stderr.write(`entente: unexpected error: ${redactShapes(message)}\n`);
      return ExitCode.GitOrIo;
    }
  }

  private configPromise?: Promise<EntenteConfig>;

  protected config(): Promise<EntenteConfig> {
    this.configPromise ??= import('../config/resolve.js').then(({ resolveConfig }) =>
      resolveConfig({
        flags: { contracts: this.contractsOption, config: this.configOption, ...this.configFlags() },
        env: this.context.env as Record<string, string | undefined>,
        cwd: process.cwd(),
      }),
    );
    return this.configPromise;
  }

  private contractsPromise?: Promise<Contracts>;

  /**
   * The library's handle, over the configuration this command resolved
   * (--contracts, --config, the command's own flags, the process's cwd and env):
   * every command does its work through it.
   */
  protected contracts(): Promise<Contracts> {
    this.contractsPromise ??= Promise.all([this.config(), import('../open-contracts.js')]).then(
      ([config, { contractsFromConfig }]) => contractsFromConfig(config, this.storeHooks(config)),
    );
    return this.contractsPromise;
  }

  protected async openStore(): Promise<ContractsStore> {
    const config = await this.config();
    const { openConfiguredStore } = await import('../config/open-store.js');
    return openConfiguredStore(config, this.storeHooks(config));
  }

  private storeHooks(config: EntenteConfig) {
    const pauseMarker = config.env.ENTENTE_TEST_PAUSE_BEFORE_PUSH;
    return {
      warn: (message: string) => this.output.warn(message),
      ...(pauseMarker ? { beforePush: () => pauseForTest(pauseMarker) } : {}),
    };
  }

  /** The time recorded in records; ENTENTE_NOW fixes it for reproducible output (tests, demos). */
  protected now(env: Record<string, string | undefined>): string {
    const fixed = env.ENTENTE_NOW;
    if (fixed === undefined) return new Date().toISOString();
    if (Number.isNaN(Date.parse(fixed))) {
      throw new ConfigError('config.now', `ENTENTE_NOW: ${JSON.stringify(fixed)} is not an ISO timestamp`);
    }
    return new Date(fixed).toISOString();
  }

  /** A required option that clipanion cannot express (it depends on configuration). */
  protected required<T>(value: T | undefined, flag: string, what: string): T {
    if (value === undefined || value === '') {
      const definition = this.cli.definitions().find((d) => d.path === ['entente', ...this.path].join(' '));
      throw new InputError('input.flag-missing', `${flag} is required: ${what}`, {
        details: [{ where: flag, message: what }],
        ...(definition ? { hint: `usage: ${usageLine(definition)}` } : {}),
      });
    }
    return value;
  }
}

/**
 * Test-only (ENTENTE_TEST_PAUSE_BEFORE_PUSH=FILE): announce the pause by
 * creating FILE, then wait there so a test can kill the process mid-transaction.
 */
async function pauseForTest(marker: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(marker, String(process.pid));
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
