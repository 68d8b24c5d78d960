import { randomBytes } from 'node:crypto';
import { Command, Option } from 'clipanion';
import type { EntenteConfig } from '../../config/resolve.js';
import type { StartedMocks } from '../../record/mocks.js';
import { EntenteCommand } from '../base.js';

export class RecordCommand extends EntenteCommand {
  static override paths = [['record']];
  static override usage = Command.Usage({
    description: "run the consumer's tests with recording on, then publish the contracts they produced",
    details: `
      Runs the command after \`--\` (without a shell) with recording switched on: every entente mock it creates — \`createMock\` in the library, or \`entente mock\` started by a script — writes each exchange to the pending folder as it happens, with secrets redacted, tagged with this test run.

      \`--mock PROVIDER[@VERSION][:PORT]\` (repeatable) starts a mock of that provider — the version given, else the latest — before the command, on the port given or a free one, and waits until it listens. The command finds its URL in \`ENTENTE_MOCK_URL_<PROVIDER>\` (the provider's name in capitals, \`_\` for anything else: \`ENTENTE_MOCK_URL_CASTLE_SERVICE\`), and in \`ENTENTE_MOCK_URL\` when there is one mock. The mocks are stopped, with their recordings on disk, as soon as the command ends. This is the way to record consumers in any language.

      When the command passes, what this run recorded is published as contracts (see \`entente publish\`) and the pending files are removed. When it fails, nothing is published (unless \`--always\`) and the recordings stay pending. entente exits with the command's exit code; if publishing fails it exits 4 and the recordings stay pending.

      The test run id is \`--test-run\`, else ENTENTE_TEST_RUN, GITHUB_RUN_ID or CI_PIPELINE_ID, else a new one. Jobs of one run (sharded tests) merge their interactions into one contract; another run that recorded different interactions for a version that already has a contract is refused (exit 3, the recordings stay pending) unless \`--replace\`, itself refused once that version is deployed or verified.
    `,
    examples: [
      ['Record the npm tests', 'entente record -- npm test'],
      ['Publish even when tests fail', 'entente record --always -- npx vitest run'],
      [
        'A consumer in another language, against a mock of castle-service on port 4010',
        'entente record --mock castle-service:4010 -- ./gradlew test',
      ],
      [
        'Two mocks on free ports, their URLs passed in environment variables',
        'entente record --mock castle-service --mock billing@2.1.0 -- sh -c \'pytest --castles "$ENTENTE_MOCK_URL_CASTLE_SERVICE" --billing "$ENTENTE_MOCK_URL_BILLING"\'',
      ],
    ],
  });

  always = Option.Boolean('--always', false, { description: 'Publish even when the command fails' });
  testRun = Option.String('--test-run', { description: 'The test run id recorded with each interaction' });
  replace = Option.Boolean('--replace', false, {
    description:
      "Replace a consumer version's contract recorded by another run (refused once deployed or verified)",
  });
  mocks = Option.Array('--mock', [], {
    description:
      'Serve a recording mock of PROVIDER[@VERSION][:PORT] while the command runs (repeatable); its URL is in ENTENTE_MOCK_URL_<PROVIDER>',
  });
  command = Option.Proxy({ name: 'command', required: 1 });

  protected override configFlags() {
    return { testRun: this.testRun };
  }

  /**
   * The contracts repository's head, fetched once for the whole run: mocks the
   * command starts read it (ENTENTE_CONTRACTS_COMMIT) instead of fetching
   * again each. When it cannot be fetched, each mock tries for itself.
   */
  private async contractsHead(): Promise<Record<string, string>> {
    try {
      const { commit } = await (await this.openStore()).snapshot();
      return commit ? { ENTENTE_CONTRACTS_COMMIT: commit } : {};
    } catch {
      return {};
    }
  }

  protected async run(): Promise<number> {
    const config = await this.config();
    const testRun = config.testRun ?? `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const mocks = await this.startMocks({ ...config, testRun, recording: true });
    try {
      return await this.runAndPublish(config, testRun, mocks);
    } finally {
      await mocks?.close();
    }
  }

  private async startMocks(config: EntenteConfig): Promise<StartedMocks | undefined> {
    if (this.mocks.length === 0) return undefined;
    const { parseMockRequest, startMocks } = await import('../../record/mocks.js');
    const requests = this.mocks.map((value) => parseMockRequest(value));
    const started = await startMocks(requests, {
      config,
      openStore: () => this.openStore(),
      now: () => this.now(config.env),
      logger: { warn: (message) => this.output.warn(message) },
    });
    for (const [name, url] of Object.entries(started.env)) {
      if (name !== 'ENTENTE_MOCK_URL') this.output.line(`Mock listening on ${url} (${name}).`);
    }
    return started;
  }

  private async runAndPublish(
    config: EntenteConfig,
    testRun: string,
    mocks: StartedMocks | undefined,
  ): Promise<number> {
    const { recordRun } = await import('../../record/run.js');
    const result = await recordRun({
      command: this.command,
      cwd: config.cwd,
      env: { ...config.env, ...(await this.contractsHead()), ...mocks?.env },
      ...(mocks ? { afterCommand: mocks.close } : {}),
      pendingDir: config.pendingDir,
      testRun,
      always: this.always,
      stdout: this.output.json ? 'stderr' : 'inherit',
      publish: async (run) => (await this.contracts()).publish({ testRun: run, replace: this.replace }),
    });
    if (result.published) {
      this.output.data({ pendingDir: config.pendingDir, ...result.published });
      const { renderPublished } = await import('../../render/publish.js');
      for (const line of renderPublished(result.published, config.pendingDir, this.output.colors)) {
        this.output.line(line);
      }
    } else {
      this.output.data({ exitCode: result.exitCode, published: null, pendingDir: config.pendingDir });
      this.output.line(
        `The command failed (exit ${result.exitCode}): nothing published. Its recordings stay in ${config.pendingDir}; \`entente publish\` publishes them, \`--always\` publishes whatever the outcome.`,
      );
    }
    return result.exitCode;
  }
}
