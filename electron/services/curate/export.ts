import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ValleyError,
  type DatasetInfo,
  type ExportRequest,
  type Manifest,
  type Subset,
  type Task,
} from '../../../shared/api';
import { columnsOf, literal, type Engine, type Session } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';
import { startTask, type TaskContext } from '../tasks/task-manager';
import type { Services } from '../services';
import { getSubset } from './subsets';
import { checkExportTarget, exportDir } from './export-target';
import { getDataset } from '../data/registry';
import { clearExportTarget } from './export-target';
import { createSizesTable } from './sampler';
import { getPartition } from './partitions';
import { cachedFileHash, followHash } from '../hash';
import { requireFit } from './fitness';
import { parquetSelect, torchtuneUnordered } from './export-rows';
import { orderWhileWritten } from './ordered-jsonl';

/** Run a COPY to `path`, hashing the file while DuckDB writes it (it only appends), so hashing costs little extra time. */
const writeHashed = async (s: Session, copy: string, path: string): Promise<{ sha256: string; bytes: number }> => {
  const hashing = followHash(path);
  try {
    await s.run(copy);
  } finally {
    hashing.finish();
  }
  return hashing.result;
};

/**
 * The torchtune JSONL of the first `size` positions: written unordered by DuckDB, each line read and placed by its
 * position while DuckDB writes it, then all written in order and hashed (ordered-jsonl.ts).
 */
const writeTorchtune = async (
  engine: Engine,
  s: Session,
  d: DatasetInfo,
  size: number,
  path: string,
  check: () => void,
): Promise<{ sha256: string; bytes: number }> => {
  const unordered = `${path}.unordered`;
  const rows = await torchtuneUnordered(engine, s, d, 'valley_export_ids', size);
  try {
    const { sha256, bytes } = await orderWhileWritten(
      () => s.run(`COPY (${rows}) TO ${literal(unordered)} (FORMAT JSON)`),
      unordered,
      path,
      size,
      check,
    );
    return { sha256, bytes };
  } finally {
    await rm(unordered, { force: true });
  }
};

export interface ExportJob {
  subset: Subset;
  sizes: number[];
  formats: ('torchtune' | 'parquet')[];
  dir: string;
  overwrite: boolean;
  version: string;
}

export { checkExportTarget, exportDir } from './export-target';

/**
 * Check an export request (the subset's sizes, the target folder) and start it as a background task. Returns the
 * task to follow by id; with `wait`, the finished task and its manifest.
 */
export const startExport = async (
  svc: Pick<Services, 'workspace' | 'tasks' | 'version'>,
  req: ExportRequest,
): Promise<{ task: Task; dir: string; manifest: Manifest | null }> => {
  const engine = svc.workspace.engine;
  const subset = await getSubset(engine, req.subset);
  const sizes = [...new Set(req.sizes ?? subset.spec.sizes)].sort((a, b) => a - b);
  const unknown = sizes.filter((x) => !subset.spec.sizes.includes(x));
  if (unknown.length) {
    throw new ValleyError(
      'bad_input',
      `Subset "${subset.name}" has sizes ${subset.spec.sizes.join(', ')}, not ${unknown.join(', ')}`,
      { field: 'sizes' },
    );
  }
  const dir = exportDir(svc.workspace.dir, subset.name, req.outDir);
  checkExportTarget(dir, req.overwrite);
  const job: ExportJob = {
    subset,
    sizes,
    formats: [...new Set(req.formats)],
    dir,
    overwrite: req.overwrite,
    version: svc.version,
  };
  const { task, result } = await startTask(
    svc.tasks,
    'export',
    `Export ${subset.name} (${sizes.join(', ')})`,
    (ctx) => runExport(engine, job, ctx),
    req.wait,
  );
  return { task, dir, manifest: result };
};

/** Write every size in every format into a temp folder, hash the files, write the manifest, then move it into place. */
export const runExport = (engine: Engine, job: ExportJob, ctx: TaskContext): Promise<Manifest> =>
  foregroundOf(engine).run(() => writeExport(engine, job, ctx)); // background index builds give way meanwhile

const writeExport = async (engine: Engine, job: ExportJob, ctx: TaskContext): Promise<Manifest> => {
  const { subset } = job;
  const d = await getDataset(engine, subset.spec.dataset);
  if (!d) throw new ValleyError('not_found', `No dataset named "${subset.spec.dataset}"`, { field: 'dataset' });
  const partition = subset.spec.partition ? await getPartition(engine, subset.spec.partition) : null;
  const tmp = `${job.dir}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  // the sources' hashes (cached by path, size and mtime; hashed on first use) are looked up while the rows are written
  const sources = Promise.all(d.sources.map((f) => cachedFileHash(engine, f)));
  sources.catch(() => undefined); // awaited below; an export that fails first does not wait for it
  const s: Session = await engine.session();
  const onAbort = () => s.interrupt();
  ctx.signal.addEventListener('abort', onAbort);
  try {
    ctx.checkCancelled();
    ctx.progress(0, 'choosing rows');
    const { fit } = await createSizesTable(engine, s, { ...subset.spec, sizes: job.sizes }, 'valley_export_ids');
    // nothing unfit is written: '-' or empty prompts, empty responses
    await requireFit(s, fit, 'valley_export_ids', Math.max(...job.sizes), `Export of subset "${subset.name}"`);
    // the relation's columns only for a Parquet file (a DESCRIBE less for torchtune alone)
    const columns = job.formats.includes('parquet') ? await columnsOf(s, d.relation) : new Set<string>();
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
        const { sha256, bytes } =
          format === 'torchtune'
            ? await writeTorchtune(engine, s, d, size, path, () => ctx.checkCancelled())
            : await writeHashed(
                s,
                `COPY (${parquetSelect(d.relation, columns, 'valley_export_ids', size)}) TO ${literal(path)} (FORMAT PARQUET, COMPRESSION ZSTD)`,
                path,
              );
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
        source: {
          dataset: d.name,
          relation: d.relation,
          rows: d.rows,
          files: await sources,
        },
        partition: partition && {
          name: partition.name,
          filter: partition.filter,
          matchAll: partition.matchAll,
          includes: partition.includes,
          excludes: partition.excludes,
          size: partition.size,
        },
      },
      files,
    };
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    ctx.checkCancelled();
    await clearExportTarget(job.dir, job.overwrite);
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
