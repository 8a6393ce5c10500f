import { shQuote } from './quote';

/** Slurm resources of one job (or one array). */
export interface SlurmResources {
  jobName: string;
  partition: string | null;
  account: string | null;
  qos: string | null;
  time: string | null;
  nodes: number;
  gpusPerNode: number;
  /** CPUs of the one task per node (it runs every GPU's rank). */
  cpusPerTask: number;
  memPerGpu: string | null;
  mem: string | null;
  exclusive: boolean;
  output: string;
  chdir: string;
  array?: string;
}

/** `#SBATCH` lines. Values go through shell quoting too: sbatch reads these lines with shell-like word rules. */
export const sbatchHeader = (r: SlurmResources): string => {
  const d = (flag: string, value: string | number | null | undefined) =>
    value === null || value === undefined || value === '' ? [] : [`#SBATCH --${flag}=${shQuote(value)}`];
  return [
    '#!/bin/bash',
    ...d('job-name', r.jobName),
    ...d('partition', r.partition),
    ...d('account', r.account),
    ...d('qos', r.qos),
    ...d('time', r.time),
    ...d('nodes', r.nodes),
    '#SBATCH --ntasks-per-node=1',
    ...(r.gpusPerNode > 0 ? d('gres', `gpu:${r.gpusPerNode}`) : []),
    ...d('cpus-per-task', r.cpusPerTask),
    ...d('mem-per-gpu', r.memPerGpu),
    ...d('mem', r.mem),
    ...(r.exclusive ? ['#SBATCH --exclusive'] : []),
    ...d('output', r.output),
    ...d('chdir', r.chdir),
    ...d('array', r.array),
  ].join('\n');
};

/**
 * The wrapper every job runs in its folder: the variables as VALLEY_* environment, the template's run.sh with
 * its output in train.log, and the exit code written to `exit_code` (how a plain-SSH job reports back).
 */
export const jobWrapper = (
  jobDir: string,
  vars: Readonly<Record<string, string>>,
  after: string | null = null,
): string =>
  [
    '#!/bin/bash',
    '# Written by Valley: runs the job in its folder and records its exit code.',
    `cd ${shQuote(jobDir)} || exit 1`,
    ...(after === null
      ? []
      : [
          // a plain host runs the chain in order: wait for the training job's exit code, go on only if it succeeded
          `after=${shQuote(after)}`,
          'while [ ! -f "$after/exit_code" ]; do sleep 5; done',
          'if [ "$(cat "$after/exit_code")" != 0 ]; then echo "not run: training job $after failed (exit $(cat "$after/exit_code"))" > train.log; echo 3 > exit_code.tmp && mv exit_code.tmp exit_code; exit 3; fi',
        ]),
    ...Object.entries(vars)
      .filter(([k]) => /^[a-z_][a-z0-9_]*$/i.test(k))
      .map(([k, v]) => `export VALLEY_${k.toUpperCase()}=${shQuote(v)}`),
    'bash run.sh > train.log 2>&1',
    'code=$?',
    'echo "$code" > exit_code.tmp && mv exit_code.tmp exit_code',
    'exit "$code"',
    '',
  ].join('\n');

/** A single Slurm job: header, then the wrapper. */
export const sbatchSingle = (r: SlurmResources): string => `${sbatchHeader(r)}\nexec bash job.sh\n`;

/** One job array for a sweep: task i runs the wrapper in folder i. */
export const sbatchArray = (r: SlurmResources, jobDirs: readonly string[]): string =>
  [
    sbatchHeader({ ...r, array: `0-${jobDirs.length - 1}` }),
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...jobDirs.map((d, i) => `  ${i}) cd ${shQuote(d)} ;;`),
    '  *) echo "no task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;',
    'esac',
    'exec bash job.sh',
    '',
  ].join('\n');
