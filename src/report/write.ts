import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { IoError } from '../errors.js';
import type { SiteFiles } from './site.js';

/**
 * Writes the site into `out`, replacing what an earlier report left there
 * (only the report's own folders and pages, never the folder itself).
 */
export async function writeSite(out: string, files: SiteFiles): Promise<{ files: number; bytes: number }> {
  // Page names come from the repository's folder names: none may land outside `out`.
  const root = resolve(out);
  for (const path of files.keys()) {
    if (!resolve(root, path).startsWith(root + sep)) {
      throw new IoError(
        'io.report-path',
        `report page ${JSON.stringify(path)} would be written outside ${out}`,
      );
    }
  }
  await Promise.all(
    ['services', 'matrix', 'badges'].map((dir) => rm(join(out, dir), { recursive: true, force: true })),
  );
  let bytes = 0;
  const dirs = new Set([...files.keys()].map((path) => dirname(join(out, path))));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  await Promise.all(
    [...files].map(([path, content]) => {
      bytes += Buffer.byteLength(content);
      return writeFile(join(out, path), content);
    }),
  );
  return { files: files.size, bytes };
}
