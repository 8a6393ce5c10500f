import { posix } from 'node:path';
import { ValleyError } from '../../../shared/api';
import type { ClusterProfile, PreflightReport, SubmitRequest, Template } from '../../../shared/api/cluster';
import type { Services } from '../services';
import type { TaskContext } from '../tasks/task-manager';
import { openExecutor, remoteBase, withExecutor } from './connect';
import type { Executor } from './executor';
import { getJob, insertJob, publicJob, updateJob, type JobRecord } from './jobs';
import { planSubmission, type ContinueFrom, type Plan, type PlannedJob } from './plan';
import { resolveData } from './plan-data';
import { getProfile } from './profiles';
import { sh } from './quote';
import { plainScheduler } from './sched-plain';
import { slurmScheduler } from './sched-slurm';
import { loadTemplates } from './templates';
import { preflightChecks, refusal } from './preflight';

export const templatesDir = (svc: Services): string => svc.workspace.path('cluster-templates');

/** Jobs this process is submitting right now; a `submitting` job not in here was left by a Valley that stopped. */
export const submittingHere = new Set<string>();

export const findTemplate = async (svc: Services, name: string): Promise<Template> => {
  const all = await loadTemplates(templatesDir(svc));
  const t = all.find((x) => x.name === name);
  if (!t)
    throw new ValleyError('not_found', `No template "${name}" (have: ${all.map((x) => x.name).join(', ')})`, {
      field: 'template',
    });
  return t;
};

/**
 * The training job a submission continues from: its final checkpoint and, while it has not finished, its
 * scheduler id to wait for. A job that failed or was cancelled has no checkpoint to continue from.
 */
export const continueFromJob = async (
  svc: Services,
  req: SubmitRequest,
): Promise<{ from: ContinueFrom; job: JobRecord } | null> => {
  if (!req.continueFrom) return null;
  const job = await getJob(svc.workspace.engine, req.continueFrom);
  const checkpoint = job.labels['checkpoint'];
  if (!checkpoint || job.labels['trained by']) {
    throw new ValleyError(
      'bad_input',
      `Job ${job.name} is not a training job (it has no checkpoint to continue from)`,
      { field: 'continueFrom' },
    );
  }
  if (['failed', 'cancelled', 'lost'].includes(job.state)) {
    throw new ValleyError(
      'conflict',
      `Job ${job.name} ${job.state}: there is no checkpoint to continue from; run it again first`,
      { field: 'continueFrom' },
    );
  }
  if (job.cluster !== req.cluster) {
    throw new ValleyError(
      'bad_input',
      `Job ${job.name} ran on ${job.cluster}: continue from it on the same cluster, not ${req.cluster}`,
      { field: 'continueFrom' },
    );
  }
  return { from: { id: job.id, dir: job.remoteDir, checkpoint }, job };
};

/** Pre-flight a submission: connects, checks, uploads nothing. */
export const checkSubmission = async (svc: Services, req: SubmitRequest): Promise<PreflightReport> => {
  const profile = await getProfile(svc.workspace.engine, req.cluster);
  const template = await findTemplate(svc, req.template);
  const evalTemplate = req.evaluate ? await findTemplate(svc, req.evalTemplate) : null;
  const data = await resolveData(req.data);
  const from = (await continueFromJob(svc, req))?.from ?? null;
  return withExecutor(svc.host, profile, req.passphrase, (ex) =>
    preflightChecks(ex, req, profile, template, data, evalTemplate, from),
  );
};

/** Everything a submission would send, without sending it (it connects once, to learn the remote folder). */
/** The scripts a submission would write, job by job (an array's own script first), for the dialog's preview. */
export const previewJobs = async (svc: Services, req: SubmitRequest) => {
  const plan = await previewSubmission(svc, req);
  const jobs: {
    id: string | null;
    name: string;
    labels: Record<string, string>;
    files: { name: string; text: string }[];
    after: string | null;
  }[] = plan.jobs.map((j) => ({
    id: j.id,
    name: j.name,
    labels: j.labels,
    files: j.files,
    after: j.after,
  }));
  if (plan.array) {
    const tasks = plan.jobs.filter((j) => j.after === null).length;
    jobs.unshift({
      id: null,
      name: plan.array.name,
      labels: { array: String(tasks) },
      files: [{ name: 'array.sbatch', text: plan.array.text }],
      after: null,
    });
  }
  return { jobs };
};

export const previewSubmission = async (svc: Services, req: SubmitRequest): Promise<Plan> => {
  const profile = await getProfile(svc.workspace.engine, req.cluster);
  const template = await findTemplate(svc, req.template);
  const evalTemplate = req.evaluate ? await findTemplate(svc, req.evalTemplate) : null;
  const data = await resolveData(req.data);
  const from = (await continueFromJob(svc, req))?.from ?? null;
  // everything that can be refused without the cluster is refused before connecting
  planSubmission(req, profile, template, '/valley', data, evalTemplate, from);
  const base = await withExecutor(svc.host, profile, req.passphrase, (ex) => remoteBase(ex, profile));
  return planSubmission(req, profile, template, base, data, evalTemplate, from);
};

const toRecord = (p: PlannedJob, profile: ClusterProfile, template: string): JobRecord => ({
  id: p.id,
  name: p.name,
  cluster: profile.name,
  kind: profile.kind,
  template,
  remoteId: null,
  remoteDir: p.dir,
  state: 'submitting',
  detail: 'uploading',
  node: null,
  exitCode: null,
  submittedAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  elapsedSeconds: null,
  labels: p.labels,
  manifest: p.manifest,
  runId: null,
  files: p.files,
});

const isDropped = (e: unknown): boolean => !(e instanceof ValleyError) || e.code === 'unavailable';

/** Upload every distinct data file; a dropped connection is reopened and the upload resumes (3 tries). */
const uploadData = async (
  svc: Services,
  profile: ClusterProfile,
  passphrase: string | undefined,
  first: Executor,
  plan: Plan,
  ctx: TaskContext,
): Promise<Executor> => {
  let ex = first;
  const files = new Map<string, PlannedJob>();
  for (const j of plan.jobs) if (j.remoteData && j.data) files.set(j.remoteData, j);
  let i = 0;
  for (const [remote, job] of files) {
    const item = job.data as NonNullable<PlannedJob['data']>;
    for (let attempt = 1; ; attempt++) {
      try {
        await ex.upload(item.local, remote, {
          signal: ctx.signal,
          ...(item.sha256 ? { sha256: item.sha256 } : {}),
          onProgress: (done, total) =>
            ctx.progress(
              (i + done / Math.max(1, total)) / files.size,
              `Uploading ${item.subset} (${(done / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB)`,
            ),
        });
        break;
      } catch (error) {
        ctx.checkCancelled();
        if (attempt >= 3 || !isDropped(error)) throw error;
        ex.close();
        ex = await openExecutor(svc.host, profile, passphrase);
      }
    }
    i++;
  }
  return ex;
};

const writeJobFiles = async (ex: Executor, job: PlannedJob): Promise<void> => {
  await ex.run(sh`mkdir -p ${job.dir}/output ${job.dir}/results`, 'Creating the job folder');
  for (const f of job.files)
    await ex.writeFile(posix.join(job.dir, f.name), f.text, f.name.endsWith('.sh') ? 0o755 : 0o644);
};

/**
 * Several submissions over one connection (a study's cells): the caller's task, its executor (replaced when a
 * dropped connection is reopened), and the pre-flights already passed (one per template, students and evaluation).
 */
export interface SubmitSession {
  ex: Executor;
  ctx: TaskContext;
  preflighted: Set<string>;
}

/** Upload, write the job folders, submit. Jobs are in the workspace before anything remote happens. */
export const submitJobs = async (svc: Services, req: SubmitRequest, session?: SubmitSession): Promise<JobRecord[]> => {
  const engine = svc.workspace.engine;
  const profile = await getProfile(engine, req.cluster);
  const template = await findTemplate(svc, req.template);
  const evalTemplate = req.evaluate ? await findTemplate(svc, req.evalTemplate) : null;
  const data = await resolveData(req.data);
  const continued = await continueFromJob(svc, req);
  const from = continued?.from ?? null;
  planSubmission(req, profile, template, '/valley', data, evalTemplate, from);
  if (req.array && profile.kind !== 'slurm')
    throw new ValleyError('bad_input', 'Job arrays need a Slurm cluster', { field: 'array' });
  for (const id of req.jobIds ?? []) {
    if ((await engine.all('SELECT 1 FROM valley_jobs WHERE id = $id', { id })).length > 0) {
      throw new ValleyError('conflict', `Job ${id} was already submitted: preview again for a new submission`, {
        field: 'jobIds',
      });
    }
  }
  const work = async (ctx: TaskContext, s: SubmitSession): Promise<JobRecord[]> => {
    let ex = s.ex;
    const mine: string[] = [];
    try {
      const kind = JSON.stringify([
        template.name,
        req.students,
        req.evaluate && req.evalTemplate,
        req.variables,
        req.evalVariables,
      ]);
      if (!s.preflighted.has(kind)) {
        ctx.progress(null, 'Pre-flight checks');
        const report = await preflightChecks(ex, req, profile, template, data, evalTemplate, from);
        if (!report.ok) throw refusal(report);
        s.preflighted.add(kind);
      }
      const base = await remoteBase(ex, profile);
      const plan = planSubmission(req, profile, template, base, data, evalTemplate, from);
      const records = plan.jobs.map((p) => toRecord(p, profile, p.labels['template'] ?? template.name));
      for (const r of records) {
        submittingHere.add(r.id);
        mine.push(r.id);
        await insertJob(engine, r);
      }
      const fail = async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        for (const r of records) {
          if (r.remoteId)
            await updateJob(engine, r.id, {
              remoteId: r.remoteId,
              state: r.state,
              detail: r.detail,
              startedAt: r.startedAt,
            });
          else await updateJob(engine, r.id, { state: 'failed', detail: `not submitted: ${message}` });
        }
        svc.bus.emit('workspace.changed', { what: 'jobs' });
      };
      try {
        ex = await uploadData(svc, profile, req.passphrase, ex, plan, ctx);
        s.ex = ex;
        ctx.progress(null, 'Writing job folders');
        for (const j of plan.jobs) await writeJobFiles(ex, j);
        const byId = new Map(records.map((r) => [r.id, r]));
        // a continued training waits for its base job while that has not finished (a finished one may be gone from Slurm's memory)
        const base = continued ? await getJob(engine, continued.job.id) : null;
        if (base && ['failed', 'cancelled', 'lost'].includes(base.state))
          throw new ValleyError('conflict', `Job ${base.name} ${base.state} meanwhile: nothing to continue from`, {
            field: 'continueFrom',
          });
        if (base && base.state !== 'completed') byId.set(base.id, base);
        const after = (i: number) => plan.jobs[i]?.after ?? null;
        if (plan.array) {
          await ex.run(sh`mkdir -p ${plan.array.dir}`, 'Creating the array folder');
          const script = posix.join(plan.array.dir, 'array.sbatch');
          await ex.writeFile(script, plan.array.text);
          const id = await slurmScheduler.submit(ex, script, plan.array.dir);
          records
            .filter((_r, i) => after(i) === null)
            .forEach((r, i) => Object.assign(r, { remoteId: `${id}_${i}`, state: 'pending', detail: 'PENDING' }));
        }
        for (const [i, r] of records.entries()) {
          if (r.remoteId) continue;
          const dependsOn = after(i) ? (byId.get(after(i) as string)?.remoteId ?? null) : null;
          if (profile.kind === 'slurm') {
            // the evaluation starts only when its training succeeded (afterok); a failed training cancels it
            const id = await slurmScheduler.submit(
              ex,
              posix.join(r.remoteDir, 'submit.sbatch'),
              r.remoteDir,
              dependsOn,
            );
            Object.assign(r, {
              remoteId: id,
              state: 'pending',
              detail: dependsOn ? `PENDING (after ${dependsOn})` : 'PENDING',
            });
          } else {
            const id = await plainScheduler.submit(ex, r.remoteDir);
            Object.assign(r, {
              remoteId: id,
              state: 'running',
              detail: after(i) ? 'waiting for its training job' : 'running',
              startedAt: new Date().toISOString(),
            });
          }
        }
      } catch (error) {
        await fail(error);
        throw error;
      }
      for (const r of records) {
        await updateJob(engine, r.id, {
          remoteId: r.remoteId,
          state: r.state,
          detail: r.detail,
          startedAt: r.startedAt,
        });
        svc.bus.emit('cluster.job', publicJob(r));
      }
      svc.bus.emit('workspace.changed', { what: 'jobs' });
      return records;
    } finally {
      for (const id of mine) submittingHere.delete(id);
    }
  };
  if (session) return work(session.ctx, session);
  const { done } = svc.tasks.start('cluster.submit', `Submit ${req.template} to ${profile.name}`, async (ctx) => {
    const own: SubmitSession = {
      ex: await openExecutor(svc.host, profile, req.passphrase),
      ctx,
      preflighted: new Set(),
    };
    try {
      return await work(ctx, own);
    } finally {
      own.ex.close();
    }
  });
  return done;
};
