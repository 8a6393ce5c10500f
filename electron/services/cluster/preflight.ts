import { ValleyError } from '../../../shared/api';
import type {
  ClusterProfile,
  PreflightCheck,
  PreflightReport,
  SubmitRequest,
  Template,
} from '../../../shared/api/cluster';
import { findStudent } from '../../../shared/domain/students';
import { remoteBase } from './connect';
import type { Executor } from './executor';
import { planSubmission, type ContinueFrom, type Plan } from './plan';
import type { DataItem } from './plan-data';
import { isTraining } from './plan-render';
import { sh } from './quote';

/**
 * Pre-flight: everything a submission needs on the cluster, checked before anything is uploaded. Each failed check
 * names the host, the path and the fix. Commands run on the login node (or the plain host) after the profile's
 * setup lines, which is the environment the job's script starts from.
 */
const inJobEnv = (profile: ClusterProfile, command: string): string => sh`bash -c ${`${profile.setup}\n${command}`}`;

const gpusOnNodes = async (
  ex: Executor,
  profile: ClusterProfile,
  partition: string | null,
): Promise<{ max: number | null; where: string }> => {
  if (profile.kind === 'slurm') {
    const r = await ex.exec(`sinfo -h -o '%P %G'`);
    if (r.code !== 0) return { max: null, where: 'sinfo' };
    let max: number | null = null;
    for (const line of r.stdout.split('\n')) {
      const [p, gres] = line.trim().split(/\s+/);
      const name = (p ?? '').replace(/\*$/, '');
      const isDefault = (p ?? '').endsWith('*');
      if (!name || (partition ? name !== partition : !isDefault)) continue;
      for (const m of (gres ?? '').matchAll(/gpu(?::[\w-]+)?:(\d+)/g)) max = Math.max(max ?? 0, Number(m[1]));
      if (max === null) max = 0;
    }
    return { max, where: `partition ${partition ?? '(default)'} (sinfo %G)` };
  }
  const r = await ex.exec(inJobEnv(profile, 'nvidia-smi -L'));
  if (r.code !== 0) return { max: null, where: 'nvidia-smi' };
  return { max: r.stdout.split('\n').filter((l) => l.startsWith('GPU')).length, where: 'nvidia-smi -L' };
};

const modelFiles = (student: string, described: SubmitRequest['studentSpecs']): string[] => {
  const s = findStudent(student, described);
  if (!s) return [];
  const shards = Array.from(
    { length: Number(s.checkpointShards) },
    (_, i) => `model-${String(i + 1).padStart(s.checkpointShards.length, '0')}-of-${s.checkpointShards}.safetensors`,
  );
  return ['config.json', ...Object.values(s.tokenizer.files), ...shards];
};

export const preflightChecks = async (
  ex: Executor,
  req: SubmitRequest,
  profile: ClusterProfile,
  template: Template,
  data: readonly DataItem[],
  evalTemplate: Template | null,
  from: ContinueFrom | null = null,
): Promise<PreflightReport> => {
  const host = ex.where;
  const checks: PreflightCheck[] = [];
  const add = (c: Omit<PreflightCheck, 'host'>) => checks.push({ host, ...c });
  const base = await remoteBase(ex, profile);
  let plan: Plan;
  try {
    plan = planSubmission(req, profile, template, base, data, evalTemplate, from);
  } catch (error) {
    const e = error as ValleyError;
    add({
      name: 'job files',
      ok: false,
      detail: e.message,
      path: String(e.details?.file ?? e.details?.field ?? template.name),
      fix: 'correct the variable, template or student named above',
    });
    return { ok: false, checks };
  }
  const trains = plan.jobs.filter(
    (j) =>
      j.files.some((f) => f.name === 'config.yaml') && isTraining(template) && j.labels['template'] === template.name,
  );
  const evals = plan.jobs.filter((j) => j.vars['tensor_parallel'] !== undefined);

  if (trains.length > 0) {
    const r = await ex.exec(inJobEnv(profile, 'command -v tune'));
    add({
      name: 'tune',
      ok: r.code === 0 && r.stdout.trim() !== '',
      path: r.stdout.trim() || 'PATH',
      detail:
        r.code === 0 ? `torchtune's tune at ${r.stdout.trim()}` : 'tune is not on the PATH of the job’s environment',
      fix: 'install torchtune 0.7 in the job’s environment, or put its activation (module load …, conda activate …) in the profile’s setup lines',
    });
  }

  // the base weights: of every training job, and of evaluations of the untrained student (its own folder)
  const folders = new Map<string, string>();
  for (const j of [
    ...trains,
    ...evals.filter((e) => !e.vars['after_job'] && e.vars['model_path'] === e.vars['model_dir']),
  ]) {
    if (j.vars['model_dir']) folders.set(j.vars['model_dir'], j.vars['student'] ?? '');
  }
  let modelBytes = 0;
  for (const [dir, student] of folders) {
    const need = modelFiles(student, req.studentSpecs);
    const r = await ex.exec(
      `cd ${sh`${dir}`} 2>/dev/null || { echo NODIR; exit 0; }; for f in ${need.map((f) => sh`${f}`).join(' ')}; do [ -f "$f" ] || echo "missing $f"; done; du -sk . | cut -f1`,
    );
    const lines = r.stdout.trim().split('\n');
    const missing = lines.filter((l) => l.startsWith('missing ')).map((l) => l.slice(8));
    const ok = !lines.includes('NODIR') && missing.length === 0;
    if (ok) modelBytes = Math.max(modelBytes, Number(lines[lines.length - 1]) * 1024);
    add({
      name: 'model folder',
      ok,
      path: dir,
      detail: lines.includes('NODIR')
        ? `${student}: no model folder`
        : missing.length
          ? `${student}: missing ${missing.join(', ')}`
          : `${student}: config, ${need.length - 1} tokenizer and weight files`,
      fix: `download the weights there, e.g. \`tune download ${student} --output-dir ${dir}\`, or set models_dir`,
    });
  }

  const wantGpus = Math.max(0, ...plan.jobs.map((j) => Number(j.vars['gpus'] ?? '0') || 0));
  const partition = req.variables['partition'] || profile.partition;
  if (wantGpus > 0) {
    const { max, where } = await gpusOnNodes(ex, profile, partition);
    add({
      name: 'GPUs',
      ok: max === null || wantGpus <= max,
      path: where,
      detail:
        max === null
          ? `could not count GPUs (${where} not available); asking for ${wantGpus} per node`
          : `${wantGpus} GPU(s) per node asked, ${max} on the largest node`,
      fix:
        max === null
          ? ''
          : `set gpus=${max} or fewer (effective_batch stays 128 through gradient accumulation), or choose a partition with ${wantGpus}-GPU nodes`,
    });
  }

  if (profile.kind === 'slurm') {
    if (partition) {
      const r = await ex.exec(sh`scontrol show partition ${partition}`);
      add({
        name: 'partition',
        ok: r.code === 0,
        path: partition,
        detail:
          r.code === 0
            ? `partition ${partition} exists`
            : `no partition ${partition} (${(r.stderr || r.stdout).trim()})`,
        fix: 'set the profile’s partition to one `sinfo` lists',
      });
    }
    const scripts = new Map<string, string>();
    for (const j of plan.jobs) {
      const s = j.files.find((f) => f.name === 'submit.sbatch');
      if (s && !scripts.has(j.labels['template'] ?? '')) scripts.set(j.labels['template'] ?? '', s.text);
    }
    if (plan.array) scripts.set('array', plan.array.text);
    for (const [name, text] of scripts) {
      const r = await ex.exec(sh`printf '%s' ${text} | sbatch --test-only`);
      const said =
        (r.stderr || r.stdout)
          .trim()
          .split('\n')
          .filter((l) => !/^sbatch: Job \d+ to start/.test(l))
          .join(' ') || 'accepted';
      add({
        name: `Slurm accepts ${name}`,
        ok: r.code === 0,
        path: 'sbatch --test-only',
        detail: r.code === 0 ? 'sbatch --test-only accepts the script' : said,
        fix: 'change the resources (gpus, cpusPerGpu, memPerGpu, time) or the partition',
      });
    }
  }

  const df = await ex.exec(sh`df -Pk ${base} | tail -n 1`);
  const free = Number(df.stdout.trim().split(/\s+/)[3]) * 1024;
  const epochs = Math.max(1, ...trains.map((j) => Number(j.vars['epochs'] ?? '1')));
  // each epoch writes a full copy of the weights (and the last intermediate one the optimizer state, ~2× more)
  const need = trains.length * modelBytes * (epochs + 2);
  add({
    name: 'free disk',
    ok: Number.isFinite(free) && free >= need,
    path: base,
    detail: `${(free / 1e9).toFixed(1)} GB free${need > 0 ? `, ${(need / 1e9).toFixed(1)} GB needed for ${trains.length} training job(s) × ${epochs} epochs of checkpoints` : ''}`,
    fix: 'free space, or point the profile’s remote folder at a larger file system',
  });

  if (evals.length > 0) {
    const lcbDir = evals[0]?.vars['lcb_dir'] ?? '';
    const probe = `${lcbDir ? `export PYTHONPATH=${sh`${lcbDir}`}\${PYTHONPATH:+:$PYTHONPATH}\n` : ''}cd /tmp && python3 -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('lcb_runner.runner.main') else 1)"`;
    const r = await ex.exec(inJobEnv(profile, probe));
    add({
      name: 'LiveCodeBench',
      ok: r.code === 0,
      path: lcbDir || 'python3 (installed packages)',
      detail:
        r.code === 0
          ? 'lcb_runner.runner.main importable'
          : `lcb_runner.runner.main is not importable${lcbDir ? ` from ${lcbDir}` : ''}`,
      fix: 'clone LiveCodeBench on the cluster and set the profile’s LiveCodeBench folder to its absolute path, or pip install it in the job’s environment',
    });
  }
  return { ok: checks.every((c) => c.ok), checks };
};

/** A refusal that lists every failed check with its host, path and fix. */
export const refusal = (report: PreflightReport): ValleyError => {
  const failed = report.checks.filter((c) => !c.ok);
  return new ValleyError(
    'bad_input',
    `Not submitted: pre-flight failed (${failed.map((c) => `${c.name} on ${c.host}: ${c.detail} [${c.path}]${c.fix ? `; fix: ${c.fix}` : ''}`).join(' | ')})`,
    {
      issues: failed.map((c) => ({
        path: c.name,
        message: `${c.detail} (${c.host}: ${c.path})${c.fix ? `; fix: ${c.fix}` : ''}`,
      })),
    },
  );
};
