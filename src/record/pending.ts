import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { IoError } from '../errors.js';
import { namePatterns } from '../model/names.js';
import { Interaction } from '../model/records.js';
import { checkRecord } from '../model/validate.js';
import { prettyJson } from '../util/canonical-json.js';
import { compareText } from '../util/compare-text.js';

/** One recorded interaction waiting in the consumer's pending folder. */
export const PendingInteraction = Type.Object(
  {
    consumer: Type.String({ pattern: namePatterns.service.source }),
    consumerVersion: Type.String({ pattern: namePatterns.version.source }),
    provider: Type.String({ pattern: namePatterns.service.source }),
    /** The provider version whose published spec the mock served, when it came from the contracts repository. */
    providerVersion: Type.Optional(Type.String({ pattern: namePatterns.version.source })),
    branch: Type.Optional(Type.String()),
    commit: Type.Optional(Type.String()),
    testRun: Type.Optional(Type.String()),
    recordedAt: Type.String({ format: 'date-time' }),
    /** Where the mock's response came from: only generated responses become consumer fixture drafts. */
    responseSource: Type.Union([Type.Literal('fixture'), Type.Literal('example'), Type.Literal('sample')]),
    interaction: Interaction,
  },
  { additionalProperties: false },
);
export type PendingInteraction = typeof PendingInteraction.static;

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
