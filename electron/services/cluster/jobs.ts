import { ValleyError } from '../../../shared/api';
import type { ClusterKind, Job, JobState } from '../../../shared/api/cluster';
import type { Engine, Row } from '../engine/engine';

export interface JobRecord extends Job {
  /** The exact files sent (script, config), as shown before submitting. */
  files: { name: string; text: string }[];
}

const str = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));

const fromRow = (r: Row): JobRecord => ({
  id: String(r['id']),
  name: String(r['name']),
  cluster: String(r['cluster']),
  kind: String(r['kind']) as ClusterKind,
  template: String(r['template']),
  remoteId: str(r['remote_id']),
  remoteDir: String(r['remote_dir']),
  state: String(r['state']) as JobState,
  detail: String(r['detail'] ?? ''),
  node: str(r['node']),
  exitCode: r['exit_code'] === null ? null : Number(r['exit_code']),
  submittedAt: String(r['submitted_at']),
  startedAt: str(r['started_at']),
  finishedAt: str(r['finished_at']),
  elapsedSeconds: r['elapsed_seconds'] === null ? null : Number(r['elapsed_seconds']),
  labels: JSON.parse(String(r['labels'] ?? '{}')) as Record<string, string>,
  manifest: str(r['manifest']),
  runId: str(r['run_id']),
  files: JSON.parse(String(r['files'] ?? '[]')) as { name: string; text: string }[],
});

/** A job as the API shows it (without the files). */
export const publicJob = (j: JobRecord): Job => {
  const { files: _files, ...job } = j;
  return job;
};

export const insertJob = async (engine: Engine, j: JobRecord): Promise<void> => {
  await engine.run(
    `INSERT INTO valley_jobs (id, name, cluster, kind, template, remote_id, remote_dir, state, detail, node, exit_code,
       submitted_at, started_at, finished_at, elapsed_seconds, labels, manifest, run_id, files)
     VALUES ($id, $name, $cluster, $kind, $template, $remoteId, $remoteDir, $state, $detail, $node, $exitCode,
       $submittedAt, $startedAt, $finishedAt, $elapsed, $labels, $manifest, $runId, $files)`,
    {
      id: j.id,
      name: j.name,
      cluster: j.cluster,
      kind: j.kind,
      template: j.template,
      remoteId: j.remoteId,
      remoteDir: j.remoteDir,
      state: j.state,
      detail: j.detail,
      node: j.node,
      exitCode: j.exitCode,
      submittedAt: j.submittedAt,
      startedAt: j.startedAt,
      finishedAt: j.finishedAt,
      elapsed: j.elapsedSeconds,
      labels: JSON.stringify(j.labels),
      manifest: j.manifest,
      runId: j.runId,
      files: JSON.stringify(j.files),
    },
  );
};

export type JobUpdate = Partial<
  Pick<
    Job,
    'remoteId' | 'state' | 'detail' | 'node' | 'exitCode' | 'startedAt' | 'finishedAt' | 'elapsedSeconds' | 'runId'
  >
>;

const columns: Record<keyof JobUpdate, string> = {
  remoteId: 'remote_id',
  state: 'state',
  detail: 'detail',
  node: 'node',
  exitCode: 'exit_code',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  elapsedSeconds: 'elapsed_seconds',
  runId: 'run_id',
};

export const updateJob = async (engine: Engine, id: string, update: JobUpdate): Promise<void> => {
  const keys = (Object.keys(update) as (keyof JobUpdate)[]).filter((k) => update[k] !== undefined);
  if (keys.length === 0) return;
  const params: Record<string, string | number | null> = { id };
  const sets = keys.map((k) => {
    params[k] = update[k] ?? null;
    return `${columns[k]} = $${k}`;
  });
  await engine.run(`UPDATE valley_jobs SET ${sets.join(', ')}, updated_at = current_timestamp WHERE id = $id`, params);
};

export const listJobs = async (engine: Engine): Promise<JobRecord[]> =>
  (await engine.all('SELECT * FROM valley_jobs ORDER BY submitted_at DESC, name')).map(fromRow);

export const getJob = async (engine: Engine, idOrPrefix: string): Promise<JobRecord> => {
  const rows = await engine.all(
    'SELECT * FROM valley_jobs WHERE id = $q OR starts_with(id, $q) OR name = $q OR remote_id = $q',
    { q: idOrPrefix },
  );
  if (rows.length === 0)
    throw new ValleyError('not_found', `No job "${idOrPrefix}" in this workspace`, { field: 'job' });
  if (rows.length > 1)
    throw new ValleyError('conflict', `"${idOrPrefix}" matches ${rows.length} jobs; give more of the id`, {
      field: 'job',
    });
  return fromRow(rows[0] as Row);
};
