import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValleyError, manifestSchema, type Manifest } from '../../../shared/api';

/**
 * The one reader of an export's `manifest.json` (written by curate/export.ts, rewritten by study/transforms.ts):
 * every reader gets the same checks and, on a bad manifest, the same error naming the file and the field.
 */

export const MANIFEST = 'manifest.json';

export interface ManifestFile {
  /** The manifest.json read. */
  path: string;
  manifest: Manifest;
  /** The JSON as written, keys the schema does not know included (`transforms`). */
  raw: Record<string, unknown>;
  /** SHA-256 of the file's bytes: what a run's labels and a study cell's provenance record. */
  sha256: string;
}

/** Check a manifest's bytes; refused (bad_input) naming `path` and, when the schema fails, the field. */
export const parseManifest = (path: string, bytes: Buffer): ManifestFile => {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ValleyError('bad_input', `${path} is not a Valley export manifest: not JSON (${String(error)})`, {
      file: path,
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw new ValleyError(
      'bad_input',
      `${path} is not a Valley export manifest: ${field ? `${field}: ` : ''}${issue?.message ?? 'unreadable'}`,
      { file: path, field },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { path, manifest: parsed.data, raw: raw as Record<string, unknown>, sha256 };
};

const missing = (path: string): ValleyError =>
  new ValleyError('not_found', `${path} does not exist: export the subset first`, { file: path });

/** Read and check the manifest at `path` (a manifest.json). */
export const readManifestFile = async (path: string): Promise<ManifestFile> => {
  if (!existsSync(path)) throw missing(path);
  return parseManifest(path, await readFile(path));
};

/** As readManifestFile, for the few callers that cannot wait (a study's status, an export target's check). */
export const readManifestFileSync = (path: string): ManifestFile => {
  if (!existsSync(path)) throw missing(path);
  return parseManifest(path, readFileSync(path));
};

/** The manifest Valley wrote in an export folder; refused, naming the file, when there is none or it is not one. */
export const readManifest = async (dir: string): Promise<Manifest> => {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new ValleyError('not_found', `${dir} holds no export (no ${MANIFEST})`, { file: path });
  return (await readManifestFile(path)).manifest;
};
