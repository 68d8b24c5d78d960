import { readFileSync } from 'node:fs';

/**
 * entente's own version, from its package.json: one folder up from this
 * module (src/, dist/) or two (a chunk of the CLI bundle in dist/cli-bundle/).
 */
export function readPackageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    let pkg: { name?: string; version?: string };
    try {
      pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.name === 'entente-contracts' && typeof pkg.version === 'string') return pkg.version;
  }
  throw new Error(
    `entente: its package.json is not where it was installed (looked above ${import.meta.url})`,
  );
}
