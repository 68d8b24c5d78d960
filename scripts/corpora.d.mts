export function corporaDir(env?: Record<string, string | undefined>): string;

export function packageFiles(options: {
  name: string;
  version: string;
  /** Paths inside the package, e.g. `generated/api.github.com.json`. */
  files: string[];
  dir?: string;
}): Promise<string[]>;

export function installedPackages(options: {
  label: string;
  /** Exact `name@version` specs. */
  packages: string[];
  dir?: string;
}): Promise<string>;
