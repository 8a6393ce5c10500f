import { z } from 'zod';
import { method } from './define';
import { empty, ok, userName } from './common';
import { runSchema } from './runs';
import { seedStudents, studentSpecSchema } from '../domain/students';

export const clusterKinds = ['slurm', 'ssh', 'local'] as const;
export type ClusterKind = (typeof clusterKinds)[number];

const port = z.number().int().min(1).max(65535);

/** A place to run jobs. Secrets are never part of a profile: a key passphrase lives only in Host.secrets. */
export const clusterProfileSchema = z.object({
  name: userName,
  kind: z.enum(clusterKinds),
  /** Host name, or an alias from ~/.ssh/config (its HostName, Port, User, IdentityFile, ProxyJump apply). */
  host: z.string().max(255).default(''),
  port: port.nullable().default(null),
  user: z.string().max(64).nullable().default(null),
  auth: z.enum(['agent', 'key']).default('agent'),
  keyFile: z.string().max(4096).nullable().default(null),
  /** `[user@]host[:port]` or a ~/.ssh/config alias, reached first. */
  jumpHost: z.string().max(300).nullable().default(null),
  /** Folder on the cluster for data and jobs; relative paths are under the remote home. */
  remoteDir: z.string().min(1).max(1024).default('valley'),
  /** known_hosts file to check host keys against; default ~/.ssh/known_hosts. */
  knownHostsFile: z.string().max(4096).nullable().default(null),
  /** Slurm defaults for submissions. */
  partition: z.string().max(128).nullable().default(null),
  account: z.string().max(128).nullable().default(null),
  qos: z.string().max(128).nullable().default(null),
  /** Slurm: CPUs per GPU (--cpus-per-task = this × GPUs per node, one task per node). */
  cpusPerGpu: z.number().int().min(1).max(512).default(8),
  /** Slurm: memory per GPU (--mem-per-gpu), e.g. 64G; null leaves memory to the cluster's default. */
  memPerGpu: z
    .string()
    .regex(/^\d+[KMGT]?$/, 'a size such as 64G')
    .nullable()
    .default('64G'),
  /** Slurm: whole nodes (--exclusive). */
  exclusive: z.boolean().default(false),
  /** Absolute folder of a LiveCodeBench checkout on the cluster; empty = lcb_runner is installed in the job's Python. */
  lcbDir: z
    .string()
    .max(4096)
    .refine((d) => d === '' || d.startsWith('/'), 'an absolute path on the cluster (or empty)')
    .default(''),
  /** Shell lines run before the trainer (module load, conda activate …). */
  setup: z.string().max(20_000).default(''),
  /** Keep the key passphrase in the OS keychain (only where the platform has one). */
  rememberPassphrase: z.boolean().default(false),
});
/** A profile as stored: names saved before names were checked stay readable (and removable). */
export const storedProfileSchema = clusterProfileSchema.extend({ name: z.string().min(1) });
export type ClusterProfile = z.output<typeof storedProfileSchema>;
export type ClusterProfileInput = z.input<typeof clusterProfileSchema>;

export const sshConfigHostSchema = z.object({
  alias: z.string(),
  hostName: z.string().nullable(),
  port: z.number().int().nullable(),
  user: z.string().nullable(),
  identityFile: z.string().nullable(),
  proxyJump: z.string().nullable(),
});
export type SshConfigHost = z.infer<typeof sshConfigHostSchema>;

export const checkSchema = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });
export const connectionReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(checkSchema),
  /** Set when the host's key is not in known_hosts yet: show it, and accept with cluster.acceptHostKey. */
  unknownHostKey: z
    .object({ host: z.string(), port: z.number().int(), fingerprint: z.string(), keyType: z.string() })
    .nullable(),
  /** True when the key file is encrypted and no passphrase was given or remembered. */
  needsPassphrase: z.boolean(),
  scheduler: z.enum(['slurm', 'none']).nullable(),
  gpus: z.number().int().nullable(),
  freeBytes: z.number().nullable(),
});
export type ConnectionReport = z.infer<typeof connectionReportSchema>;

export const jobStates = ['submitting', 'pending', 'running', 'completed', 'failed', 'cancelled', 'lost'] as const;
export type JobState = (typeof jobStates)[number];
export const finishedJobStates: readonly JobState[] = ['completed', 'failed', 'cancelled', 'lost'];

export const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  cluster: z.string(),
  kind: z.enum(clusterKinds),
  template: z.string(),
  /** Scheduler id (Slurm job id, `array_task` for arrays) or the pid of a plain process. */
  remoteId: z.string().nullable(),
  remoteDir: z.string(),
  state: z.enum(jobStates),
  /** Scheduler's own word for the state (PENDING, TIMEOUT, …). */
  detail: z.string(),
  node: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  submittedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  elapsedSeconds: z.number().nullable(),
  labels: z.record(z.string(), z.string()),
  /** Local manifest of the subset the job trains on, if any. */
  manifest: z.string().nullable(),
  runId: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const templateSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Files of the template (the script, a config), editable in the workspace folder. */
  files: z.array(z.object({ name: z.string(), path: z.string(), text: z.string() })),
  variables: z.record(z.string(), z.string()),
});
export type Template = z.infer<typeof templateSchema>;

export const submitRequestSchema = z.object({
  cluster: z.string().min(1),
  template: z.string().min(1),
  /** JSONL files or export folders (with manifest.json); each torchtune file is one subset of the sweep. */
  data: z.array(z.string().min(1)).default([]),
  /** Student ids (any spelling of a preset, or the id of a student described in studentSpecs). */
  students: z
    .array(z.string().min(1))
    .min(1)
    .default([seedStudents[0]?.id ?? '']),
  /** Full descriptions of students that are not presets. */
  studentSpecs: z.array(studentSpecSchema).default([]),
  /** Training templates: submit a LiveCodeBench evaluation of the final checkpoint after each training job succeeds. */
  evaluate: z.boolean().default(false),
  evalTemplate: z.string().min(1).default('lcb-eval'),
  /** Variables of the evaluation template (n, temperature, …). */
  evalVariables: z.record(z.string(), z.string()).default({}),
  seeds: z.array(z.number().int()).min(1).default([0]),
  /** Template variables overriding the defaults (lr, epochs, gpus, command, …). */
  variables: z.record(z.string(), z.string()).default({}),
  /** Slurm: one job array for the whole sweep instead of one job each. */
  array: z.boolean().default(false),
  labels: z.record(z.string(), z.string()).default({}),
  /**
   * A training job of this workspace to continue from: each training job starts from its final checkpoint
   * (the checkpointer reads it; the tokenizer stays the student's) and only after it succeeded (afterok on Slurm).
   */
  continueFrom: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'a job id')
    .optional(),
  /** The job ids a preview showed, so the submitted files are exactly the previewed ones. */
  jobIds: z.array(z.string().regex(/^[\w-]{1,64}$/, 'letters, digits, _ and - only')).optional(),
  passphrase: z.string().optional(),
});
export type SubmitRequest = z.output<typeof submitRequestSchema>;
export type SubmitRequestInput = z.input<typeof submitRequestSchema>;

export const plannedJobSchema = z.object({
  /** Pass these back as `jobIds` to submit exactly what was shown (null for a job array's script). */
  id: z.string().nullable(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  files: z.array(z.object({ name: z.string(), text: z.string() })),
  /** The job this one starts after (an evaluation after its training), when it succeeds. */
  after: z.string().nullable().default(null),
});
/** One pre-flight check: what was checked, where (host and path), and how to fix it when it failed. */
export const preflightCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  host: z.string(),
  path: z.string(),
  fix: z.string(),
});
export type PreflightCheck = z.infer<typeof preflightCheckSchema>;
export const preflightReportSchema = z.object({ ok: z.boolean(), checks: z.array(preflightCheckSchema) });
export type PreflightReport = z.infer<typeof preflightReportSchema>;

export const lossPointSchema = z.object({
  step: z.number(),
  epoch: z.number().nullable(),
  loss: z.number(),
  lr: z.number().nullable(),
});

const jobRef = z.object({ job: z.string().min(1), passphrase: z.string().optional() });

export const clusterMethods = {
  'cluster.list': method(
    'Cluster profiles (with how each really authenticates, after ~/.ssh/config), and the hosts of ~/.ssh/config',
    empty,
    z.object({
      clusters: z.array(storedProfileSchema),
      authSources: z.record(z.string(), z.string()).default({}),
      sshConfigHosts: z.array(sshConfigHostSchema),
    }),
  ),
  'cluster.save': method(
    'Create or replace a cluster profile',
    z.object({ profile: clusterProfileSchema, replace: z.boolean().default(false) }),
    storedProfileSchema,
  ),
  'cluster.remove': method('Delete a cluster profile (its jobs stay)', z.object({ name: z.string().min(1) }), ok),
  'cluster.test': method(
    'Connect and report what works: host key, authentication, scheduler, GPUs, free disk',
    z.object({ name: z.string().min(1), passphrase: z.string().optional() }),
    connectionReportSchema,
  ),
  'cluster.acceptHostKey': method(
    'Add a host key the user has seen (by its SHA256 fingerprint) to the known_hosts file',
    z.object({ name: z.string().min(1), fingerprint: z.string().min(1) }),
    ok,
  ),
  'cluster.exports': method(
    'Subset exports in the workspace (folders with manifest.json) to train on',
    empty,
    z.object({ exports: z.array(z.object({ dir: z.string(), subset: z.string(), sizes: z.array(z.number().int()) })) }),
  ),
  'cluster.templates': method(
    'Trainer templates (files in the workspace, editable)',
    empty,
    z.object({ templates: z.array(templateSchema) }),
  ),
  'cluster.preview': method(
    'The exact scripts and configs a submission would send',
    submitRequestSchema,
    z.object({ jobs: z.array(plannedJobSchema) }),
  ),
  'cluster.check': method(
    'Pre-flight a submission without uploading: tune in the job’s environment, model files, GPUs per node, partition (sbatch --test-only), free disk, LiveCodeBench',
    submitRequestSchema,
    preflightReportSchema,
  ),
  'cluster.submit': method(
    'Upload the data and submit one job per subset × student × seed (or one array)',
    submitRequestSchema,
    z.object({ jobs: z.array(jobSchema) }),
  ),
  'cluster.jobs': method(
    'Jobs in this workspace; with refresh, their state is first reconciled with the clusters',
    z.object({ refresh: z.boolean().default(false), passphrase: z.string().optional() }),
    z.object({ jobs: z.array(jobSchema), errors: z.array(z.object({ cluster: z.string(), message: z.string() })) }),
  ),
  'cluster.logs': method(
    'The end of a job’s log and the loss curve parsed from it',
    jobRef.extend({ bytes: z.number().int().min(1).max(10_000_000).default(65_536) }),
    z.object({ text: z.string(), truncated: z.boolean(), loss: z.array(lossPointSchema) }),
  ),
  'cluster.cancel': method('Cancel a job', jobRef, jobSchema),
  'cluster.fetch': method(
    'Pull a finished job’s results (LCB eval files, logs) and import them as a run',
    jobRef,
    z.object({ job: jobSchema, run: runSchema, files: z.array(z.string()) }),
  ),
};
