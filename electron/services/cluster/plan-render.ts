import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { ValleyError } from '../../../shared/api';
import type { ClusterProfile, Template } from '../../../shared/api/cluster';
import { renderTemplate } from './templates';
import type { SlurmResources } from './scripts';
import { checkTorchtuneConfig, renderYamlTemplate, type ConfigValue } from './torchtune-config';

export const isTraining = (t: Template): boolean =>
  t.files.some((f) => f.name === 'run.sh' && /\btune\s+run\b/.test(f.text));

/** The rendered config with the checkpointer reading `checkpoint` (continuing from another job's weights). */
const fromCheckpoint = (where: string, text: string, checkpoint: string): { text: string; config: ConfigValue } => {
  const doc = parseDocument(text);
  if (!doc.hasIn(['checkpointer', 'checkpoint_dir'])) {
    throw new ValleyError(
      'bad_input',
      `${where}: checkpointer.checkpoint_dir is missing: continuing from a checkpoint sets it`,
      { file: where, field: 'checkpointer.checkpoint_dir' },
    );
  }
  doc.setIn(['checkpointer', 'checkpoint_dir'], checkpoint);
  return { text: doc.toString({ lineWidth: 0 }), config: doc.toJS() as ConfigValue };
};

/**
 * Fill a template's files: YAML as data (checked as a torchtune config when the template trains), scripts
 * shell-quoted. `checkpoint`: the training starts from these weights (the checkpointer's checkpoint_dir).
 */
export const renderFiles = (
  template: Template,
  vars: Record<string, string>,
  structured: Record<string, ConfigValue>,
  checkpoint: string | null = null,
): { name: string; text: string }[] =>
  template.files.map((f) => {
    if (!/\.ya?ml$/i.test(f.name)) return { name: f.name, text: renderTemplate(f.name, f.text, vars) };
    const where = `${template.name}/${f.name}`;
    let { text, config } = renderYamlTemplate(where, f.text, vars, structured);
    if (isTraining(template) && checkpoint) ({ text, config } = fromCheckpoint(where, text, checkpoint));
    if (isTraining(template)) checkTorchtuneConfig(where, config);
    return { name: f.name, text };
  });

/** The Slurm resources of one job: its variables first, the cluster profile's defaults after. */
export const slurmResources = (
  p: ClusterProfile,
  vars: Record<string, string>,
  jobName: string,
  dir: string,
  output: string,
): SlurmResources => {
  const gpus = Math.max(0, Number(vars['gpus'] ?? '0') || 0);
  const cpus = vars['cpus_per_task'] ? Number(vars['cpus_per_task']) : p.cpusPerGpu * Math.max(1, gpus);
  return {
    jobName,
    partition: vars['partition'] || p.partition,
    account: vars['account'] || p.account,
    qos: vars['qos'] || p.qos,
    time: vars['time'] || null,
    nodes: Math.max(1, Number(vars['nodes'] ?? '1') || 1),
    gpusPerNode: gpus,
    cpusPerTask: Number.isInteger(cpus) && cpus > 0 ? cpus : p.cpusPerGpu,
    memPerGpu: gpus > 0 ? vars['mem_per_gpu'] || p.memPerGpu : null,
    mem: vars['mem'] || (gpus === 0 ? '8G' : null),
    exclusive: vars['exclusive'] ? vars['exclusive'] === 'true' : p.exclusive,
    output: posix.join(dir, output),
    chdir: dir,
  };
};
