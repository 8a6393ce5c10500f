import { ValleyError } from '../../../shared/api';
import type { ClusterProfileInput, Job } from '../../../shared/api/cluster';
import { formatTable } from '../table';
import { listOption, stringOption, type Command, type OptionValues } from '../command';

/** A key passphrase never comes on the command line (it would land in shell history): only from an environment variable. */
const passphraseOf = (values: OptionValues): string | undefined => {
  const name = stringOption(values, 'passphrase-env') ?? 'VALLEY_SSH_PASSPHRASE';
  return process.env[name] || undefined;
};
const secretOptions = { 'passphrase-env': { type: 'string' } } as const;

const pairs = (values: OptionValues, name: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const kv of listOption(values, name)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new ValleyError('invalid_request', `--${name} takes KEY=VALUE, not "${kv}"`, { field: name });
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
};

const intOption = (values: OptionValues, name: string): number | null => {
  const v = stringOption(values, name);
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new ValleyError('invalid_request', `--${name} must be a whole number, not "${v}"`, { field: name });
  return n;
};

const elapsed = (s: number | null): string =>
  s === null
    ? ''
    : `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
const jobRows = (jobs: Job[]) =>
  jobs.map((j) => [
    j.id,
    j.name,
    j.cluster,
    j.state,
    j.detail,
    elapsed(j.elapsedSeconds),
    j.node ?? '',
    j.exitCode ?? '',
    j.runId ?? '',
  ]);
const jobHeaders = ['id', 'name', 'cluster', 'state', 'detail', 'elapsed', 'node', 'exit', 'run'];

export const clusterAddCommand: Command = {
  name: 'cluster add',
  summary: 'Add (or with --replace, change) a cluster profile: Slurm, a plain SSH host, or local',
  usage:
    'valley cluster add NAME --kind slurm|ssh|local [--host HOST|ALIAS] [--port N] [--user U] [--key FILE | --agent] [--jump [USER@]HOST[:PORT]] ' +
    '[--remote-dir DIR] [--known-hosts FILE] [--partition P] [--account A] [--qos Q] [--cpus-per-gpu N] [--mem-per-gpu 64G|none] [--lcb-dir DIR] ' +
    '[--setup "module load …"] [--remember-passphrase] [--replace]',
  options: {
    kind: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    key: { type: 'string' },
    agent: { type: 'boolean' },
    jump: { type: 'string' },
    'remote-dir': { type: 'string' },
    'known-hosts': { type: 'string' },
    partition: { type: 'string' },
    account: { type: 'string' },
    qos: { type: 'string' },
    'cpus-per-gpu': { type: 'string' },
    'mem-per-gpu': { type: 'string' },
    'lcb-dir': { type: 'string' },
    setup: { type: 'string' },
    'remember-passphrase': { type: 'boolean' },
    replace: { type: 'boolean' },
  },
  async run(ctx) {
    const name = ctx.positionals[0];
    if (!name)
      throw new ValleyError('invalid_request', 'Give the profile a name: valley cluster add NAME --kind …', {
        field: 'name',
      });
    const v = ctx.values;
    const key = stringOption(v, 'key');
    const cpusPerGpu = intOption(v, 'cpus-per-gpu');
    const mem = stringOption(v, 'mem-per-gpu');
    const lcbDir = stringOption(v, 'lcb-dir');
    const profile: ClusterProfileInput = {
      name,
      kind: (stringOption(v, 'kind') ?? 'ssh') as ClusterProfileInput['kind'],
      host: stringOption(v, 'host') ?? '',
      port: intOption(v, 'port'),
      user: stringOption(v, 'user') ?? null,
      auth: key ? 'key' : 'agent',
      keyFile: key ?? null,
      jumpHost: stringOption(v, 'jump') ?? null,
      knownHostsFile: stringOption(v, 'known-hosts') ?? null,
      partition: stringOption(v, 'partition') ?? null,
      account: stringOption(v, 'account') ?? null,
      qos: stringOption(v, 'qos') ?? null,
      setup: stringOption(v, 'setup') ?? '',
      rememberPassphrase: v['remember-passphrase'] === true,
      ...(stringOption(v, 'remote-dir') ? { remoteDir: stringOption(v, 'remote-dir') } : {}),
      ...(cpusPerGpu !== null ? { cpusPerGpu } : {}),
      ...(mem !== undefined ? { memPerGpu: mem === 'none' ? null : mem } : {}),
      ...(lcbDir !== undefined ? { lcbDir } : {}),
    };
    await ctx.backend('create');
    const saved = await ctx.call('cluster.save', { profile, replace: v['replace'] === true });
    return {
      json: saved,
      text: `Cluster ${saved.name} (${saved.kind}${saved.host ? ` ${saved.host}` : ''}) saved. Check it with: valley cluster test ${saved.name}`,
    };
  },
};

export const clusterListCommand: Command = {
  name: 'cluster list',
  summary: 'Cluster profiles, and the hosts of ~/.ssh/config',
  usage: 'valley cluster list [--workspace DIR] [--json]',
  options: {},
  async run(ctx) {
    await ctx.backend('refuse');
    const r = await ctx.call('cluster.list', {});
    const text = formatTable(
      ['name', 'kind', 'host', 'port', 'user', 'auth', 'remote dir', 'partition'],
      r.clusters.map((c) => [
        c.name,
        c.kind,
        c.host,
        c.port,
        c.user,
        r.authSources[c.name] ?? c.auth,
        c.remoteDir,
        c.partition,
      ]),
    );
    const aliases = r.sshConfigHosts.length
      ? `\n\n~/.ssh/config hosts: ${r.sshConfigHosts.map((h) => h.alias).join(', ')}`
      : '';
    return { json: r, text: text + aliases };
  },
};

export const clusterTestCommand: Command = {
  name: 'cluster test',
  summary: 'Connect to a cluster and report host key, authentication, scheduler, GPUs and free disk',
  usage: 'valley cluster test NAME [--accept-host-key SHA256:…] [--passphrase-env VAR] [--json]',
  options: { 'accept-host-key': { type: 'string' }, ...secretOptions },
  async run(ctx) {
    const name = ctx.positionals[0];
    if (!name) throw new ValleyError('invalid_request', 'Which cluster? valley cluster test NAME', { field: 'name' });
    await ctx.backend('refuse');
    const accept = stringOption(ctx.values, 'accept-host-key');
    if (accept) await ctx.call('cluster.acceptHostKey', { name, fingerprint: accept });
    const r = await ctx.call('cluster.test', { name, passphrase: passphraseOf(ctx.values) });
    const lines = r.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(15)} ${c.detail}`);
    if (r.unknownHostKey)
      lines.push(
        `\nTo trust this host key: valley cluster test ${name} --accept-host-key ${r.unknownHostKey.fingerprint}`,
      );
    if (r.needsPassphrase)
      lines.push('\nThe key is encrypted: put its passphrase in VALLEY_SSH_PASSPHRASE (or --passphrase-env VAR).');
    if (!r.ok) {
      // the report still goes to stdout; the failure makes the exit code non-zero
      process.stdout.write((ctx.json ? JSON.stringify(r, null, 2) : lines.join('\n')) + '\n');
      const failed = r.checks.filter((c) => !c.ok).map((c) => c.name);
      throw new ValleyError('unavailable', `Connection test of ${name} failed (${failed.join(', ')})`);
    }
    return { json: r, text: lines.join('\n') };
  },
};

export const submitCommand: Command = {
  name: 'submit',
  summary:
    'Upload subsets and submit training/evaluation jobs (subsets × students × seeds); --preview prints the exact scripts',
  usage:
    'valley submit --cluster NAME [--template torchtune-full|lcb-eval|custom|…] [--data FILE|EXPORT_DIR]… [--student ID]… [--seed N]… ' +
    '[--var KEY=VALUE]… [--eval-var KEY=VALUE]… [--no-evaluate] [--label KEY=VALUE]… [--array] [--preview] [--passphrase-env VAR] [--json]\n' +
    'Training templates are followed by a LiveCodeBench evaluation of the final checkpoint unless --no-evaluate.',
  options: {
    cluster: { type: 'string' },
    template: { type: 'string' },
    data: { type: 'string', multiple: true },
    student: { type: 'string', multiple: true },
    seed: { type: 'string', multiple: true },
    var: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    array: { type: 'boolean' },
    preview: { type: 'boolean' },
    'no-evaluate': { type: 'boolean' },
    check: { type: 'boolean' },
    'eval-var': { type: 'string', multiple: true },
    ...secretOptions,
  },
  async run(ctx) {
    const v = ctx.values;
    const cluster = stringOption(v, 'cluster');
    const template = stringOption(v, 'template') ?? 'torchtune-full';
    if (!cluster) throw new ValleyError('invalid_request', '--cluster is required', { field: 'cluster' });
    const seeds = listOption(v, 'seed').map((s) => {
      if (!/^-?\d+$/.test(s))
        throw new ValleyError('invalid_request', `--seed must be a whole number, not "${s}"`, { field: 'seed' });
      return Number(s);
    });
    const students = listOption(v, 'student');
    const req = {
      cluster,
      template,
      data: listOption(v, 'data'),
      variables: pairs(v, 'var'),
      labels: pairs(v, 'label'),
      array: v['array'] === true,
      evaluate: v['no-evaluate'] !== true,
      evalVariables: pairs(v, 'eval-var'),
      passphrase: passphraseOf(v),
      ...(seeds.length ? { seeds } : {}),
      ...(students.length ? { students } : {}),
    };
    await ctx.backend('refuse');
    if (v['check'] === true) {
      const r = await ctx.call('cluster.check', req);
      const lines = r.checks.map(
        (c) =>
          `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(18)} ${c.detail}${c.ok ? '' : `\n      on ${c.host}: ${c.path}${c.fix ? `\n      fix: ${c.fix}` : ''}`}`,
      );
      if (!r.ok) {
        process.stdout.write((ctx.json ? JSON.stringify(r, null, 2) : lines.join('\n')) + '\n');
        throw new ValleyError(
          'bad_input',
          `Pre-flight failed: ${r.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join(', ')}`,
        );
      }
      return { json: r, text: lines.join('\n') };
    }
    if (v['preview'] === true) {
      const p = await ctx.call('cluster.preview', req);
      return {
        json: p,
        text: p.jobs
          .map((j) => [`=== ${j.name}`, ...j.files.map((f) => `--- ${f.name}\n${f.text}`)].join('\n'))
          .join('\n\n'),
      };
    }
    ctx.info(`Submitting to ${cluster} …`);
    const r = await ctx.call('cluster.submit', req);
    return { json: r, text: formatTable(jobHeaders, jobRows(r.jobs)) };
  },
};

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'Jobs of this workspace, reconciled with their clusters first (state, elapsed, node, exit code)',
  usage: 'valley jobs [--no-refresh] [--passphrase-env VAR] [--workspace DIR] [--json]',
  options: { 'no-refresh': { type: 'boolean' }, ...secretOptions },
  async run(ctx) {
    await ctx.backend('refuse');
    const r = await ctx.call('cluster.jobs', {
      refresh: ctx.values['no-refresh'] !== true,
      passphrase: passphraseOf(ctx.values),
    });
    for (const e of r.errors) ctx.info(`warning: ${e.cluster}: ${e.message}`);
    return { json: r, text: formatTable(jobHeaders, jobRows(r.jobs)) };
  },
};

const jobArg = (positionals: string[], verb: string): string => {
  const job = positionals[0];
  if (!job)
    throw new ValleyError(
      'invalid_request',
      `Which job? valley ${verb} JOB (its id, id prefix, name or scheduler id)`,
      { field: 'job' },
    );
  return job;
};

export const logsCommand: Command = {
  name: 'logs',
  summary: 'The end of a job’s log, and its loss curve with --json',
  usage: 'valley logs JOB [--bytes N] [--passphrase-env VAR] [--json]',
  options: { bytes: { type: 'string' }, ...secretOptions },
  async run(ctx) {
    await ctx.backend('refuse');
    const r = await ctx.call('cluster.logs', {
      job: jobArg(ctx.positionals, 'logs'),
      bytes: intOption(ctx.values, 'bytes') ?? 65_536,
      passphrase: passphraseOf(ctx.values),
    });
    const last = r.loss[r.loss.length - 1];
    return {
      json: r,
      text: `${r.truncated ? '…\n' : ''}${r.text}${last ? `\n(loss at step ${last.step}: ${last.loss})` : ''}`,
    };
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancel a job (scancel on Slurm, a signal to its process group on a plain host)',
  usage: 'valley cancel JOB [--passphrase-env VAR] [--json]',
  options: { ...secretOptions },
  async run(ctx) {
    await ctx.backend('refuse');
    const j = await ctx.call('cluster.cancel', {
      job: jobArg(ctx.positionals, 'cancel'),
      passphrase: passphraseOf(ctx.values),
    });
    return { json: j, text: `${j.name}: ${j.state}` };
  },
};

export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'Pull a finished job’s results (LCB *_eval_all.json, logs) and import them as a run with its labels',
  usage: 'valley fetch JOB [--passphrase-env VAR] [--json]',
  options: { ...secretOptions },
  async run(ctx) {
    await ctx.backend('refuse');
    const r = await ctx.call('cluster.fetch', {
      job: jobArg(ctx.positionals, 'fetch'),
      passphrase: passphraseOf(ctx.values),
    });
    const p1 = r.run.metrics['pass@1'];
    return {
      json: r,
      text: `Fetched ${r.files.length} file(s); run ${r.run.id} (${r.run.name})${p1 === undefined ? '' : `: pass@1 ${p1.toFixed(4)}`}`,
    };
  },
};

export const clusterCommands: readonly Command[] = [
  clusterAddCommand,
  clusterListCommand,
  clusterTestCommand,
  submitCommand,
  jobsCommand,
  logsCommand,
  cancelCommand,
  fetchCommand,
];
