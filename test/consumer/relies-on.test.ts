/**
 * A consumer in any language narrows its contract: a Python test starts
 * `entente mock --relies-on …` itself, talks to it over HTTP (one request
 * narrowed further by the x-entente-relies-on header), and runs under
 * `entente record`. `.entente.yml`'s `reliesOn` does the same without flags.
 * Bad declarations are bad input (exit 3) naming the flag or the file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractRecord, VersionRecord } from '../../src/model/records.js';
import { layout } from '../../src/store/layout.js';
import { ENTENTE_BIN, runCli } from '../helpers/cli.js';
import { CASTLE_ID } from '../mock/castles.js';
import { type ConsumerWorld, createConsumerWorld } from './world.js';

/** The consumer's test suite, in Python: starts the mock, makes three requests, stops it. */
const PYTHON_TEST = `
import json, signal, subprocess, sys, urllib.request

node, entente, *mock_args = sys.argv[1:]
mock = subprocess.Popen([node, entente, "mock", "castle-service@1.0.0", "--port", "0", *mock_args],
                        stdout=subprocess.PIPE, text=True)
url = None
for line in mock.stdout:
    if "listening on " in line:
        url = line.split("listening on ")[1].split(" ")[0].rstrip(".")
        break
assert url, "the mock did not start"

def get(path, headers={}):
    with urllib.request.urlopen(urllib.request.Request(url + path, headers=headers)) as response:
        return json.load(response)

castle = get("/castles/${CASTLE_ID}")
print("name:", castle["name"])
castles = get("/castles", {"x-entente-relies-on": "[].id"})
print("ids:", [c["id"] for c in castles])
get("/castles?region=Centre")
mock.send_signal(signal.SIGTERM)
mock.wait()
`;

let world: ConsumerWorld;
beforeAll(async () => {
  world = await createConsumerWorld();
  writeFileSync(join(world.project, 'consumer_test.py'), PYTHON_TEST);
});
afterAll(() => world.cleanup());

const cli = (args: string[]) => runCli(args, { cwd: world.project, env: world.env });

async function contractOf(version: string): Promise<ContractRecord> {
  const snapshot = await (await world.openStore()).snapshot();
  const record = await snapshot.readRecord(VersionRecord, layout.version('castle-client', version));
  const hash = record?.contracts?.['castle-service']?.hash;
  if (!hash) throw new Error(`no contract for castle-client@${version}`);
  const contract = await snapshot.readRecord(
    ContractRecord,
    layout.contract('castle-service', 'castle-client', hash),
  );
  if (!contract) throw new Error(`contract ${hash} not found`);
  return contract;
}

/** Per request, what the contract relies on and how that was decided. */
function reliance(contract: ContractRecord) {
  return Object.fromEntries(
    contract.interactions.map((i) => [
      `${i.request.path}${i.request.query ? '?' : ''}`,
      { reliance: i.response.reliance, reliesOn: i.response.reliesOn },
    ]),
  );
}

describe('declaring what a consumer relies on, from any language', () => {
  it('a Python test narrows its contract with entente mock --relies-on, and a request header', async () => {
    const result = await runCli(
      [
        'record',
        '--',
        'python3',
        'consumer_test.py',
        process.execPath,
        ENTENTE_BIN,
        '--relies-on',
        'getCastle=name',
        '--relies-on',
        'listCastles=[].name,[].region',
      ],
      { cwd: world.project, env: { ...world.env, ENTENTE_VERSION: '0.1.0' } },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('name: Château de Versailles');
    expect(result.code).toBe(0);
    expect(reliance(await contractOf('0.1.0'))).toEqual({
      [`/castles/${CASTLE_ID}`]: { reliance: 'declared', reliesOn: ['name'] },
      // The header is the most specific declaration: it wins over the flag.
      '/castles': { reliance: 'declared', reliesOn: ['[].id'] },
      '/castles?': { reliance: 'declared', reliesOn: ['[].name', '[].region'] },
    });
  });

  it('.entente.yml reliesOn narrows it without flags; a flag wins for its operation', async () => {
    writeFileSync(
      join(world.project, '.entente.yml'),
      'reliesOn:\n  castle-service:\n    getCastle: [id]\n    listCastles: ["[].yearBuilt"]\n',
    );
    try {
      const result = await runCli(
        [
          'record',
          '--',
          'python3',
          'consumer_test.py',
          process.execPath,
          ENTENTE_BIN,
          '--relies-on',
          'getCastle=region',
        ],
        { cwd: world.project, env: { ...world.env, ENTENTE_VERSION: '0.2.0' } },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(reliance(await contractOf('0.2.0'))).toEqual({
        [`/castles/${CASTLE_ID}`]: { reliance: 'declared', reliesOn: ['region'] },
        '/castles': { reliance: 'declared', reliesOn: ['[].id'] },
        '/castles?': { reliance: 'declared', reliesOn: ['[].yearBuilt'] },
      });
    } finally {
      rmSync(join(world.project, '.entente.yml'));
    }
  });

  it('refuses a malformed --relies-on, an unknown operation, or a bad path: exit 3, naming where', async () => {
    const malformed = await cli(['mock', 'castle-service@1.0.0', '--relies-on', 'name']);
    expect(malformed.code).toBe(3);
    expect(malformed.stderr).toContain('--relies-on "name": expected OPERATION=PATH[,PATH…]');

    const unknown = await cli(['mock', 'castle-service@1.0.0', '--relies-on', 'getCastel=name']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('"getCastel" is not an operation of castle-service\'s spec');

    writeFileSync(
      join(world.project, '.entente.yml'),
      'reliesOn:\n  castle-service:\n    getCastle: ["items[0]"]\n',
    );
    try {
      const badPath = await cli(['mock', 'castle-service@1.0.0']);
      expect(badPath.code).toBe(3);
      expect(badPath.stderr).toContain('.entente.yml: reliesOn.castle-service (getCastle)');
      expect(badPath.stderr).toContain('"items[0]" is not valid');
    } finally {
      rmSync(join(world.project, '.entente.yml'));
    }
  });
});
