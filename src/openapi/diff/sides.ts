/**
 * The two sides of `entente diff`: a spec file, a file at a git ref of the
 * project (`gitref:path`), or a provider version's published spec in the
 * contracts repository (`service@version`, `service@latest`).
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../../errors.js';
import { namePatterns } from '../../model/names.js';
import type { OpenApiDocument } from '../document.js';

export type DiffSide =
  | { kind: 'file'; path: string }
  | { kind: 'gitref'; ref: string; path: string }
  | { kind: 'repo'; service: string; version: string };

/** A side read and ready to compare. */
export interface LoadedSide {
  /** How the side was given, e.g. `castle-service@1.2.0`. */
  label: string;
  side: DiffSide;
  document: OpenApiDocument;
  /** What is wrong with the document (validation errors when not strict), each naming the file and pointer. */
  warnings: string[];
  /** The provider version, for `service@version` sides (`latest` resolved). */
  provider?: { service: string; version: string };
}

/**
 * How an argument is read: a path that exists is a file; otherwise
 * `service@version` when it has that shape; otherwise `ref:path` when it has
 * a colon; otherwise a file (which then does not exist).
 */
export function parseDiffSide(argument: string, fileExists: (path: string) => boolean): DiffSide {
  if (argument === '') {
    throw new InputError('input.diff-side', 'an empty argument is not a spec', {
      details: [{ where: 'entente diff', message: 'expected a file, gitref:path or service@version' }],
    });
  }
  if (fileExists(argument)) return { kind: 'file', path: argument };
  const at = argument.lastIndexOf('@');
  if (at > 0 && !argument.includes('/') && !argument.includes(':')) {
    const service = argument.slice(0, at);
    const version = argument.slice(at + 1);
    if (namePatterns.service.test(service) && namePatterns.version.test(version)) {
      return { kind: 'repo', service, version };
    }
  }
  const colon = argument.indexOf(':');
  if (colon > 0) {
    const ref = argument.slice(0, colon);
    const path = argument.slice(colon + 1);
    if (path === '' || ref.startsWith('-')) {
      throw new InputError('input.diff-side', `${argument}: expected gitref:path, e.g. main:openapi.yaml`, {
        details: [{ where: argument, message: 'a git ref, a colon, then the path of the spec at that ref' }],
      });
    }
    return { kind: 'gitref', ref, path };
  }
  return { kind: 'file', path: argument };
}

/**
 * The absolute path a `gitref:path` side names, the way git reads
 * `ref:path`: from the project's top-level folder, or from `cwd` when it
 * starts with `./` or `../`. InputError when it leaves the project.
 */
export async function gitrefFilePath(root: string, cwd: string, side: { ref: string; path: string }) {
  const relativeToCwd = side.path.startsWith('./') || side.path.startsWith('../');
  const absolute = relativeToCwd ? resolve(await realpath(cwd), side.path) : resolve(root, side.path);
  const inside = relative(root, absolute);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new InputError(
      'input.diff-side',
      `${side.ref}:${side.path}: the path is outside the git repository`,
      {
        details: [{ where: `${side.ref}:${side.path}`, message: `expected a file inside ${root}` }],
      },
    );
  }
  return { absolute, inRepository: inside.split(sep).join('/') };
}
