import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ValleyError, type Manifest, type Subset } from '../../../shared/api';
import { columnsOf, ident, literal, type Engine, type Session } from '../engine/engine';
import type { TaskContext } from '../tasks/task-manager';
import { getDataset } from '../data/registry';
import { createOrderTable } from './sampler';
import { getPartition } from './partitions';

export const sha256File = (path: string): Promise<string> =>
  new Promise((done, fail) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', fail)
      .on('end', () => done(h.digest('hex')));
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

const sourceHashCache = new Map<string, string>();
const hashSource = async (path: string): Promise<{ path: string; sha256: string | null; bytes: number | null }> => {
  if (!isAbsolute(path) || !existsSync(path)) return { path, sha256: null, bytes: null };
  const st = await stat(path);
  if (!st.isFile()) return { path, sha256: null, bytes: null };
  const key = `${path}|${st.size}|${st.mtimeMs}`;
  let sha = sourceHashCache.get(key);
  if (!sha) {
    sha = await sha256File(path);
    sourceHashCache.set(key, sha);
  }
  return { path, sha256: sha, bytes: st.size };
};

/** torchtune's chat format ("openai" conversation style): the user asks the question, the assistant answers with the whole trace. */
export const torchtuneSelect = (relation: string, idsTable: string, size: number): string =>
  `SELECT [{'role': 'user', 'content': coalesce(question, '')}, {'role': 'assistant', 'content': coalesce(response, '')}] AS messages
     FROM ${ident(relation)} WHERE row_id IN (SELECT row_id FROM ${idsTable} WHERE pos < ${size})`;

/** Every trace column but the stored question preview (a display aid; `columns` is the relation's own). */
export const parquetSelect = (relation: string, columns: ReadonlySet<string>, idsTable: string, size: number): string =>
  `SELECT * ${columns.has('question_preview') ? 'EXCLUDE (question_preview) ' : ''}FROM ${ident(relation)}
     WHERE row_id IN (SELECT row_id FROM ${idsTable} WHERE pos < ${size})`;

export interface ExportJob {
  subset: Subset;
  sizes: number[];
  formats: ('torchtune' | 'parquet')[];
  dir: string;
  overwrite: boolean;
  version: string;
}

export const exportDir = (workspaceDir: string, subset: string, outDir?: string): string =>
  outDir ? resolve(outDir) : join(workspaceDir, 'exports', subset.replace(/[^A-Za-z0-9._-]+/g, '_'));

export const checkExportTarget = (dir: string, overwrite: boolean): void => {
  if (existsSync(dir) && !overwrite) {
    throw new ValleyError('conflict', `${dir} exists; choose another folder or overwrite it`, { file: dir, field: 'outDir' });
  }
};

/** Write every size in every format into a temp folder, hash the files, write the manifest, then move it into place. */
export const runExport = async (engine: Engine, job: ExportJob, ctx: TaskContext): Promise<Manifest> => {
  const { subset } = job;
  const d = await getDataset(engine, subset.spec.dataset);
  if (!d) throw new ValleyError('not_found', `No dataset named "${subset.spec.dataset}"`, { field: 'dataset' });
  const partition = subset.spec.partition ? await getPartition(engine, subset.spec.partition) : null;
  const tmp = `${job.dir}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  const s: Session = await engine.session();
  const onAbort = () => s.interrupt();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    ctx.checkCancelled();
    ctx.progress(0, 'choosing rows');
    await createOrderTable(engine, s, { ...subset.spec, sizes: job.sizes }, 'valley_export_ids');
    const columns = await columnsOf(s, d.relation);
    ctx.checkCancelled();
    const steps = job.sizes.length * job.formats.length;
    const files: Manifest['files'] = [];
    let done = 0;
    for (const size of job.sizes) {
      for (const format of job.formats) {
        ctx.checkCancelled();
        const name = `train-${size}.${format === 'torchtune' ? 'jsonl' : 'parquet'}`;
        ctx.progress(done / steps, `writing ${name}`);
        const path = join(tmp, name);
        const select =
          format === 'torchtune' ? torchtuneSelect(d.relation, 'valley_export_ids', size) : parquetSelect(d.relation, columns, 'valley_export_ids', size);
        const options = format === 'torchtune' ? '(FORMAT JSON)' : '(FORMAT PARQUET, COMPRESSION ZSTD)';
        // hash the file while DuckDB writes it (it only appends), so hashing costs little extra time
        const hashing = followHash(path);
        try {
          await s.run(`COPY (${select}) TO ${literal(path)} ${options}`);
        } finally {
          hashing.finish();
        }
        const { sha256, bytes } = await hashing.result;
        files.push({ path: name, format, size, rows: size, bytes, sha256 });
        done++;
      }
    }
    ctx.progress(1, 'hashing sources');
    const manifest: Manifest = {
      valley: job.version,
      recipe: {
        subset: subset.name,
        spec: subset.spec,
        source: { dataset: d.name, relation: d.relation, rows: d.rows, files: await Promise.all(d.sources.map(hashSource)) },
        partition: partition && { name: partition.name, filter: partition.filter, matchAll: partition.matchAll, includes: partition.includes, excludes: partition.excludes, size: partition.size },
      },
      files,
    };
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    ctx.checkCancelled();
    if (existsSync(job.dir)) {
      if (!job.overwrite) throw new ValleyError('conflict', `${job.dir} exists`, { file: job.dir });
      await rm(job.dir, { recursive: true, force: true });
    }
    await rename(tmp, job.dir);
    return manifest;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    s.close();
  }
};
