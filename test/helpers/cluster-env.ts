import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterProfileInput } from '../../shared/api/cluster';

/** The loopback sshd and Slurm that `.ci/services.sh start` runs (facts from its .ci/.services.env). */
export interface ClusterTestEnv {
  host: string;
  port: number;
  user: string;
  keyFile: string;
  /** An authorized key encrypted with `passphrase` (null if the services predate it). */
  encryptedKey: { file: string; passphrase: string } | null;
  knownHosts: string;
  hostKeyPub: string;
  slurmPartition: string;
  slurmGpus: number;
}

const fromFile = (): Record<string, string> => {
  const file = join(__dirname, '..', '..', '.ci', '.services.env');
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(VALLEY_TEST_\w+)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
};

/** The services' facts from the environment (or .ci/.services.env), or null with a visible reason. */
export const clusterTestEnv = (): ClusterTestEnv | null => {
  const env = { ...fromFile(), ...process.env };
  const need = [
    'VALLEY_TEST_SSH_PORT',
    'VALLEY_TEST_SSH_USER',
    'VALLEY_TEST_SSH_KEY',
    'VALLEY_TEST_SSH_KNOWN_HOSTS',
    'VALLEY_TEST_SSH_HOST_KEY_PUB',
  ];
  const missing = need.filter((k) => !env[k]);
  if (missing.length > 0 || !existsSync(env['VALLEY_TEST_SSH_KEY'] as string)) {
    console.warn(
      `SKIPPED cluster tests against real sshd/Slurm: run \`bash .ci/services.sh start\` as root first (missing ${missing.join(', ') || 'key file'})`,
    );
    return null;
  }
  return {
    host: env['VALLEY_TEST_SSH_HOST'] ?? '127.0.0.1',
    port: Number(env['VALLEY_TEST_SSH_PORT']),
    user: env['VALLEY_TEST_SSH_USER'] as string,
    keyFile: env['VALLEY_TEST_SSH_KEY'] as string,
    encryptedKey:
      env['VALLEY_TEST_SSH_KEY_ENCRYPTED'] &&
      env['VALLEY_TEST_SSH_KEY_PASSPHRASE_FILE'] &&
      existsSync(env['VALLEY_TEST_SSH_KEY_PASSPHRASE_FILE'])
        ? {
            file: env['VALLEY_TEST_SSH_KEY_ENCRYPTED'],
            passphrase: readFileSync(env['VALLEY_TEST_SSH_KEY_PASSPHRASE_FILE'], 'utf8').trim(),
          }
        : null,
    knownHosts: env['VALLEY_TEST_SSH_KNOWN_HOSTS'] as string,
    hostKeyPub: env['VALLEY_TEST_SSH_HOST_KEY_PUB'] as string,
    slurmPartition: env['VALLEY_TEST_SLURM_PARTITION'] ?? 'debug',
    slurmGpus: Number(env['VALLEY_TEST_SLURM_GPUS'] ?? '0'),
  };
};

/** A known_hosts file (in `dir`) that knows the test host's key at `port`. */
export const knownHostsFor = (env: ClusterTestEnv, dir: string, port = env.port): string => {
  const [type, key] = readFileSync(env.hostKeyPub, 'utf8').trim().split(/\s+/);
  const file = join(dir, `known_hosts-${port}-${randomBytes(3).toString('hex')}`);
  writeFileSync(file, `[${env.host}]:${port} ${type} ${key}\n`);
  return file;
};

/** A profile for the test host, with its own remote folder so test runs never meet. */
export const testProfile = (
  env: ClusterTestEnv,
  knownHostsFile: string,
  over: Partial<ClusterProfileInput> = {},
): ClusterProfileInput => ({
  name: 'loopback',
  kind: 'ssh',
  host: env.host,
  port: env.port,
  user: env.user,
  auth: 'key',
  keyFile: env.keyFile,
  knownHostsFile,
  remoteDir: `valley-test-${randomBytes(4).toString('hex')}`,
  ...over,
});
