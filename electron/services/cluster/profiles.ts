import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ValleyError } from '../../../shared/api';
import { clusterProfileSchema, storedProfileSchema, type ClusterProfile } from '../../../shared/api/cluster';
import type { Engine } from '../engine/engine';
import { expandHome, resolveSshAlias } from './ssh-config';
import type { SshEndpoint } from './ssh';

/** The built-in profile: this machine, so Valley can be tried without a cluster. */
export const localProfile = (): ClusterProfile =>
  clusterProfileSchema.parse({ name: 'local', kind: 'local', remoteDir: join(homedir(), '.valley-jobs') });

export const listProfiles = async (engine: Engine): Promise<ClusterProfile[]> => {
  const rows = await engine.all('SELECT profile FROM valley_clusters ORDER BY name');
  const saved = rows.map((r) => storedProfileSchema.parse(JSON.parse(String(r['profile']))));
  return saved.some((p) => p.name === 'local') ? saved : [localProfile(), ...saved];
};

export const getProfile = async (engine: Engine, name: string): Promise<ClusterProfile> => {
  const found = (await listProfiles(engine)).find((p) => p.name === name);
  if (!found) throw new ValleyError('not_found', `No cluster profile named "${name}"`, { field: 'cluster' });
  return found;
};

export const saveProfile = async (
  engine: Engine,
  profile: ClusterProfile,
  replace: boolean,
): Promise<ClusterProfile> => {
  if (profile.kind !== 'local' && !profile.host.trim()) {
    throw new ValleyError('bad_input', `Cluster "${profile.name}": host must not be empty`, { field: 'profile.host' });
  }
  if (profile.keyFile && profile.kind !== 'local' && !existsSync(expandHome(profile.keyFile))) {
    throw new ValleyError(
      'bad_input',
      `Cluster "${profile.name}": key file ${profile.keyFile} does not exist on this computer`,
      { field: 'profile.keyFile', file: profile.keyFile },
    );
  }
  if (
    profile.auth === 'key' &&
    profile.kind !== 'local' &&
    !profile.keyFile &&
    !resolveSshAlias(profile.host).identityFile
  ) {
    throw new ValleyError('bad_input', `Cluster "${profile.name}": authentication by key file needs a key file`, {
      field: 'profile.keyFile',
    });
  }
  const exists = (await engine.all('SELECT 1 FROM valley_clusters WHERE name = $n', { n: profile.name })).length > 0;
  if (exists && !replace)
    throw new ValleyError('conflict', `A cluster named "${profile.name}" exists; pass replace to change it`, {
      field: 'profile.name',
    });
  await engine.run('INSERT OR REPLACE INTO valley_clusters (name, profile) VALUES ($n, $p)', {
    n: profile.name,
    p: JSON.stringify(profile),
  });
  return profile;
};

export const removeProfile = async (engine: Engine, name: string): Promise<void> => {
  await getProfile(engine, name);
  await engine.run('DELETE FROM valley_clusters WHERE name = $n', { n: name });
};

const defaultKnownHosts = (): string => join(homedir(), '.ssh', 'known_hosts');

/**
 * `[user@]host[:port]` or a ~/.ssh/config alias → an endpoint. Its key: the one the config names for it, else the
 * profile's own (one key for bastion and cluster is the common case), else the ssh-agent.
 */
const parseJump = (
  spec: string,
  knownHostsFile: string,
  depth: number,
  parent: Pick<SshEndpoint, 'auth' | 'keyFile'>,
): SshEndpoint => {
  const m = /^(?:([^@]+)@)?([^:@]+)(?::(\d+))?$/.exec(spec.trim());
  if (!m) throw new ValleyError('bad_input', `Jump host "${spec}" is not [user@]host[:port]`, { field: 'jumpHost' });
  const host = m[2] as string;
  const own = resolveSshAlias(host).identityFile;
  return endpointFor(
    {
      host,
      port: m[3] ? Number(m[3]) : null,
      user: m[1] ?? null,
      auth: own ? 'key' : parent.auth,
      keyFile: own ? null : parent.keyFile,
      jumpHost: null,
    },
    knownHostsFile,
    depth + 1,
  );
};

type EndpointFields = Pick<ClusterProfile, 'host' | 'port' | 'user' | 'auth' | 'keyFile' | 'jumpHost'>;

/** Resolve a profile through ~/.ssh/config: the profile's own fields win over the alias's. */
export const endpointFor = (p: EndpointFields, knownHostsFile: string, depth = 0): SshEndpoint => {
  if (depth > 3) throw new ValleyError('bad_input', 'Jump hosts nest more than 3 deep', { field: 'jumpHost' });
  const alias = resolveSshAlias(p.host);
  const keyFile = p.keyFile ? expandHome(p.keyFile) : alias.identityFile;
  const jumpSpec = p.jumpHost ?? (alias.proxyJump && alias.proxyJump.toLowerCase() !== 'none' ? alias.proxyJump : null);
  const auth =
    p.keyFile || (p.auth === 'key' && keyFile)
      ? 'key'
      : p.auth === 'agent' && !process.env['SSH_AUTH_SOCK'] && keyFile
        ? 'key'
        : p.auth;
  return {
    host: alias.hostName ?? p.host,
    port: p.port ?? alias.port ?? 22,
    user: p.user ?? alias.user ?? process.env['USER'] ?? 'root',
    auth,
    keyFile,
    knownHostsFile,
    jump: jumpSpec ? parseJump(jumpSpec.split(',')[0] as string, knownHostsFile, depth, { auth, keyFile }) : null,
  };
};

export const profileEndpoint = (p: ClusterProfile): SshEndpoint =>
  endpointFor(p, p.knownHostsFile ? expandHome(p.knownHostsFile) : defaultKnownHosts());

/** Where a profile's passphrase lives in Host.secrets (only if the user asked to remember it). */
export const secretKey = (profile: ClusterProfile): string => `cluster:${profile.name}:passphrase`;

/** How the profile really authenticates, after ~/.ssh/config: the key file and where it came from, or the agent. */
export const authSource = (p: ClusterProfile): string => {
  if (p.kind === 'local') return '';
  try {
    const e = profileEndpoint(p);
    if (e.auth === 'key' && e.keyFile) return `key ${e.keyFile}${p.keyFile ? '' : ' (IdentityFile in ~/.ssh/config)'}`;
    return process.env['SSH_AUTH_SOCK'] ? 'ssh-agent' : 'ssh-agent (SSH_AUTH_SOCK is not set)';
  } catch (error) {
    return `unresolved: ${(error as Error).message}`;
  }
};
