import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { ValleyError } from '../../../shared/api';
import type { ClusterProfile, SubmitRequest, Template } from '../../../shared/api/cluster';
import { manifestSchema } from '../../../shared/api/curate';
import { renderTemplate } from './templates';
import { studentPresets } from './template-defaults';
import { jobWrapper, sbatchArray, sbatchSingle, type SlurmResources } from './scripts';

/** One training file of a sweep: a JSONL file, from an export's manifest or given directly. */
export interface DataItem {
  subset: string;
  size: number | null;
  rows: number;
  local: string;
  sha256: string | null;
  manifest: string | null;
}

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
}

export interface Plan {
  jobs: PlannedJob[];
  /** The job-array script and its folder, when the sweep is one Slurm array. */
  array: { dir: string; text: string; name: string } | null;
}

const countLines = (path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    let n = 0;
    let last = 10;
    createReadStream(path)
      .on('error', reject)
      .on('data', (d: Buffer | string) => {
        const b = typeof d === 'string' ? Buffer.from(d) : d;
        for (const c of b) if (c === 10) n++;
        if (b.length > 0) last = b[b.length - 1] as number;
      })
      .on('end', () => resolve(n + (last === 10 ? 0 : 1)));
  });

/** JSONL files or export folders (manifest.json) → the sweep's training files. */
export const resolveData = async (paths: readonly string[]): Promise<DataItem[]> => {
  const items: DataItem[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new ValleyError('not_found', `Training data ${p} does not exist`, { file: p, field: 'data' });
    if (statSync(p).isDirectory()) {
      const mpath = join(p, 'manifest.json');
      if (!existsSync(mpath)) throw new ValleyError('bad_input', `${p} has no manifest.json: export the subset first, or give a JSONL file`, { file: p, field: 'data' });
      const parsed = manifestSchema.safeParse(JSON.parse(await readFile(mpath, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ValleyError('bad_input', `${mpath}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a manifest'}`, { file: mpath, field: issue?.path.join('.') });
      }
      const files = parsed.data.files.filter((f) => f.format === 'torchtune');
      if (files.length === 0) throw new ValleyError('bad_input', `${mpath} lists no torchtune JSONL file`, { file: mpath });
      for (const f of files) {
        items.push({ subset: parsed.data.recipe.subset, size: f.size, rows: f.rows, local: join(p, f.path), sha256: f.sha256, manifest: mpath });
      }
    } else {
      const rows = await countLines(p);
      items.push({ subset: basename(p).replace(/\.jsonl?$/i, ''), size: rows, rows, local: p, sha256: null, manifest: null });
    }
  }
  return items;
};

const slug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'x';
const newJobId = (): string => `${new Date().toISOString().slice(2, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
const intVar = (vars: Record<string, string>, name: string): number => {
  const v = Number(vars[name]);
  if (!Number.isInteger(v) || v < 0) throw new ValleyError('bad_input', `Variable ${name} must be a whole number, not "${vars[name] ?? ''}"`, { field: `variables.${name}` });
  return v;
};

/** Batch arithmetic of the seed study: effective batch = batch_size × grad_accum × GPUs × nodes. */
const trainingVars = (vars: Record<string, string>, rows: number): Record<string, string> => {
  const gpus = Math.max(1, intVar(vars, 'gpus'));
  const nodes = Math.max(1, intVar(vars, 'nodes'));
  const batch = Math.max(1, intVar(vars, 'batch_size'));
  const effective = intVar(vars, 'effective_batch');
  const perStep = batch * gpus * nodes;
  const accum = vars['grad_accum'] ? intVar(vars, 'grad_accum') : effective / perStep;
  if (!Number.isInteger(accum) || accum < 1) {
    throw new ValleyError('bad_input', `Effective batch ${effective} is not a multiple of batch_size × GPUs × nodes = ${perStep}`, { field: 'variables.effective_batch' });
  }
  const epochs = Math.max(1, intVar(vars, 'epochs'));
  const total = Math.ceil(rows / (perStep * accum)) * epochs;
  const warmup = Math.ceil(Number(vars['warmup_ratio'] ?? '0') * total);
  return { grad_accum: String(accum), effective_batch: String(perStep * accum), total_steps: String(total), warmup_steps: String(warmup) };
};

const studentVars = (student: string, modelsDir: string): Record<string, string> => {
  const preset = studentPresets[student] ?? {};
  const modelDir = posix.join(modelsDir, slug(student));
  const merges = preset['tokenizer_merges'];
  return {
    model_component: preset['model_component'] ?? '',
    tokenizer_component: preset['tokenizer_component'] ?? '',
    model_type: preset['model_type'] ?? '',
    checkpoint_shards: preset['checkpoint_shards'] ?? '00001',
    model_dir: modelDir,
    tokenizer_path: posix.join(modelDir, preset['tokenizer_file'] ?? 'tokenizer.json'),
    tokenizer_extra: merges ? `  merges_file: ${JSON.stringify(posix.join(modelDir, merges))}` : '',
  };
};

/** Expand a submission into jobs (subsets × students × seeds), with every file filled in. Pure: touches no cluster. */
export const planSubmission = (req: SubmitRequest, profile: ClusterProfile, template: Template, base: string, data: readonly DataItem[]): Plan => {
  const needsData = template.files.some((f) => /\{\{\s*data_file\s*\}\}/.test(f.text));
  if (needsData && data.length === 0) throw new ValleyError('bad_input', `Template ${template.name} trains on data: give at least one subset`, { field: 'data' });
  const slurm = profile.kind === 'slurm';
  const items: (DataItem | null)[] = data.length > 0 ? [...data] : [null];
  const jobs: PlannedJob[] = [];
  for (const item of items) {
    for (const student of req.students) {
      for (const seed of req.seeds) {
        const id = req.jobIds?.[jobs.length] ?? newJobId();
        const dir = posix.join(base, 'jobs', id);
        const name = [template.name, item ? `${slug(item.subset)}-${item.size ?? item.rows}` : null, slug(student.split('/').pop() ?? student), `s${seed}`].filter(Boolean).join('-');
        const remoteData = item ? posix.join(base, 'data', item.subset, basename(item.local)) : null;
        const vars: Record<string, string> = { ...template.variables, ...req.variables };
        const modelsDir = vars['models_dir'] ?? 'models';
        Object.assign(vars, studentVars(student, modelsDir.startsWith('/') ? modelsDir : posix.join(base, modelsDir)), req.variables);
        Object.assign(vars, {
          job_id: id, job_name: name, job_dir: dir, output_dir: posix.join(dir, 'output'), data_file: remoteData ?? '',
          subset: item?.subset ?? '', size: item ? String(item.size ?? item.rows) : '', student, seed: String(seed), setup: profile.setup,
          launcher: slurm ? 'srun --ntasks-per-node=1 --kill-on-bad-exit=1' : '',
          rdzv: slurm && vars['nodes'] !== '1' ? '--rdzv-backend c10d --rdzv-endpoint "$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n1):29500"' : '',
        });
        if (vars['batch_size'] && vars['effective_batch']) Object.assign(vars, trainingVars(vars, item?.rows ?? 0), req.variables);
        const files = template.files.map((f) => ({ name: f.name, text: renderTemplate(f.name, f.text, vars) }));
        files.push({ name: 'job.sh', text: jobWrapper(dir, vars) });
        if (slurm && !req.array) files.push({ name: 'submit.sbatch', text: sbatchSingle(slurmResources(profile, vars, `valley-${name}`, dir, 'slurm-%j.out')) });
        const labels: Record<string, string> = { ...req.labels, template: template.name, student, seed: String(seed), cluster: profile.name };
        if (item) Object.assign(labels, { subset: item.subset, size: String(item.size ?? item.rows) });
        jobs.push({ id, name, dir, labels, vars, data: item, remoteData, manifest: item?.manifest ?? null, files });
      }
    }
  }
  if (req.jobIds && req.jobIds.length !== jobs.length) {
    throw new ValleyError('bad_input', `The preview had ${req.jobIds.length} jobs, this submission has ${jobs.length}: preview again`, { field: 'jobIds' });
  }
  let array: Plan['array'] = null;
  if (slurm && req.array && jobs.length > 0) {
    const first = jobs[0] as PlannedJob;
    const dir = posix.join(base, 'jobs', `array-${first.id}`);
    const name = `valley-${template.name}-sweep-${jobs.length}`;
    array = { dir, name, text: sbatchArray(slurmResources(profile, first.vars, name, dir, 'slurm-%A_%a.out'), jobs.map((j) => j.dir)) };
  }
  return { jobs, array };
};

const slurmResources = (p: ClusterProfile, vars: Record<string, string>, jobName: string, dir: string, output: string): SlurmResources => ({
  jobName,
  partition: vars['partition'] || p.partition,
  account: vars['account'] || p.account,
  qos: vars['qos'] || p.qos,
  time: vars['time'] || null,
  nodes: Math.max(1, Number(vars['nodes'] ?? '1') || 1),
  gpusPerNode: Math.max(0, Number(vars['gpus'] ?? '0') || 0),
  output: posix.join(dir, output),
  chdir: dir,
});
