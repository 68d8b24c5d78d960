import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode, InputError } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class VerifyCommand extends EntenteCommand {
  static override paths = [['verify']];
  static override usage = Command.Usage({
    description: 'replay consumer contracts against the running provider and record the results',
    details: `
      Selects the consumer contracts that matter — the latest contract of each consumer's main branches (the repository policy's \`mainBranches\`, default main and master) and every consumer version deployed in any environment — and replays each recorded request against the provider at \`--base-url\`. Consumer versions with identical contracts are verified once. \`--environment\` narrows to the consumer versions deployed there; \`--consumer C\` to one consumer, \`--consumer C@V\` to exactly that consumer version.

      Each response must have the recorded status, and every field the consumer relies on must be present with the same JSON type (pinned values equal). It is also checked against this provider version's own published spec: differences are reported as spec drift (failing only with \`--fail-on-spec-drift\`).

      Provider states: \`--state-url\` receives a POST \`{ consumer, state, params, operation, action }\` with action "setup" before each interaction and "teardown" after it; when it cannot be reached or answers non-2xx (or a state handler throws), the verification stops with exit 4 and records nothing: only a provider response can fail a contract. Secrets were redacted when the contract was recorded (docs/security.md); the provider side supplies real ones: \`--header 'Name: value'\` sets a header on every replayed request, \`--query name=value\` a query parameter the request has, \`--field name=value\` every redacted body field of that name (JSON, form or multipart); a state setup may answer \`{ "secrets": { "headers": {…}, "query": {…}, "fields": {…} } }\` for one interaction. A request that still holds a \`[redacted]\` value is never sent: its interaction fails, naming each value to supply. What the provider answers is redacted too before it is stored or printed.

      Pending contracts, as in Pact: a contract no version of the provider has ever verified successfully is pending. When it fails, it is reported as pending and its failed result is still recorded (so the consumer's can-i-deploy says no), but it does not fail this verification unless \`--fail-on-pending\`. Once verified successfully it is held like any other. \`--include-wip-since DATE\` also verifies the latest contracts of consumers' other branches updated since DATE (work in progress), pending in the same way.

      The results (per interaction) are committed to the contracts repository for this provider version and each contract, with a provider fixture draft per passing interaction, unless \`--no-publish\`. Exit code 1 when any interaction of a contract that is not pending fails, 0 otherwise (also when there is nothing to verify); 4 when the provider cannot be reached.
    `,
    examples: [
      [
        'Verify the running service',
        'entente verify --provider castle-service --base-url http://localhost:4001',
      ],
      [
        'A provider in any language, with a state endpoint and a token',
        "entente verify --provider castle-service --base-url http://localhost:8080 --state-url http://localhost:8080/_states --header 'Authorization: Bearer test-token'",
      ],
      [
        'Supply the secrets that were redacted: an API key in the query string and a login form password',
        'entente verify --provider castle-service --base-url http://localhost:4001 --query key=$TEST_API_KEY --field password=$TEST_PASSWORD',
      ],
      [
        "Also consumers' feature branches since November, as pending",
        'entente verify --provider castle-service --base-url http://localhost:4001 --include-wip-since 2026-11-01',
      ],
      [
        'Only what is deployed in production, one consumer, without recording',
        'entente verify --provider castle-service --base-url http://localhost:4001 --environment production --consumer castle-client --no-publish',
      ],
    ],
  });

  provider = Option.String('--provider', {
    description: 'The provider service (default: from configuration)',
  });
  baseUrl = Option.String('--base-url', {
    required: true,
    description: 'Where the running provider listens',
  });
  version = Option.String('--version', { description: 'The provider version (default: from configuration)' });
  branch = Option.String('--branch', {
    description: "The provider's source branch (default: from CI or git)",
  });
  environment = Option.String('--environment', {
    description: 'Only consumer versions deployed in this environment',
  });
  consumer = Option.Array('--consumer', {
    description: 'Only this consumer, or exactly this consumer@version',
  });
  stateUrl = Option.String('--state-url', { description: 'POSTed every provider state setup and teardown' });
  header = Option.Array('--header', { description: "'Name: value' set on every replayed request" });
  query = Option.Array('--query', {
    description: "'name=value' replacing that query parameter in every replayed request that has it",
  });
  field = Option.Array('--field', {
    description: "'name=value' put in every redacted request body field of that name",
  });
  testRun = Option.String('--test-run', {
    description: 'A test run id stored with the results and fixtures',
  });
  timeout = Option.String('--timeout', {
    validator: t.cascade(t.isNumber(), t.isPositive()),
    description: 'Milliseconds per request (default 30000)',
  });
  maxResponseBytes = Option.String('--max-response-bytes', {
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(1)]),
    description:
      "Fail an interaction whose response body is larger, unread and unrecorded (default 10485760, 10 MiB; .entente.yml's verify.maxResponseBytes)",
  });
  publish = Option.Boolean('--publish', true, {
    description: 'Record the results in the contracts repository (--no-publish to only report)',
  });
  failOnSpecDrift = Option.Boolean('--fail-on-spec-drift', false, {
    description: "A response that does not fit the provider's own spec fails its interaction",
  });
  failOnPending = Option.Boolean('--fail-on-pending', false, {
    description: 'A failing pending contract (never verified successfully by any provider version) fails too',
  });
  includeWipSince = Option.String('--include-wip-since', {
    description:
      "Also verify, as pending, the latest contracts of consumers' other branches updated since this date",
  });

  protected override configFlags() {
    return { service: this.provider, version: this.version, branch: this.branch };
  }

  protected async run(): Promise<number> {
    const config = await this.config();
    const provider = this.required(config.service, '--provider', 'the provider service to verify');
    const version = this.required(config.version, '--version', 'the provider version being verified');
    const { parseServiceRef } = await import('../../model/names.js');
    const consumers = (this.consumer ?? []).map((value) => {
      const ref = parseServiceRef(value, '--consumer');
      return { consumer: ref.service, ...(ref.version ? { version: ref.version } : {}) };
    });
    const testRun = this.testRun ?? config.env.ENTENTE_TEST_RUN;
    const contracts = await this.contracts();
    const progress = this.output.interactive ? this.output.stdout : undefined;
    const result = await contracts.verify({
      provider,
      version,
      baseUrl: this.baseUrl,
      ...(this.environment ? { environment: this.environment } : {}),
      ...(consumers.length ? { consumers } : {}),
      ...(this.stateUrl ? { stateUrl: this.stateUrl } : {}),
      ...(this.header ? { headers: parseHeaders(this.header) } : {}),
      ...(this.query ? { query: parsePairs(this.query, '--query') } : {}),
      ...(this.field ? { fields: parsePairs(this.field, '--field') } : {}),
      // Only --test-run or ENTENTE_TEST_RUN: undefined (not absent) keeps the CI's run id out.
      testRun,
      ...(this.timeout !== undefined ? { timeoutMs: this.timeout } : {}),
      // Absent: the handle takes .entente.yml's verify.maxResponseBytes, then the default.
      ...(this.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.maxResponseBytes }),
      publish: this.publish,
      failOnSpecDrift: this.failOnSpecDrift,
      failOnPending: this.failOnPending,
      ...(this.includeWipSince !== undefined ? { includeWipSince: this.includeWipSince } : {}),
      ...(progress
        ? {
            onProgress: ({ done, total, consumer, outcome }) =>
              progress.write(`\r\u001b[2K[${done}/${total}] ${consumer} ${outcome.operation}`),
          }
        : {}),
    });
    progress?.write('\r\u001b[2K');
    this.output.data(result);
    const { renderVerifyResult } = await import('../../render/verify.js');
    this.output.line(renderVerifyResult(result, contracts.location, this.output.colors));
    return result.success ? ExitCode.Ok : ExitCode.ContractProblem;
  }
}

/** `Name: value` → { name: value }; InputError naming the flag otherwise. */
function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = colon > 0 ? value.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The value may be a secret: the message quotes the name part only.
      const problem =
        colon > 0 ? `${JSON.stringify(name)} is not a header name` : 'no ":" after a header name';
      throw new InputError('input.header', `--header: expected 'Name: value', got ${problem}`, {
        details: [{ where: '--header', message: "expected e.g. 'Authorization: Bearer test-token'" }],
      });
    }
    headers[name.toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

/** `name=value` → { name: value }; InputError naming the flag otherwise. */
function parsePairs(values: string[], flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) {
      // The value is a secret: the message does not quote it.
      throw new InputError('input.pair', `${flag}: expected 'name=value', got no name before an "="`, {
        details: [{ where: flag, message: "expected e.g. 'password=test-password'" }],
      });
    }
    pairs[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return pairs;
}
