import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IoError } from '../errors.js';
import { checkRecord } from '../model/validate.js';
import { prettyJson } from '../util/canonical-json.js';
import { compareText } from '../util/compare-text.js';
import { PendingInteraction } from './pending-schema.js';

export { PendingInteraction } from './pending-schema.js';

/** Who recorded, against whom, from which source: what every pending interaction of one run shares. */
export type RecordingSource = Pick<
  PendingInteraction,
  'consumer' | 'consumerVersion' | 'provider' | 'providerVersion' | 'branch' | 'commit' | 'testRun'
>;

/** Just the recording source of a larger object, optional fields only when set. */
export function recordingSource(from: RecordingSource): RecordingSource {
  return {
    consumer: from.consumer,
    consumerVersion: from.consumerVersion,
    provider: from.provider,
    ...(from.providerVersion ? { providerVersion: from.providerVersion } : {}),
    ...(from.branch ? { branch: from.branch } : {}),
    ...(from.commit ? { commit: from.commit } : {}),
    ...(from.testRun ? { testRun: from.testRun } : {}),
  };
}

/**
 * Writes one interaction to `<dir>/<provider>/<id>.json` at once (atomically:
 * a temporary file renamed into place), so a crashing test run loses nothing
 * it already recorded, and a duplicate simply lands on the same file.
 */
export async function writePending(dir: string, entry: PendingInteraction): Promise<string> {
  checkRecord(
    PendingInteraction,
    entry,
    'pending interaction',
    (code, message) => new IoError(code, message),
  );
  const folder = join(dir, entry.provider);
  const file = join(folder, `${entry.consumer}@${entry.consumerVersion}.${entry.interaction.id}.json`);
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(temp, prettyJson(entry));
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new IoError('io.pending', `could not write the recording to ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return file;
}

/** Every pending interaction, with its file. Half-written temporary files are ignored. */
export async function readPending(dir: string): Promise<{ file: string; entry: PendingInteraction }[]> {
  const providers = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: { file: string; entry: PendingInteraction }[] = [];
  for (const provider of providers
    .filter((d) => d.isDirectory())
    .sort((a, b) => compareText(a.name, b.name))) {
    const folder = join(dir, provider.name);
    for (const name of (await readdir(folder)).filter((n) => n.endsWith('.json')).sort()) {
      const file = join(folder, name);
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (cause) {
        throw new IoError('io.pending', `could not read the recording ${file}: ${(cause as Error).message}`, {
          cause,
        });
      }
      out.push({ file, entry: checkRecord(PendingInteraction, data, file) });
    }
  }
  return out;
}

export async function removePending(files: string[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file, { force: true })));
}
