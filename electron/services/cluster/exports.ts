import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST, readManifestFile } from '../curate/manifest';

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
    const path = join(root, name, MANIFEST);
    if (!existsSync(path)) continue;
    try {
      const { manifest } = await readManifestFile(path);
      const sizes = manifest.files.filter((f) => f.format === 'torchtune').map((f) => f.size);
      if (sizes.length > 0) out.push({ dir: join(root, name), subset: manifest.recipe.subset, sizes });
    } catch {
      // an unreadable manifest is not offered; submitting its folder names the problem
    }
  }
  return out;
};
