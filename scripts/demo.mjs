// The walkthrough: the whole entente flow on a fresh local contracts
// repository (a bare git repository acting as the shared remote), offline.
// Run with `npm run demo`. Everything it makes stays in .demo/ (or
// $ENTENTE_DEMO_DIR) for you to look at afterwards.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'entente');
const demo = process.env.ENTENTE_DEMO_DIR ?? join(root, '.demo');
const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (text) => (tty ? `\u001b[1m${text}\u001b[22m` : text);
const dim = (text) => (tty ? `\u001b[2m${text}\u001b[22m` : text);

rmSync(demo, { recursive: true, force: true });
mkdirSync(demo, { recursive: true });
const remote = join(demo, 'contracts.git');
const identity = [
  '-c',
  'user.name=entente demo',
  '-c',
  'user.email=demo@entente.invalid',
  '-c',
  'commit.gpgsign=false',
];
execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);

const env = {
  ...process.env,
  ENTENTE_CONTRACTS: remote,
  ENTENTE_CACHE_DIR: join(demo, 'cache'),
  ENTENTE_HOME: join(demo, 'home'),
  ENTENTE_PENDING_DIR: join(demo, 'pending'),
  // Every version in the demo comes from the main branch, whatever this checkout is on.
  ENTENTE_BRANCH: 'main',
  GIT_AUTHOR_NAME: 'entente demo',
  GIT_AUTHOR_EMAIL: 'demo@entente.invalid',
  GIT_COMMITTER_NAME: 'entente demo',
  GIT_COMMITTER_EMAIL: 'demo@entente.invalid',
  GITHUB_TOKEN: '',
  GH_TOKEN: '',
  CI: '',
};

let step = 0;
function heading(title, explanation) {
  step++;
  console.log(`\n${bold(`Step ${step}: ${title}`)}`);
  if (explanation) console.log(dim(explanation));
}

/** Runs the real CLI as a user would, shows its output, and checks the exit code the flow expects. */
function entente(args, { cwd = root, expect = 0 } = {}) {
  console.log(`\n$ entente ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, env, stdio: 'inherit' });
  if (run.status !== expect) {
    console.error(`\nThe demo expected exit code ${expect} from \`entente ${args[0]}\`, got ${run.status}.`);
    process.exit(1);
  }
}

function git(cwd, ...args) {
  return execFileSync('git', [...identity, ...args], { cwd, env, encoding: 'utf8' });
}

const castleSpec = join(root, 'examples', 'castle-service', 'openapi.yaml');
const castleClient = join(root, 'examples', 'castle-client');

console.log(bold('entente walkthrough'));
console.log(
  `A contracts repository is a git repository; here a bare one stands in for the shared remote:\n  ${remote}`,
);

heading(
  'the provider publishes its spec',
  'castle-service validates, bundles and stores its OpenAPI document for version 1.0.0.',
);
entente([
  'publish-spec',
  '--spec',
  castleSpec,
  '--service',
  'castle-service',
  '--version',
  '1.0.0',
  '--branch',
  'main',
]);

heading(
  'the consumer tests against a mock and records',
  "castle-client's vitest tests run against a mock built from castle-service's published spec.\nUnder `entente record` what they exchange becomes castle-client's contract, published when the tests pass.",
);
entente(
  ['record', '--test-run', 'demo-consumer-1', '--', 'npx', 'vitest', 'run', '--config', 'vitest.config.ts'],
  {
    cwd: castleClient,
  },
);

heading(
  'the provider verifies against its running service',
  'castle-service starts on a free port; entente replays the contract against it.',
);
const service = spawn(
  process.execPath,
  [
    join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    join(root, 'examples', 'castle-service', 'main.ts'),
    '--port',
    '0',
    '--state-endpoint',
    '/_entente/state',
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const serviceUrl = await new Promise((resolve, reject) => {
  let output = '';
  service.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  service.on('exit', (code) => reject(new Error(`castle-service exited with ${code}`)));
});
try {
  entente([
    'verify',
    '--provider',
    'castle-service',
    '--version',
    '1.0.0',
    '--base-url',
    serviceUrl,
    '--state-url',
    `${serviceUrl}/_entente/state`,
    // castle-client's token was redacted when recorded: the provider's test token replaces it.
    '--header',
    'Authorization: Bearer castle-service-test',
    '--test-run',
    'demo-verify-1',
  ]);
} finally {
  service.kill();
}

heading(
  'fixtures are proposed and approved through a branch',
  'The verification proposed provider fixtures (drafts). Approving them pushes a branch of the contracts repository;\nwith neither gh nor GITHUB_TOKEN, entente says how to open the pull request.',
);
entente(['fixtures', 'list', '--service', 'castle-service', '--status', 'draft']);
entente([
  'fixtures',
  'approve',
  '--test-run',
  'demo-verify-1',
  '--approved-by',
  'demo',
  '--branch',
  'entente/fixtures/demo-approval',
]);
console.log(dim('\nA reviewer merges the pull request; here a clone does what the hosting service would:'));
const review = join(demo, 'review');
git(demo, 'clone', '--quiet', remote, review);
git(
  review,
  'merge',
  '--quiet',
  '--no-ff',
  '-m',
  'Merge fixture approval',
  'origin/entente/fixtures/demo-approval',
);
git(review, 'push', '--quiet', 'origin', 'HEAD:main');
entente(['fixtures', 'list', '--service', 'castle-service', '--status', 'approved']);

heading(
  'deployments are recorded, and can-i-deploy says yes',
  'The first deployment introduces production (--new-environment: a mistyped environment is refused). Then, before deploying, each service asks; after deploying, it records what runs where.',
);
entente([
  'record-deployment',
  '--service',
  'castle-service',
  '--version',
  '1.0.0',
  '--environment',
  'production',
  '--new-environment',
]);
entente(['can-i-deploy', '--service', 'castle-service', '--version', '1.0.0', '--environment', 'production']);
entente(['can-i-deploy', '--service', 'castle-client', '--version', '0.3.0', '--environment', 'production']);
entente([
  'record-deployment',
  '--service',
  'castle-client',
  '--version',
  '0.3.0',
  '--environment',
  'production',
]);

heading(
  'a breaking change is attempted',
  'castle-service 2.0.0 turns yearBuilt into a string. castle-client relies on yearBuilt being a number.',
);
const breaking = join(demo, 'castle-service-2.0.0.yaml');
writeFileSync(
  breaking,
  readFileSync(castleSpec, 'utf8').replace(
    /yearBuilt:\n(\s+)type: integer\n\s+minimum: 800\n\s+maximum: 2100\n\s+example: 1137/,
    'yearBuilt:\n$1type: string\n$1example: "1137"',
  ),
);
entente(['diff', 'castle-service@1.0.0', breaking], { expect: 1 });
entente([
  'publish-spec',
  '--spec',
  breaking,
  '--service',
  'castle-service',
  '--version',
  '2.0.0',
  '--branch',
  'main',
]);
entente(
  ['can-i-deploy', '--service', 'castle-service', '--version', '2.0.0', '--environment', 'production'],
  { expect: 1 },
);

heading('the status matrix', 'What the contracts repository knows now.');
entente(['status']);

const browse = join(demo, 'contracts');
git(demo, 'clone', '--quiet', remote, browse);
console.log(`\n${bold('Done.')} Everything the demo made is in ${relative(process.cwd(), demo) || demo}:`);
console.log(`  ${relative(process.cwd(), remote)}   the contracts repository (bare, the shared remote)`);
console.log(
  `  ${relative(process.cwd(), browse)}       a checkout of it to browse: git -C ${relative(process.cwd(), browse)} log --stat`,
);
if (!existsSync(join(browse, 'contracts'))) process.exit(1);
