import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingObjects, readObjects } from './objects.js';

const readObject = async (dir: string, oid: string) => (await readObjects(dir, [oid]))?.get(oid);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A bare repository whose trees resemble each other (one folder of 120
 * files, one more of them changed in each commit), so a repack stores most
 * of them as chains of deltas; every object is loose until `repack`.
 */
function repository(format: 'sha1' | 'sha256' = 'sha1') {
  const dir = mkdtempSync(join(tmpdir(), 'entente-objects-'));
  dirs.push(dir);
  const env = { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env }).toString();
  git('init', '--quiet', '--bare', `--object-format=${format}`);
  const commands = Array.from({ length: 25 }, (_, n) => {
    const files = Array.from({ length: 120 }, (_, i) => {
      const text = `{"file":${i},"changed":${i < n}}\n`;
      return `M 100644 inline services/svc-${String(i).padStart(3, '0')}.json\ndata ${text.length}\n${text}`;
    });
    return `commit refs/heads/main\ncommitter a <a@example.invalid> ${1_700_000_000 + n} +0000\ndata 9\ncommit ${String(n).padStart(2, '0')}\n${files.join('')}\n`;
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: commands.join('') });
  // fast-import packs what it writes: unpack it, to start from loose objects.
  const packs = join(dir, 'objects', 'pack');
  for (const name of readdirSync(packs).filter((n) => n.endsWith('.pack'))) {
    const pack = readFileSync(join(packs, name));
    rmSync(join(packs, name));
    rmSync(join(packs, name.replace(/\.pack$/, '.idx')));
    execFileSync('git', ['unpack-objects', '-q'], { cwd: dir, env, input: pack });
  }
  const objects = () =>
    git('rev-list', '--objects', '--all')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]!);
  return { dir, git, objects };
}

/** Every object of the repository, read here and by `git cat-file --batch`: the same type and bytes. */
async function expectAllReadable(repo: ReturnType<typeof repository>): Promise<void> {
  const oids = repo.objects();
  const batch = execFileSync('git', ['cat-file', '--batch'], {
    cwd: repo.dir,
    input: `${oids.join('\n')}\n`,
  });
  let at = 0;
  for (const oid of oids) {
    const newline = batch.indexOf(10, at);
    const [, type, size] = batch.subarray(at, newline).toString().split(' ');
    const body = batch.subarray(newline + 1, newline + 1 + Number(size));
    at = newline + 1 + Number(size) + 1;
    const read = await readObject(repo.dir, oid);
    expect(read?.type, oid).toBe(type);
    expect(read?.body.equals(body), oid).toBe(true);
  }
}

describe('objects read from the repository files', () => {
  it('reads loose objects, and packed ones through chains of deltas (against an offset or an id), as git does', async () => {
    const repo = repository();
    await expectAllReadable(repo);

    repo.git('repack', '-adf', '--quiet', '--depth=50', '--window=50');
    expect(readdirSync(join(repo.dir, 'objects')).filter((name) => /^[0-9a-f]{2}$/.test(name))).toEqual([]);
    const [pack] = readdirSync(join(repo.dir, 'objects', 'pack')).filter((name) => name.endsWith('.pack'));
    const chains = repo.git('verify-pack', '-v', join(repo.dir, 'objects', 'pack', pack!));
    expect(chains).toMatch(/^chain length = [2-9]/m);
    await expectAllReadable(repo);

    repo.git(
      '-c',
      'repack.useDeltaBaseOffset=false',
      'repack',
      '-adf',
      '--quiet',
      '--depth=50',
      '--window=50',
    );
    await expectAllReadable(repo);
  }, 60_000);

  it('reads a SHA-256 repository', async () => {
    const repo = repository('sha256');
    repo.git('repack', '-adf', '--quiet');
    await expectAllReadable(repo);
  }, 60_000);

  it('gives undefined, never wrong content, for what it cannot read plainly: a damaged pack, alternates, an unknown id', async () => {
    const repo = repository();
    repo.git('repack', '-adf', '--quiet', '--depth=50', '--window=50');
    const tree = repo.git('rev-parse', 'main:services').trim();
    expect((await readObject(repo.dir, tree))?.type).toBe('tree');
    expect(await readObject(repo.dir, '0'.repeat(40))).toBeUndefined();
    expect(await readObject(repo.dir, 'not an id')).toBeUndefined();

    // Flip bytes inside every packed object after the header: no content hashes to its id any more.
    const packs = join(repo.dir, 'objects', 'pack');
    const pack = join(packs, readdirSync(packs).find((name) => name.endsWith('.pack'))!);
    const original = readFileSync(pack);
    const damaged = Buffer.from(original);
    for (let i = 40; i < damaged.length - 40; i += 7) damaged[i] = damaged[i]! ^ 0x01;
    writeFileSync(pack, damaged);
    expect(await readObject(repo.dir, tree)).toBeUndefined();
    writeFileSync(pack, original);

    writeFileSync(join(repo.dir, 'objects', 'info', 'alternates'), '/nowhere\n');
    expect(await readObject(repo.dir, tree)).toBeUndefined();
    expect(await missingObjects(repo.dir, [tree])).toBeUndefined();
  }, 60_000);

  it('a delta whose header is damaged gives undefined and leaves no read of its base behind', async () => {
    const repo = repository();
    repo.git('repack', '-adf', '--quiet', '--depth=50', '--window=50');
    const packs = join(repo.dir, 'objects', 'pack');
    const pack = join(packs, readdirSync(packs).find((name) => name.endsWith('.pack'))!);
    // verify-pack -v: "<oid> <type> <size> <size in pack> <offset> <depth> <base oid>" for a delta.
    const delta = repo
      .git('verify-pack', '-v', pack)
      .split('\n')
      .map((line) => line.split(/\s+/))
      .find((fields) => fields.length === 7 && fields[1] === 'tree');
    expect(delta).toBeDefined();
    const [oid, , , , offset] = delta!;
    const bytes = readFileSync(pack);
    // The entry's first byte holds its size's low four bits: one less, and the data no longer fits it.
    const at = Number(offset);
    bytes[at] = (bytes[at]! & 0xf0) | ((bytes[at]! - 1) & 0x0f);
    writeFileSync(pack, bytes);
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    try {
      expect(await readObject(repo.dir, oid!)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', listen);
    }
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('a pack index whose fan-out goes down is not read (git refuses it too)', async () => {
    const repo = repository();
    repo.git('repack', '-adf', '--quiet');
    const tree = repo.git('rev-parse', 'main:services').trim();
    const packs = join(repo.dir, 'objects', 'pack');
    const idx = join(packs, readdirSync(packs).find((name) => name.endsWith('.idx'))!);
    const bytes = readFileSync(idx);
    bytes.writeUInt32BE(0x7fffffff, 8 + 0x2b * 4);
    writeFileSync(idx, bytes);
    expect(await missingObjects(repo.dir, [tree])).toBeUndefined();
    expect(await readObject(repo.dir, tree)).toBeUndefined();
  }, 60_000);
});
