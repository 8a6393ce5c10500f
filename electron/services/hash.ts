import { createHash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValleyError } from '../../shared/api';
import type { Engine } from './engine/engine';

/** The one home for SHA-256 of files (exports, manifests, uploads to clusters). */

/**
 * SHA-256 of a file, hex: read in order into one reused 4 MB buffer. (A read stream hands out a fresh buffer per
 * chunk: hashing the 70 shards of 1.4M traces, 8.4 GB, all at once through fresh buffers took Node's RSS from ~100
 * to ~500 MB, kept after, and 10.5 CPU-s; two at a time into reused buffers, +37 MB and 7.3 CPU-s, 6.0 vs 7.5 s.)
 */
export const sha256File = async (path: string): Promise<string> => {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafeSlow(4 << 20);
  const fd = await open(path, 'r');
  try {
    for (let n = -1; n !== 0;) {
      n = (await fd.read(buf, 0, buf.length, null)).bytesRead;
      h.update(buf.subarray(0, n));
    }
  } finally {
    await fd.close();
  }
  return h.digest('hex');
};

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

/**
 * Files hashed at once: an export asks for all of its dataset's shards together (70 at 1.4M traces); read all at
 * once they held 70 buffers and competed for the disk, two at a time keep both cores busy with SHA-256.
 */
const HASHING_AT_ONCE = 2;
let hashing = 0;
const waiting: (() => void)[] = [];
const hashSlot = async <T>(work: () => Promise<T>): Promise<T> => {
  while (hashing >= HASHING_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  hashing += 1;
  try {
    return await work();
  } finally {
    hashing -= 1;
    waiting.shift()?.();
  }
};

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
      const sha = await hashSlot(() => sha256File(path));
      await engine.run('DELETE FROM valley_file_hashes WHERE path = $p', { p: path });
      await engine.run('INSERT OR REPLACE INTO valley_file_hashes VALUES ($p, $b, $m, $s)', { ...key, s: sha });
      return sha;
    })();
    inFlight.set(id, work);
    void work.finally(() => inFlight.delete(id)).catch(() => undefined);
  }
  return { path, sha256: await work, bytes: st.size };
};
