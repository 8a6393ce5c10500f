import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedFileHash, sha256File } from '../../electron/services/hash';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

const reference = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-hash-');
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});

describe('file hashes', () => {
  it('hashes a file read in 4 MB pieces into one buffer: sizes around the piece, and an empty file', async () => {
    const piece = 4 << 20;
    for (const size of [0, 1, piece - 1, piece, piece + 1, 2 * piece + 12_345]) {
      const path = join(files.dir, `f-${size}`);
      await writeFile(path, randomBytes(size));
      expect(await sha256File(path), `${size} bytes`).toBe(reference(path));
    }
  });

  it('hashes many sources asked for at once (an export of a sharded dataset), each right, each cached', async () => {
    const engine = t.backend.services.workspace.engine;
    const paths: string[] = [];
    for (let i = 0; i < 9; i++) {
      const path = join(files.dir, `shard-${i}`);
      await writeFile(path, randomBytes(1_000_000 + i * 700_000));
      paths.push(path);
    }
    const got = await Promise.all(paths.map((p) => cachedFileHash(engine, p)));
    expect(got.map((g) => g.sha256)).toEqual(paths.map(reference));
    const cached = await engine.all('SELECT path, sha256 FROM valley_file_hashes ORDER BY path');
    expect(cached.map((r) => [r['path'], r['sha256']])).toEqual(paths.map((p) => [p, reference(p)]).sort());
  });
});
