/** Reading pact files from disk: files as given, folders for their `*.json` files (sorted, not recursive). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { type PactDocument, parsePact } from './pact-file.js';

export async function loadPactFiles(paths: readonly string[], cwd: string): Promise<PactDocument[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      throw new InputError('input.pact-missing', `${path}: no such file or folder`, {
        details: [{ where: path, message: 'give pact files or folders holding them' }],
      });
    }
    if (info.isDirectory()) {
      const names = (await readdir(absolute)).filter((name) => name.endsWith('.json')).sort();
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  return Promise.all(files.map(async (file) => parsePact(await readFile(resolve(cwd, file), 'utf8'), file)));
}
