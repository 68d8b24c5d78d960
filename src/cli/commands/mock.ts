import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode, InputError } from '../../errors.js';
import { parseServiceRef } from '../../model/names.js';
import type { SpecSelector } from '../../provider-spec/read.js';
import { EntenteCommand } from '../base.js';

export class MockCommand extends EntenteCommand {
  static override paths = [['mock']];
  static override usage = Command.Usage({
    description: 'serve a mock of a provider from its spec, for consumers in any language',
    details: `
      Starts an HTTP server that answers like \`<provider>\` would, from its spec in the contracts repository — the version given after \`@\`, the version deployed in \`--environment\`, or else the latest — or from a local file with \`--spec\` (its local \`$ref\`s must stay inside its folder; \`--ref-root\` names a wider one). Requests are routed and validated against the spec; responses come from fixtures (local ones from \`--fixtures\` or \`fixtures/<provider>.json\`, then approved ones from the repository), the spec's examples, or samples generated from the schemas. See docs/mock.md.

      What the consumer relies on in each response (what its contract holds the provider to) is declared per operation with \`--relies-on OPERATION=PATH[,PATH…]\`, with \`reliesOn\` in \`.entente.yml\`, or per request with the \`x-entente-relies-on: PATH[,PATH…]\` header; otherwise everything received, as the spec describes it (optional fields may be absent, nullable ones null). See docs/consumers.md.

      It prints its URL and serves until it receives SIGINT or SIGTERM.

      With \`--record\` (or in CI, or when started under \`entente record\`) every exchange is written to the pending folder as it happens, with secrets redacted. The mock never publishes by itself: it does not know whether the tests passed. Run it and the tests under \`entente record -- <script>\` to publish when they pass, or run \`entente publish\` afterwards.
    `,
    examples: [
      ['The latest castle-service on port 4010', 'entente mock castle-service --port 4010'],
      ['An exact version, recording', 'entente mock castle-service@1.2.0 --port 4010 --record'],
      ['The version deployed in staging', 'entente mock castle-service --environment staging'],
      [
        'Recording only the fields the consumer uses',
        'entente mock contractors --record --relies-on getContractor=available --relies-on listJobs=[].id,[].title',
      ],
      [
        'From a local spec and fixtures',
        'entente mock castle-service --spec openapi.yaml --fixtures fixtures/castles.json',
      ],
    ],
  });

  provider = Option.String({ name: 'provider[@version]' });
  port = Option.String('--port', '0', {
    description: 'The port to listen on (default: a free port)',
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 65535)]),
  });
  host = Option.String('--host', { description: 'The address to listen on (default 127.0.0.1)' });
  spec = Option.String('--spec', { description: 'A local OpenAPI file instead of the published spec' });
  refRoot = Option.String('--ref-root', {
    description: "The folder the local $refs of --spec must stay inside (default: the spec file's folder)",
  });
  fixtures = Option.String('--fixtures', {
    description: 'A local fixtures file (default: fixtures/<provider>.json when present)',
  });
  environment = Option.String('--environment', {
    description: 'Serve the spec of the version deployed in this environment',
  });
  maxRequestBytes = Option.String('--max-request-bytes', {
    description: 'Answer larger request bodies 413, unrecorded (default 10485760, 10 MiB)',
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(0)]),
  });
  reliesOn = Option.Array('--relies-on', {
    description:
      'OPERATION=PATH[,PATH…]: the response fields the consumer relies on for an operation (repeatable; wins over .entente.yml reliesOn)',
  });
  record = Option.Boolean('--record', {
    description: 'Record exchanges into the pending folder (--no-record: not even in CI)',
  });

  protected async run(): Promise<number> {
    const { service: provider, version } = parseServiceRef(this.provider, 'provider');
    if (version !== undefined && this.environment !== undefined) {
      throw new InputError(
        'input.mock-version',
        `${this.provider}: give a version after @ or --environment, not both`,
        {
          details: [{ where: '--environment', message: 'expected either provider@version or --environment' }],
        },
      );
    }
    const selector: SpecSelector =
      version ?? (this.environment !== undefined ? { environment: this.environment } : 'latest');
    const mock = await (await this.contracts()).createMock(provider, selector, {
      port: this.port,
      ...(this.host ? { host: this.host } : {}),
      ...(this.spec ? { spec: this.spec } : {}),
      ...(this.refRoot === undefined ? {} : { refRoot: this.refRoot }),
      ...(this.fixtures ? { localFixturesFile: this.fixtures } : {}),
      ...(this.record === undefined ? {} : { record: this.record }),
      ...(this.maxRequestBytes === undefined ? {} : { maxRequestBytes: this.maxRequestBytes }),
      // Its consumers run in other processes: their reads cannot be seen, and msw's handlers are of no use.
      trackReads: false,
      mswHandlers: false,
      ...(this.reliesOn ? { reliesOn: parseReliesOnFlags(this.reliesOn) } : {}),
      logger: { warn: (message) => this.output.warn(message) },
    });
    const recording = mock.recording;
    this.output.data({
      url: mock.url,
      provider,
      version: mock.version,
      recording: recording ?? null,
      fixtures: mock.getFixtures().length,
    });
    this.output.line(
      `Mock of ${this.output.colors.bold(`${provider}@${mock.version}`)} listening on ${mock.url}${recording ? ` (recording ${recording.consumer}@${recording.consumerVersion} into ${recording.pendingDir})` : ''}. Stop it with Ctrl-C.`,
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await mock.close();
    const exchanges = mock.exchanges;
    this.output.line(
      `Stopped (${signal}) after ${exchanges} exchange${exchanges === 1 ? '' : 's'}${recording ? `; recordings wait in ${recording.pendingDir}: publish them with \`entente publish\`` : ''}.`,
    );
    return ExitCode.Ok;
  }
}

/** `getContractor=available,stock` (repeatable) → `{ getContractor: ['available', 'stock'] }`. */
function parseReliesOnFlags(values: readonly string[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const operation = at > 0 ? value.slice(0, at).trim() : '';
    if (operation === '') {
      throw new InputError(
        'input.relies-on',
        `--relies-on ${JSON.stringify(value)}: expected OPERATION=PATH[,PATH…], e.g. getContractor=available,stock`,
        { details: [{ where: '--relies-on', message: 'expected OPERATION=PATH[,PATH…]' }] },
      );
    }
    const rest = value.slice(at + 1).trim();
    const paths = rest === '' ? [] : rest.split(',').map((path) => path.trim());
    map[operation] = [...(map[operation] ?? []), ...paths];
  }
  return map;
}
