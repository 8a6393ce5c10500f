import { ValleyError } from '../../../shared/api';
import type { ClusterProfile, ConnectionReport } from '../../../shared/api/cluster';
import type { Host } from '../host';
import { localExecutor, sshExecutor, type Executor } from './executor';
import { profileEndpoint, secretKey } from './profiles';
import { connectSsh, describeEndpoint, type ConnectOptions } from './ssh';
import { sh } from './quote';

/** Open the profile's executor: this machine, or an authenticated SSH connection. */
export const openExecutor = async (
  host: Host,
  profile: ClusterProfile,
  passphrase?: string,
  options: ConnectOptions = {},
): Promise<Executor> => {
  if (profile.kind === 'local') return localExecutor();
  const endpoint = profileEndpoint(profile);
  const remembered =
    passphrase === undefined && profile.rememberPassphrase ? await host.secrets.get(secretKey(profile)) : null;
  const client = await connectSsh(endpoint, { passphrase: passphrase ?? remembered ?? undefined }, options);
  if (passphrase !== undefined && profile.rememberPassphrase && host.secrets.persistent) {
    await host.secrets.set(secretKey(profile), passphrase);
  }
  return sshExecutor(client, describeEndpoint(endpoint));
};

/** Run `work` with an executor that is closed afterwards, whatever happens. */
export const withExecutor = async <T>(
  host: Host,
  profile: ClusterProfile,
  passphrase: string | undefined,
  work: (ex: Executor) => Promise<T>,
): Promise<T> => {
  const ex = await openExecutor(host, profile, passphrase);
  try {
    return await work(ex);
  } finally {
    ex.close();
  }
};

/** The profile's remote folder as an absolute path (created if missing). */
export const remoteBase = async (ex: Executor, profile: ClusterProfile): Promise<string> => {
  const out = await ex.run(
    sh`mkdir -p ${profile.remoteDir} && cd ${profile.remoteDir} && pwd -P`,
    `Creating ${profile.remoteDir}`,
  );
  return out.trim();
};

const gpuCount = async (ex: Executor, slurm: boolean): Promise<number | null> => {
  if (slurm) {
    const r = await ex.exec(`sinfo -h -o '%G %D'`);
    if (r.code === 0) {
      let total = 0;
      for (const line of r.stdout.split('\n')) {
        const [gres, nodes] = line.trim().split(/\s+/);
        for (const m of (gres ?? '').matchAll(/gpu(?::[\w-]+)?:(\d+)/g)) total += Number(m[1]) * Number(nodes ?? 1);
      }
      return total;
    }
  }
  const r = await ex.exec('nvidia-smi -L 2>/dev/null | grep -c "^GPU"');
  return r.stdout.trim() === '' ? null : Number(r.stdout.trim());
};

/** "Test connection": what works and what does not, as checks a person can read. Secrets never appear. */
export const testConnection = async (
  host: Host,
  profile: ClusterProfile,
  passphrase?: string,
): Promise<ConnectionReport> => {
  const report: ConnectionReport = {
    ok: false,
    checks: [],
    unknownHostKey: null,
    needsPassphrase: false,
    scheduler: null,
    gpus: null,
    freeBytes: null,
  };
  let ex: Executor;
  try {
    ex = await openExecutor(host, profile, passphrase);
  } catch (error) {
    if (!(error instanceof ValleyError)) throw error;
    const d = error.details ?? {};
    if (d['unknownHostKey']) report.unknownHostKey = d['unknownHostKey'] as ConnectionReport['unknownHostKey'];
    if (d['needsPassphrase']) report.needsPassphrase = true;
    const stage =
      d['unknownHostKey'] || d['hostKeyChanged']
        ? 'host key'
        : error.code === 'forbidden'
          ? 'authentication'
          : 'connection';
    report.checks.push({ name: stage, ok: false, detail: error.message });
    return report;
  }
  try {
    if (profile.kind !== 'local') {
      report.checks.push({ name: 'host key', ok: true, detail: 'matches known_hosts' });
      report.checks.push({ name: 'authentication', ok: true, detail: `logged in as ${ex.where}` });
    }
    const sbatch = await ex.exec('command -v sbatch && sinfo -h -o %P | head -n 20');
    report.scheduler = sbatch.code === 0 ? 'slurm' : 'none';
    const wantSlurm = profile.kind === 'slurm';
    report.checks.push({
      name: 'scheduler',
      ok: wantSlurm ? report.scheduler === 'slurm' : true,
      detail:
        report.scheduler === 'slurm'
          ? `Slurm found; partitions: ${sbatch.stdout.split('\n').slice(1).filter(Boolean).join(', ') || 'none listed'}`
          : wantSlurm
            ? 'sbatch not found on the login node'
            : 'no scheduler (jobs run as detached processes)',
    });
    report.gpus = await gpuCount(ex, report.scheduler === 'slurm');
    report.checks.push({
      name: 'GPUs',
      ok: (report.gpus ?? 0) > 0,
      detail:
        report.gpus === null
          ? 'none visible (no nvidia-smi)'
          : `${report.gpus} visible${report.scheduler === 'slurm' ? ' to Slurm' : ''}`,
    });
    const base = await remoteBase(ex, profile);
    const df = await ex.run(sh`df -Pk ${base} | tail -n 1`, 'df');
    const avail = Number(df.trim().split(/\s+/)[3]);
    report.freeBytes = Number.isFinite(avail) ? avail * 1024 : null;
    report.checks.push({
      name: 'free disk',
      ok: (report.freeBytes ?? 0) > 1e9,
      detail: `${((report.freeBytes ?? 0) / 1e9).toFixed(1)} GB free in ${base}`,
    });
    report.ok = report.checks.every((c) => c.ok || c.name === 'GPUs');
    return report;
  } finally {
    ex.close();
  }
};

/** Trust a host key the user has checked: connecting with it adds the key only if the server still offers exactly that fingerprint. */
export const acceptHostKey = async (host: Host, profile: ClusterProfile, fingerprint: string): Promise<void> => {
  if (profile.kind === 'local')
    throw new ValleyError('bad_input', 'The local profile has no host key', { field: 'name' });
  const ex = await openExecutor(host, profile, undefined, { acceptFingerprint: fingerprint }).catch((e: unknown) => {
    // the key was accepted before authentication failed: that is enough here
    if (e instanceof ValleyError && (e.details?.['authFailed'] || e.details?.['needsPassphrase'])) return null;
    throw e;
  });
  ex?.close();
};
