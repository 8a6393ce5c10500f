import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ValleyError } from '../../../shared/api';
import { MANIFEST, readManifestFile } from '../curate/manifest';

/** One training file of a sweep: a JSONL file, from an export's manifest or given directly. */
export interface DataItem {
  subset: string;
  size: number | null;
  rows: number;
  local: string;
  sha256: string | null;
  manifest: string | null;
  /** From the manifest: teacher dataset, partition the subset was drawn from, the subset's seed, the manifest's SHA-256. */
  dataset: string | null;
  partition: string | null;
  subsetSeed: number | null;
  manifestSha256: string | null;
}

const countLines = (path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    let n = 0;
    let last = 10;
    createReadStream(path)
      .on('error', reject)
      .on('data', (d: Buffer | string) => {
        const b = typeof d === 'string' ? Buffer.from(d) : d;
        for (const c of b) if (c === 10) n++;
        if (b.length > 0) last = b[b.length - 1] as number;
      })
      .on('end', () => resolve(n + (last === 10 ? 0 : 1)));
  });

/** JSONL files or export folders (manifest.json) → the sweep's training files. */
export const resolveData = async (paths: readonly string[]): Promise<DataItem[]> => {
  const items: DataItem[] = [];
  for (const p of paths) {
    if (!existsSync(p))
      throw new ValleyError('not_found', `Training data ${p} does not exist`, { file: p, field: 'data' });
    if (statSync(p).isDirectory()) {
      const mpath = join(p, MANIFEST);
      if (!existsSync(mpath))
        throw new ValleyError('bad_input', `${p} has no ${MANIFEST}: export the subset first, or give a JSONL file`, {
          file: p,
          field: 'data',
        });
      const { manifest, sha256: manifestSha256 } = await readManifestFile(mpath);
      const files = manifest.files.filter((f) => f.format === 'torchtune');
      if (files.length === 0)
        throw new ValleyError('bad_input', `${mpath} lists no torchtune JSONL file`, { file: mpath });
      const { spec } = manifest.recipe;
      for (const f of files) {
        items.push({
          subset: manifest.recipe.subset,
          size: f.size,
          rows: f.rows,
          local: join(p, f.path),
          sha256: f.sha256,
          manifest: mpath,
          dataset: spec.dataset,
          partition: spec.partition,
          subsetSeed: spec.seed,
          manifestSha256,
        });
      }
    } else {
      const rows = await countLines(p);
      items.push({
        subset: basename(p).replace(/\.jsonl?$/i, ''),
        size: rows,
        rows,
        local: p,
        sha256: null,
        manifest: null,
        dataset: null,
        partition: null,
        subsetSeed: null,
        manifestSha256: null,
      });
    }
  }
  return items;
};
