import { randomBytes } from 'node:crypto';
import { basename, posix } from 'node:path';
import { ValleyError } from '../../../shared/api';
import type { StudentSpec } from '../../../shared/domain/students';
import type { ClusterProfile, SubmitRequest, Template } from '../../../shared/api/cluster';
import { jobWrapper, sbatchArray, sbatchSingle } from './scripts';
import { lcbVars, resolveStudent, slug, studentStructured, studentVars, trainingVars } from './plan-vars';
import type { DataItem } from './plan-data';
import { isTraining, renderFiles, slurmResources } from './plan-render';

export interface PlannedJob {
  id: string;
  name: string;
  dir: string;
  labels: Record<string, string>;
  vars: Record<string, string>;
  data: DataItem | null;
  remoteData: string | null;
  manifest: string | null;
  /** Files to write into the job folder: the template's, filled, and job.sh (and submit.sbatch on Slurm). */
  files: { name: string; text: string }[];
  /** The training job this evaluation starts after (when it succeeds). */
  after: string | null;
}

/** A training job to continue from: its folder, and the final checkpoint the new training starts from. */
export interface ContinueFrom {
  id: string;
  dir: string;
  checkpoint: string;
}

/** Where a training job's final checkpoint is: torchtune writes `<output_dir>/epoch_<epochs-1>/`. */
export const finalCheckpoint = (vars: Readonly<Record<string, string>>, dir: string): string =>
  posix.join(
    vars['output_dir'] ?? posix.join(dir, 'output'),
    `epoch_${Math.max(0, Number(vars['epochs'] ?? '1') - 1)}`,
  );

export interface Plan {
  jobs: PlannedJob[];
  /** The job-array script and its folder, when the sweep is one Slurm array. */
  array: { dir: string; text: string; name: string } | null;
}

const newJobId = (): string =>
  `${new Date().toISOString().slice(2, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;

/** Labels that put a run on the Analysis fit with no typing: student series, teacher data, subset, size, partition, seed, manifest. */
const dataLabels = (item: DataItem): Record<string, string> => {
  const out: Record<string, string> = { subset: item.subset, size: String(item.size ?? item.rows) };
  if (item.dataset) out['dataset'] = item.dataset;
  if (item.partition) out['partition'] = item.partition;
  if (item.subsetSeed !== null) out['subset seed'] = String(item.subsetSeed);
  if (item.manifestSha256) out['manifest sha256'] = item.manifestSha256;
  return out;
};

/**
 * Expand a submission into jobs (subsets × students × seeds), with every file filled in; with `evaluate`, each
 * training job is followed by a LiveCodeBench evaluation of its final checkpoint. Pure: touches no cluster.
 */
export const planSubmission = (
  req: SubmitRequest,
  profile: ClusterProfile,
  template: Template,
  base: string,
  data: readonly DataItem[],
  evalTemplate: Template | null = null,
  from: ContinueFrom | null = null,
): Plan => {
  const needsData = template.files.some((f) => /\{\{\s*data_file\s*\}\}/.test(f.text));
  if (needsData && data.length === 0)
    throw new ValleyError('bad_input', `Template ${template.name} trains on data: give at least one subset`, {
      field: 'data',
    });
  const slurm = profile.kind === 'slurm';
  const training = isTraining(template);
  const chained = training && req.evaluate;
  if (from && !training)
    throw new ValleyError(
      'bad_input',
      `Template ${template.name} does not train: only a training can continue from a checkpoint`,
      { field: 'continueFrom' },
    );
  if (from && req.array)
    throw new ValleyError(
      'bad_input',
      'A sweep that continues from a checkpoint waits for its training job: submit it without a job array',
      { field: 'array' },
    );
  if (chained && !evalTemplate)
    throw new ValleyError('not_found', `No evaluation template "${req.evalTemplate}"`, { field: 'evalTemplate' });
  const students = req.students.map((s) => resolveStudent(s, req.studentSpecs));
  const items: (DataItem | null)[] = data.length > 0 ? [...data] : [null];
  const jobs: PlannedJob[] = [];
  const nextId = (): string => req.jobIds?.[jobs.length] ?? newJobId();
  for (const item of items) {
    for (const student of students) {
      for (const seed of req.seeds) {
        const id = nextId();
        const dir = posix.join(base, 'jobs', id);
        const parts = [
          item ? `${slug(item.subset)}-${item.size ?? item.rows}` : null,
          slug(student.id.split('/').pop() ?? student.id),
          `s${seed}`,
        ]
          .filter(Boolean)
          .join('-');
        const name = `${template.name}-${parts}`;
        // files with a known hash are stored by content: two exports of one subset (say, with and without think
        // tags) never overwrite each other, and a file a queued job will read is never replaced
        const remoteData = item
          ? posix.join(
              base,
              'data',
              item.subset,
              ...(item.sha256 ? [item.sha256.slice(0, 12)] : []),
              basename(item.local),
            )
          : null;
        const vars: Record<string, string> = { ...template.variables, ...req.variables };
        const modelsDir = vars['models_dir'] ?? 'models';
        Object.assign(
          vars,
          studentVars(student, modelsDir.startsWith('/') ? modelsDir : posix.join(base, modelsDir)),
          req.variables,
        );
        if (training && slurm === false && Number(vars['nodes'] ?? '1') > 1)
          throw new ValleyError('bad_input', 'Training on more than one node needs a Slurm cluster', {
            field: 'variables.nodes',
          });
        Object.assign(vars, {
          job_id: id,
          job_name: name,
          job_dir: dir,
          output_dir: posix.join(dir, 'output'),
          data_file: remoteData ?? '',
          subset: item?.subset ?? '',
          size: item ? String(item.size ?? item.rows) : '',
          student: student.id,
          seed: String(seed),
          setup: profile.setup,
          // one `tune run` per node (srun: one task per node), meeting at the first node's rendezvous endpoint
          launcher: slurm ? 'srun --ntasks-per-node=1 --kill-on-bad-exit=1' : '',
          rdzv:
            slurm && vars['nodes'] !== '1'
              ? '--rdzv-backend c10d --rdzv-id "$SLURM_JOB_ID" --rdzv-endpoint "$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1):29500"'
              : '',
        });
        if (vars['batch_size'] && vars['effective_batch'])
          Object.assign(vars, trainingVars(vars, item?.rows ?? 0), req.variables);
        if (training && Number(vars['total_steps']) === 0 && item) {
          throw new ValleyError(
            'bad_input',
            `${item.subset} (${item.rows} rows) gives 0 optimizer steps on ${vars['gpus']} GPU(s) × ${vars['nodes']} node(s) with batch ${vars['batch_size']} × ${vars['grad_accum']} accumulation: lower effective_batch`,
            { field: 'variables.effective_batch' },
          );
        }
        if (template.files.some((f) => /\{\{\s*tensor_parallel\s*\}\}/.test(f.text))) {
          const own = vars['model_path'] || vars['model_dir'] || '';
          Object.assign(vars, lcbVars(student, vars, profile, own));
        }
        const files = renderFiles(template, vars, studentStructured(student, vars), from?.checkpoint ?? null);
        // on a plain host the continued training waits for its base job's exit code (Slurm: afterok)
        files.push({ name: 'job.sh', text: jobWrapper(dir, vars, from && !slurm ? from.dir : null) });
        if (slurm && !req.array)
          files.push({
            name: 'submit.sbatch',
            text: sbatchSingle(slurmResources(profile, vars, `valley-${name}`, dir, 'slurm-%j.out')),
          });
        const labels: Record<string, string> = {
          ...req.labels,
          template: template.name,
          student: student.id,
          seed: String(seed),
          cluster: profile.name,
        };
        // a partition the request names wins over the data's (a study labels each condition apart)
        if (item)
          Object.assign(
            labels,
            dataLabels(item),
            req.labels['partition'] ? { partition: req.labels['partition'] } : {},
          );
        if (training) labels['checkpoint'] = finalCheckpoint(vars, dir);
        if (from) Object.assign(labels, { 'continued from': from.id, 'base checkpoint': from.checkpoint });
        // an evaluation of the student's own folder is its untrained baseline (size 0 on the fit)
        else if (!training && !req.variables['model_path'] && !labels['size']) labels['size'] = '0';
        const job: PlannedJob = {
          id,
          name,
          dir,
          labels,
          vars,
          data: item,
          remoteData,
          manifest: item?.manifest ?? null,
          files,
          after: from?.id ?? null,
        };
        jobs.push(job);
        if (chained && evalTemplate)
          jobs.push(planEvaluation(req, profile, evalTemplate, base, job, student, nextId()));
      }
    }
  }
  if (req.jobIds && req.jobIds.length !== jobs.length) {
    throw new ValleyError(
      'bad_input',
      `The preview had ${req.jobIds.length} jobs, this submission has ${jobs.length}: preview again`,
      { field: 'jobIds' },
    );
  }
  let array: Plan['array'] = null;
  const arrayJobs = jobs.filter((j) => j.after === null);
  if (slurm && req.array && arrayJobs.length > 0) {
    const first = arrayJobs[0] as PlannedJob;
    const dir = posix.join(base, 'jobs', `array-${first.id}`);
    const name = `valley-${template.name}-sweep-${arrayJobs.length}`;
    array = {
      dir,
      name,
      text: sbatchArray(
        slurmResources(profile, first.vars, name, dir, 'slurm-%A_%a.out'),
        arrayJobs.map((j) => j.dir),
      ),
    };
  }
  return { jobs, array };
};

/** The evaluation that follows a training job: LiveCodeBench on its final checkpoint (epoch_<epochs-1>), same labels. */
const planEvaluation = (
  req: SubmitRequest,
  profile: ClusterProfile,
  t: Template,
  base: string,
  train: PlannedJob,
  student: StudentSpec,
  id: string,
): PlannedJob => {
  const dir = posix.join(base, 'jobs', id);
  const name = `${t.name}-${train.name.replace(/^[^-]+-[^-]+-/, '')}`;
  const checkpoint = finalCheckpoint(train.vars, train.dir);
  const vars: Record<string, string> = { ...t.variables, ...req.evalVariables };
  Object.assign(vars, studentVars(student, train.vars['model_dir'] ? posix.dirname(train.vars['model_dir']) : base), {
    job_id: id,
    job_name: name,
    job_dir: dir,
    output_dir: posix.join(dir, 'output'),
    data_file: '',
    subset: train.vars['subset'] ?? '',
    size: train.vars['size'] ?? '',
    seed: train.vars['seed'] ?? '0',
    setup: profile.setup,
    launcher: '',
    rdzv: '',
    after_job: train.id,
  });
  Object.assign(vars, lcbVars(student, vars, profile, vars['model_path'] || checkpoint));
  const files = renderFiles(t, vars, studentStructured(student, vars));
  files.push({ name: 'job.sh', text: jobWrapper(dir, vars, profile.kind === 'slurm' ? null : train.dir) });
  if (profile.kind === 'slurm')
    files.push({
      name: 'submit.sbatch',
      text: sbatchSingle(slurmResources(profile, vars, `valley-${name}`, dir, 'slurm-%j.out')),
    });
  const labels = { ...train.labels, template: t.name, 'trained by': train.id, checkpoint };
  train.labels['evaluated by'] = id;
  return {
    id,
    name,
    dir,
    labels,
    vars,
    data: null,
    remoteData: null,
    manifest: train.manifest,
    files,
    after: train.id,
  };
};
