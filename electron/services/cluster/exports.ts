import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSchema } from '../../../shared/api/curate';

export interface ExportedSubset {
  dir: string;
  subset: string;
  sizes: number[];
}

/** Subset exports in the workspace's `exports/` folder that a submission can train on (torchtune JSONL + manifest). */
export const listExports = async (workspaceDir: string): Promise<ExportedSubset[]> => {
  const root = join(workspaceDir, 'exports');
  if (!existsSync(root)) return [];
  const out: ExportedSubset[] = [];
  for (const name of (await readdir(root)).sort()) {
    const manifest = join(root, name, 'manifest.json');
    if (!existsSync(manifest)) continue;
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(await readFile(manifest, 'utf8')));
      if (!parsed.success) continue;
      const sizes = parsed.data.files.filter((f) => f.format === 'torchtune').map((f) => f.size);
      if (sizes.length > 0) out.push({ dir: join(root, name), subset: parsed.data.recipe.subset, sizes });
    } catch {
      // an unreadable manifest is not offered; submitting its folder names the problem
    }
  }
  return out;
};
