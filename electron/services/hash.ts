import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValleyError } from '../../shared/api';
import type { Engine } from './engine/engine';

/** The one home for SHA-256 of files (exports, manifests, uploads to clusters). */

/** SHA-256 of a file, hex, streamed. */
export const sha256File = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 << 20 })
      .on('error', reject)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')));
  });

/**
 * SHA-256 of a file that another writer is appending to: reads whatever has been written so far,
 * again and again, until `finish()` is called and the end is reached.
 */
export const followHash = (path: string): { finish(): void; result: Promise<{ sha256: string; bytes: number }> } => {
  let finished = false;
  const result = (async () => {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(4 << 20);
    let offset = 0;
    let fd: FileHandle | null = null;
    try {
      for (;;) {
        if (!fd) {
          const done = finished;
          fd = await open(path, 'r').catch(() => null);
          if (!fd) {
            if (done) throw new ValleyError('internal', `${path} was not written`, { file: path });
            await sleep(5);
            continue;
          }
        }
        const done = finished;
        const { bytesRead } = await fd.read(buf, 0, buf.length, offset);
        if (bytesRead > 0) {
          h.update(buf.subarray(0, bytesRead));
          offset += bytesRead;
        } else if (done) {
          return { sha256: h.digest('hex'), bytes: offset };
        } else {
          await sleep(5);
        }
      }
    } finally {
      await fd?.close();
    }
  })();
  result.catch(() => undefined);
  return { finish: () => void (finished = true), result };
};

/**
 * Hashes of source files kept in the workspace (`valley_file_hashes`), keyed by path, size and mtime: a dataset's
 * shards (6 GB at 1M traces) are hashed once, not on every export — the CLI's exports too, each a new process.
 * The table is created on first use (it is a cache: dropping it only costs a rehash).
 */
const ready = new WeakMap<Engine, Promise<void>>();
const inFlight = new Map<string, Promise<string>>();

const hashTable = (engine: Engine): Promise<void> => {
  let p = ready.get(engine);
  if (!p) {
    p = engine.run(
      `CREATE TABLE IF NOT EXISTS valley_file_hashes (path VARCHAR NOT NULL, bytes BIGINT NOT NULL, mtime_ms DOUBLE NOT NULL,
         sha256 VARCHAR NOT NULL, PRIMARY KEY (path, bytes, mtime_ms))`,
    );
    ready.set(engine, p);
    p.catch(() => ready.delete(engine));
  }
  return p;
};

/** A source file's SHA-256 and size (null for a path that is not an absolute path to a file). */
export const cachedFileHash = async (
  engine: Engine,
  path: string,
): Promise<{ path: string; sha256: string | null; bytes: number | null }> => {
  const st = isAbsolute(path) ? await stat(path).catch(() => null) : null;
  if (!st?.isFile()) return { path, sha256: null, bytes: null };
  await hashTable(engine);
  const key = { p: path, b: st.size, m: st.mtimeMs };
  const hit = await engine.all(
    'SELECT sha256 FROM valley_file_hashes WHERE path = $p AND bytes = $b AND mtime_ms = $m',
    key,
  );
  if (hit[0]) return { path, sha256: String(hit[0]['sha256']), bytes: st.size };
  const id = `${path}|${st.size}|${st.mtimeMs}`;
  let work = inFlight.get(id);
  if (!work) {
    work = (async () => {
      const sha = await sha256File(path);
      await engine.run('DELETE FROM valley_file_hashes WHERE path = $p', { p: path });
      await engine.run('INSERT OR REPLACE INTO valley_file_hashes VALUES ($p, $b, $m, $s)', { ...key, s: sha });
      return sha;
    })();
    inFlight.set(id, work);
    void work.finally(() => inFlight.delete(id)).catch(() => undefined);
  }
  return { path, sha256: await work, bytes: st.size };
};
