import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ValleyError, manifestSchema, type ResponseOf } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import { listJobs, publicJob } from '../cluster/jobs';
import { listRuns } from '../runs/store';
import type { Workspace } from '../workspace/workspace';
import { studyStatus } from './state';

/** A cell's provenance: state → job chain → the manifest it trained on (hashes, transforms) → its run. */
export const cellProvenance = async (
  ws: Workspace,
  study: Study,
  cellId: string,
): Promise<ResponseOf<'study.cell'>> => {
  const status = await studyStatus(ws, study);
  const cell = status.cells.find((c) => c.id === cellId);
  if (!cell) throw new ValleyError('not_found', `Study ${study.name} has no cell "${cellId}"`, { field: 'cell' });
  const ids = [cell.trainJob, cell.evalJob].filter((x): x is string => x !== null);
  const jobs = (await listJobs(ws.engine)).filter((j) => ids.includes(j.id)).map(publicJob);
  jobs.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  let manifest = null;
  let manifestSha256 = null;
  let transforms: unknown = null;
  if (cell.manifest && existsSync(cell.manifest)) {
    const bytes = await readFile(cell.manifest);
    const raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const parsed = manifestSchema.safeParse(raw);
    manifest = parsed.success ? parsed.data : null;
    manifestSha256 = createHash('sha256').update(bytes).digest('hex');
    transforms = raw['transforms'] ?? null;
  }
  const run = cell.runId ? ((await listRuns(ws.engine)).find((r) => r.id === cell.runId) ?? null) : null;
  return { cell, jobs, manifest, manifestSha256, transforms, run };
};
