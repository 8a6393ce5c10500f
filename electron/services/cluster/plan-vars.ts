import { posix } from 'node:path';
import { ValleyError } from '../../../shared/api';
import type { ClusterProfile } from '../../../shared/api/cluster';
import {
  findStudent,
  seedStudents,
  tensorParallelFits,
  tensorParallelFor,
  type StudentSpec,
} from '../../../shared/domain/students';
import { shQuote } from './quote';
import { recipeSteps, studentSections, type ConfigValue } from './torchtune-config';

export const slug = (s: string): string =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'x';

export const intVar = (vars: Record<string, string>, name: string): number => {
  const v = Number(vars[name]);
  if (vars[name] === undefined || vars[name] === '' || !Number.isInteger(v) || v < 0) {
    throw new ValleyError('bad_input', `Variable ${name} must be a whole number, not "${vars[name] ?? ''}"`, {
      field: `variables.${name}`,
    });
  }
  return v;
};

/** A student by any spelling, or one the request describes; anything else is refused with the known list. */
export const resolveStudent = (name: string, described: readonly StudentSpec[]): StudentSpec => {
  const s = findStudent(name, described);
  if (!s) {
    const known = [...seedStudents, ...described].map((x) => x.id).join(', ');
    throw new ValleyError(
      'bad_input',
      `Unknown student "${name}": known students are ${known}. Describe another one fully (model builder, tokenizer builder and files, model_type, checkpoint shards, attention heads) in studentSpecs.`,
      { field: 'students' },
    );
  }
  return s;
};

/**
 * The seed study's batch arithmetic, and the optimizer steps as full_finetune_distributed counts them:
 * effective batch = batch_size × grad_accum × GPUs × nodes; steps = epochs × (len(dataloader) // grad_accum),
 * the dataloader sharded over GPUs × nodes. Warmup is warmup_ratio of those steps (rounded up).
 */
export const trainingVars = (vars: Record<string, string>, rows: number): Record<string, string> => {
  const gpus = Math.max(1, intVar(vars, 'gpus'));
  const nodes = Math.max(1, intVar(vars, 'nodes'));
  const batch = Math.max(1, intVar(vars, 'batch_size'));
  const effective = intVar(vars, 'effective_batch');
  const perStep = batch * gpus * nodes;
  const accum = vars['grad_accum'] ? intVar(vars, 'grad_accum') : effective / perStep;
  if (!Number.isInteger(accum) || accum < 1) {
    throw new ValleyError(
      'bad_input',
      `Effective batch ${effective} is not a multiple of batch_size × GPUs × nodes = ${perStep}`,
      { field: 'variables.effective_batch' },
    );
  }
  const epochs = Math.max(1, intVar(vars, 'epochs'));
  const steps = recipeSteps({ rows, worldSize: gpus * nodes, batchSize: batch, gradAccum: accum, epochs });
  const ratio = Number(vars['warmup_ratio'] ?? '0');
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new ValleyError('bad_input', `warmup_ratio must be between 0 and 1, not "${vars['warmup_ratio'] ?? ''}"`, {
      field: 'variables.warmup_ratio',
    });
  return {
    grad_accum: String(accum),
    effective_batch: String(perStep * accum),
    rows: String(rows),
    rows_per_rank: String(steps.rowsPerRank),
    steps_per_epoch: String(steps.stepsPerEpoch),
    total_steps: String(steps.total),
    warmup_steps: String(Math.ceil(ratio * steps.total)),
  };
};

/** The student's folder on the cluster and the values templates use for it. */
export const studentVars = (s: StudentSpec, modelsDir: string): Record<string, string> => {
  const modelDir = posix.join(modelsDir, slug(s.id));
  return {
    student: s.id,
    model_component: s.modelComponent,
    tokenizer_component: s.tokenizer.component,
    model_type: s.modelType,
    checkpoint_shards: s.checkpointShards,
    model_dir: modelDir,
    attention_heads: String(s.attentionHeads),
  };
};

export const studentStructured = (s: StudentSpec, vars: Record<string, string>): Record<string, ConfigValue> =>
  studentSections(s, vars['model_dir'] ?? '', Number(vars['max_seq_len'] ?? '32768'));

/** LiveCodeBench: an absolute checkout (or the installed package), the model folder, a TP size that divides the heads. */
export const lcbVars = (
  s: StudentSpec,
  vars: Record<string, string>,
  profile: ClusterProfile,
  modelPath: string,
): Record<string, string> => {
  const lcbDir = vars['lcb_dir'] ?? profile.lcbDir;
  if (lcbDir && !lcbDir.startsWith('/')) {
    throw new ValleyError(
      'bad_input',
      `lcb_dir "${lcbDir}" must be an absolute path on the cluster (or empty when lcb_runner is installed in the job's Python)`,
      { field: 'variables.lcb_dir' },
    );
  }
  if (!modelPath)
    throw new ValleyError('bad_input', 'The evaluation has no model folder: set model_path', {
      field: 'variables.model_path',
    });
  const gpus = Math.max(1, intVar(vars, 'gpus'));
  const tp = vars['tensor_parallel'] ? intVar(vars, 'tensor_parallel') : tensorParallelFor(s, gpus);
  if (!tensorParallelFits(s, tp) || tp > gpus) {
    throw new ValleyError(
      'bad_input',
      `tensor_parallel ${tp} must divide ${s.id}'s ${s.attentionHeads} attention heads (and fit its ${s.kvHeads} KV heads) and be ≤ ${gpus} GPUs: vLLM refuses otherwise`,
      { field: 'variables.tensor_parallel' },
    );
  }
  return {
    // the job asks for the GPUs it uses
    gpus: String(tp),
    lcb_dir: lcbDir,
    model_path: modelPath,
    model_name: vars['model_name'] || s.id,
    tensor_parallel: String(tp),
    pythonpath: lcbDir
      ? `export PYTHONPATH=${shQuote(lcbDir)}\${PYTHONPATH:+:$PYTHONPATH}`
      : '# lcb_runner from the installed package',
  };
};
