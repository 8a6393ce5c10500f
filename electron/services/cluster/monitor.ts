import { posix } from 'node:path';
import { finishedJobStates, type Job } from '../../../shared/api/cluster';
import type { LossPoint } from '../../../shared/domain/torchtune-log';
import { parseTorchtuneLoss } from '../../../shared/domain/torchtune-log';
import type { Services } from '../services';
import { withExecutor } from './connect';
import type { Executor } from './executor';
import { getJob, listJobs, publicJob, updateJob, type JobRecord } from './jobs';
import { getProfile } from './profiles';
import { sh } from './quote';
import { plainScheduler, type RemoteState } from './sched-plain';
import { slurmScheduler } from './sched-slurm';
import { submittingHere } from './submit';
import { notify } from '../notify';

const isFinished = (j: Pick<Job, 'state'>): boolean => finishedJobStates.includes(j.state);

const schedulerFor = (j: Pick<Job, 'kind'>) => (j.kind === 'slurm' ? slurmScheduler : plainScheduler);

/** Apply a scheduler's view to a stored job; emit an event (and a notification on finish) when it changed. */
const apply = async (svc: Services, job: JobRecord, s: RemoteState): Promise<boolean> => {
  const changed =
    job.state !== s.state ||
    job.node !== s.node ||
    job.exitCode !== s.exitCode ||
    job.detail !== s.detail ||
    job.elapsedSeconds !== s.elapsedSeconds;
  if (!changed) return false;
  const wasFinished = isFinished(job);
  await updateJob(svc.workspace.engine, job.id, {
    state: s.state,
    detail: s.detail,
    node: s.node ?? job.node,
    exitCode: s.exitCode,
    startedAt: s.startedAt ?? job.startedAt,
    finishedAt: s.finishedAt ?? (isFinished(s) ? new Date().toISOString() : null),
    elapsedSeconds: s.elapsedSeconds ?? job.elapsedSeconds,
  });
  const updated = await getJob(svc.workspace.engine, job.id);
  svc.bus.emit('cluster.job', publicJob(updated));
  // a study's jobs that completed or were cancelled are told per condition by the study (study/watch.ts)
  const told = !job.labels['study'] || (s.state !== 'completed' && s.state !== 'cancelled');
  if (!wasFinished && isFinished(s) && told) {
    const exit = s.exitCode !== null && !s.detail.includes('exit code') ? ` · exit code ${s.exitCode}` : '';
    notify(svc, {
      kind: s.state === 'completed' ? 'success' : s.state === 'cancelled' ? 'info' : 'error',
      title: `Job ${s.state}: ${job.name}`,
      body: `${job.cluster} · ${s.detail}${exit}`,
      source: 'job',
      subject: job.id,
    });
  }
  return true;
};

/**
 * Reconcile every unfinished job with its cluster (after a restart this is how Valley re-attaches):
 * one connection per cluster; a cluster that cannot be reached is reported, its jobs keep their state.
 */
export const refreshJobs = async (
  svc: Services,
  passphrase?: string,
): Promise<{ cluster: string; message: string }[]> => {
  const all = await listJobs(svc.workspace.engine);
  for (const j of all.filter((x) => x.state === 'submitting' && !submittingHere.has(x.id))) {
    await apply(svc, j, {
      state: 'failed',
      detail: 'submission interrupted (Valley stopped before it was sent); submit again',
      node: null,
      exitCode: null,
      startedAt: null,
      finishedAt: null,
      elapsedSeconds: null,
    });
  }
  const open = all.filter((j) => !isFinished(j) && j.state !== 'submitting');
  const byCluster = new Map<string, JobRecord[]>();
  for (const j of open) byCluster.set(j.cluster, [...(byCluster.get(j.cluster) ?? []), j]);
  const errors: { cluster: string; message: string }[] = [];
  for (const [cluster, jobs] of byCluster) {
    try {
      const profile = await getProfile(svc.workspace.engine, cluster);
      await withExecutor(svc.host, profile, passphrase, async (ex) => {
        const plain = jobs.filter((j) => j.kind !== 'slurm');
        const slurm = jobs.filter((j) => j.kind === 'slurm');
        const states = new Map([
          ...(await plainScheduler.status(ex, plain)),
          ...(await slurmScheduler.status(ex, slurm)),
        ]);
        for (const j of jobs) {
          const s = states.get(j.remoteId ?? j.remoteDir);
          if (s) await apply(svc, j, s);
        }
      });
    } catch (error) {
      errors.push({ cluster, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return errors;
};

const readLogs = async (
  ex: Executor,
  job: JobRecord,
  bytes: number,
): Promise<{ text: string; truncated: boolean; loss: LossPoint[] }> => {
  const log = posix.join(job.remoteDir, 'train.log');
  const size = Number((await ex.exec(sh`stat -c %s ${log} 2>/dev/null || echo 0`)).stdout.trim()) || 0;
  const tail = await ex.exec(sh`tail -c ${bytes} ${log} 2>/dev/null`);
  // Only the metric lines of the whole log (and of DiskLogger's files): small even for a long run.
  const steps = await ex.exec(
    sh`cd ${job.remoteDir} && grep -h 'Step [0-9]* |' train.log output/logs/*.txt 2>/dev/null`,
  );
  const loss = parseTorchtuneLoss(steps.stdout);
  return { text: tail.stdout, truncated: size > bytes, loss: loss.length > 0 ? loss : parseTorchtuneLoss(tail.stdout) };
};

export const jobLogs = async (svc: Services, id: string, bytes: number, passphrase?: string) => {
  const job = await getJob(svc.workspace.engine, id);
  const profile = await getProfile(svc.workspace.engine, job.cluster);
  return withExecutor(svc.host, profile, passphrase, (ex) => readLogs(ex, job, bytes));
};

export const cancelJob = async (svc: Services, id: string, passphrase?: string): Promise<Job> => {
  const job = await getJob(svc.workspace.engine, id);
  if (isFinished(job)) return publicJob(job);
  const profile = await getProfile(svc.workspace.engine, job.cluster);
  await withExecutor(svc.host, profile, passphrase, async (ex) => {
    const sched = schedulerFor(job);
    await sched.cancel(ex, job);
    for (let i = 0; i < 50; i++) {
      const s = (await sched.status(ex, [job])).get(job.remoteId ?? job.remoteDir);
      if (s && (isFinished(s) || i === 49)) {
        await apply(
          svc,
          job,
          s.state === 'running' && i === 49 ? { ...s, state: 'cancelled', detail: 'cancel requested' } : s,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  return publicJob(await getJob(svc.workspace.engine, id));
};
