import { readFile } from 'node:fs/promises';
import { posix, join } from 'node:path';
import { ValleyError, type Run } from '../../../shared/api';
import { finishedJobStates, type Job } from '../../../shared/api/cluster';
import { canonicalStudent } from '../../../shared/domain/students';
import type { Services } from '../services';
import { insertRun, listRuns } from '../runs/store';
import { withExecutor } from './connect';
import { getJob, publicJob, updateJob } from './jobs';
import { parseEvalAll } from '../runs/results/lcb';
import { getProfile } from './profiles';
import { sh } from './quote';

const numberOrNull = (v: string | undefined): number | null =>
  v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null;

/**
 * Pull a finished job's results home (LCB `*_eval_all.json`, logs) into the workspace's `jobs/<id>/`, and import
 * the evaluation as a run carrying the job's labels. Fetching again returns the run already imported.
 */
export const fetchJob = async (
  svc: Services,
  id: string,
  passphrase?: string,
): Promise<{ job: Job; run: Run; files: string[] }> => {
  const engine = svc.workspace.engine;
  const job = await getJob(engine, id);
  if (!finishedJobStates.includes(job.state)) {
    throw new ValleyError('conflict', `Job ${job.name} is ${job.state}; fetch its results when it has finished`, {
      field: 'job',
    });
  }
  // a training job of a train → evaluate chain: its results are its evaluation's
  const evaluation = job.labels['evaluated by'];
  if (evaluation) {
    const ev = await getJob(engine, evaluation);
    if (!finishedJobStates.includes(ev.state)) {
      throw new ValleyError(
        'conflict',
        `Job ${job.name} has ${job.state}; its evaluation ${ev.name} is ${ev.state}: fetch when it has finished`,
        { field: 'job' },
      );
    }
    return fetchJob(svc, ev.id, passphrase);
  }
  const localDir = svc.workspace.path('jobs', job.id);
  const profile = await getProfile(engine, job.cluster);
  const files = await withExecutor(svc.host, profile, passphrase, async (ex) => {
    const found = await ex.run(
      sh`cd ${job.remoteDir} && find . -maxdepth 4 -type f \\( -name '*_eval_all.json' -o -name train.log -o -name metrics.log -o -name 'slurm-*.out' \\) -size -500M`,
      'Listing the job’s results',
    );
    const rel = found
      .split('\n')
      .map((l) => l.trim().replace(/^\.\//, ''))
      .filter(Boolean);
    for (const f of rel) await ex.download(posix.join(job.remoteDir, f), join(localDir, ...f.split('/')));
    return rel;
  });
  const evalFile = files.find((f) => f.endsWith('_eval_all.json'));
  if (!evalFile) {
    const found =
      files.length > 0
        ? `found ${files.join(', ')} (fetched to ${localDir})`
        : `found nothing to fetch in ${job.remoteDir}`;
    const why =
      job.state === 'completed'
        ? 'no LiveCodeBench *_eval_all.json was written'
        : `the job ${job.state}${job.exitCode !== null ? ` with exit code ${job.exitCode}` : ''}`;
    throw new ValleyError('not_found', `Job ${job.name}: ${why}; ${found}`, { file: localDir });
  }
  const runId = `job-${job.id}`;
  const existing = (await listRuns(engine)).find((r) => r.id === runId);
  if (existing) return { job: publicJob(job), run: existing, files };
  const evalPath = join(localDir, ...evalFile.split('/'));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(evalPath, 'utf8'));
  } catch (error) {
    throw new ValleyError('bad_input', `${evalPath} is not valid JSON: ${(error as Error).message}`, {
      file: evalPath,
    });
  }
  // the results importer's LiveCodeBench reader (electron/services/runs/results/lcb.ts)
  const problems = parseEvalAll(evalPath, json);
  const labels = { ...job.labels, job: job.id, 'eval file': evalFile };
  await engine.transaction(async (s) => {
    await insertRun(
      s,
      {
        id: runId,
        name: job.name,
        student: canonicalStudent(job.labels['student'] ?? 'unknown'),
        size: numberOrNull(job.labels['size']),
        partition: job.labels['partition'] ?? job.labels['subset'] ?? '',
        seed: numberOrNull(job.labels['seed']),
        status: job.state === 'completed' ? 'done' : job.state,
        labels,
        source: `cluster:${job.cluster}`,
        isDemo: false,
      },
      problems,
    );
  });
  await updateJob(engine, job.id, { runId });
  svc.bus.emit('workspace.changed', { what: 'runs' });
  const updated = publicJob(await getJob(engine, job.id));
  svc.bus.emit('cluster.job', updated);
  const run = (await listRuns(engine)).find((r) => r.id === runId) as Run;
  return { job: updated, run, files };
};
