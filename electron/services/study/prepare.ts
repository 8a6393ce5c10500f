import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { ValleyError, type Subset } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import { expandStudy, type ExportRecipe, type StudyCell } from '../../../shared/domain/study-expand';
import type { TransformRecord } from '../../../shared/domain/study-transforms';
import type { Services } from '../services';
import type { TaskContext } from '../tasks/task-manager';
import { getSubset, saveSubset } from '../curate/subsets';
import { runExport } from '../curate/export';
import { ensureStudyPartitions } from './plan';
import { exportedFile, studyExportDir } from './state';
import { transformExport, type StudentTokenizer } from './transforms';
import { checkThinkTokens, studyTokenizer } from './tokenizers';
import { subsetSpecOf } from './volume';

/** Save each of the study's subset recipes (widening a saved recipe's sizes when the study needs more). */
const ensureSubsets = async (svc: Services, study: Study): Promise<Map<string, Subset>> => {
  const engine = svc.workspace.engine;
  const out = new Map<string, Subset>();
  for (const r of expandStudy(study).subsets) {
    const old = await getSubset(engine, r.name).catch(() => null);
    const sizes = [...new Set([...(old?.spec.sizes ?? []), ...r.sizes])].sort((a, b) => a - b);
    const spec = { ...subsetSpecOf(r), sizes };
    if (!old || old.spec.sizes.length !== sizes.length) {
      await saveSubset(engine, r.name, spec, true);
      svc.bus.emit('workspace.changed', { what: 'subsets' });
    }
    out.set(r.id, await getSubset(engine, r.name));
  }
  return out;
};

/** Export one size of a recipe into its folder (written beside it, transformed, then moved into place). */
const exportOne = async (
  svc: Services,
  study: Study,
  e: ExportRecipe,
  subset: Subset,
  size: number,
  ctx: TaskContext,
  tokenizers: Map<string, StudentTokenizer>,
): Promise<TransformRecord> => {
  const dir = studyExportDir(svc.workspace, e.id, size);
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await runExport(
      svc.workspace.engine,
      { subset, sizes: [size], formats: ['torchtune'], dir: tmp, overwrite: false, version: svc.version },
      ctx,
    );
    const tokenizer = e.tokenizer
      ? { ...(await studyTokenizer(study, e.tokenizer, tokenizers)), student: e.tokenizer }
      : null;
    const record = await transformExport(tmp, {
      stripThink: e.stripThink,
      overlong: e.overlong,
      maxSeqLen: e.maxSeqLen,
      tokenizer,
    });
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return record;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
};

/**
 * Everything local a study's cells need: partitions from presets, subsets, and one export per recipe and size
 * (identical recipes are made once and reused by every cell and study that needs them). Returns the cells'
 * export folders.
 */
export const prepareStudy = async (
  svc: Services,
  study: Study,
  cells: readonly StudyCell[],
  ctx: TaskContext,
): Promise<Map<string, string>> => {
  const x = expandStudy(study);
  const tokenizers = new Map<string, StudentTokenizer>();
  await checkThinkTokens(study, tokenizers);
  ctx.progress(null, 'Partitions and subsets');
  await ensureStudyPartitions(svc.workspace.engine, study);
  const subsets = await ensureSubsets(svc, study);
  const wanted = new Map<string, { e: ExportRecipe; size: number }>();
  for (const c of cells) {
    const e = x.exports.find((r) => r.id === c.export);
    if (e) wanted.set(`${e.id}-${c.size}`, { e, size: c.size });
  }
  const dirs = new Map<string, string>();
  let i = 0;
  for (const [key, { e, size }] of wanted) {
    ctx.checkCancelled();
    if (!exportedFile(svc.workspace, e.id, size)) {
      ctx.progress(i / wanted.size, `Exporting ${key}`);
      const subset = [...subsets.values()].find((s) => s.name === x.subsets.find((r) => r.id === e.subset)?.name);
      if (!subset) throw new ValleyError('internal', `No subset for export ${e.id}`);
      await exportOne(svc, study, e, subset, size, ctx, tokenizers);
    }
    dirs.set(key, studyExportDir(svc.workspace, e.id, size));
    i++;
  }
  return dirs;
};
