import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValleyError, toSafeName } from '../../../shared/api';
import { MANIFEST, readManifestFileSync } from './manifest';

/**
 * Where an export goes, and what may be replaced there. Valley only ever replaces a folder that holds a
 * manifest it wrote, and only deletes the files that manifest lists: a folder with anything else in it is
 * refused, so `--out DIR --overwrite` can never delete a file Valley did not write.
 */

/** The export folder: `--out` as given, else `exports/<subset>` with the subset name made safe (never `.` or `..`). */
export const exportDir = (workspaceDir: string, subset: string, outDir?: string): string =>
  outDir
    ? resolve(outDir)
    : join(workspaceDir, 'exports', toSafeName(subset.replace(/[^A-Za-z0-9._-]+/g, '_'), 'subset'));

/**
 * What replacing `dir` would delete: [] when it does not exist or is empty; the manifest and the files it lists
 * when it is a Valley export holding nothing else. Refuses (with the reason) in every other case.
 */
export const checkExportTarget = (dir: string, overwrite: boolean): string[] => {
  if (!existsSync(dir)) return [];
  const st = lstatSync(dir);
  if (!st.isDirectory())
    throw new ValleyError('conflict', `${dir} exists and is not a folder; choose another folder`, {
      file: dir,
      field: 'outDir',
    });
  const entries = readdirSync(dir);
  if (entries.length === 0) return [];
  if (!overwrite)
    throw new ValleyError('conflict', `${dir} exists; choose another folder or overwrite it`, {
      file: dir,
      field: 'outDir',
    });
  const manifestPath = join(dir, MANIFEST);
  let written: Set<string>;
  try {
    written = new Set(readManifestFileSync(manifestPath).manifest.files.map((f) => f.path));
  } catch {
    throw new ValleyError(
      'conflict',
      `${dir} is not a Valley export (it has no ${MANIFEST} written by Valley), so Valley will not replace it; choose a new or empty folder`,
      { file: dir, field: 'outDir' },
    );
  }
  const foreign = entries.filter((e) => {
    if (e !== MANIFEST && !written.has(e)) return true;
    return !lstatSync(join(dir, e)).isFile();
  });
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
    throw new ValleyError(
      'conflict',
      `${dir} holds files Valley did not write (${shown}), so Valley will not replace it; move them away or choose another folder`,
      { file: dir, field: 'outDir' },
    );
  }
  return entries.map((e) => join(dir, e));
};

/** Empty `dir` of what `checkExportTarget` allows and remove it (non-recursively: anything new in it stops this). */
export const clearExportTarget = async (dir: string, overwrite: boolean): Promise<void> => {
  if (!existsSync(dir)) return;
  for (const file of checkExportTarget(dir, overwrite)) await rm(file);
  await rmdir(dir);
};
