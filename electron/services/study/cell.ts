import { ValleyError, type ResponseOf } from '../../../shared/api';
import type { Study } from '../../../shared/domain/study';
import { listJobs, publicJob } from '../cluster/jobs';
import { readManifestFile } from '../curate/manifest';
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
  if (cell.manifest) {
    try {
      const read = await readManifestFile(cell.manifest);
      ({ manifest, sha256: manifestSha256 } = read);
      transforms = read.raw['transforms'] ?? null;
    } catch {
      // a manifest since deleted or broken shows as none (re-exporting the size writes it again)
    }
  }
  const run = cell.runId ? ((await listRuns(ws.engine)).find((r) => r.id === cell.runId) ?? null) : null;
  return { cell, jobs, manifest, manifestSha256, transforms, run };
};
