import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import type { SshConfigHost } from '../../../shared/api/cluster';

/** The user's OpenSSH client config (VALLEY_SSH_CONFIG overrides, for tests). */
export const sshConfigPath = (): string => process.env['VALLEY_SSH_CONFIG'] ?? join(homedir(), '.ssh', 'config');

export const expandHome = (path: string): string =>
  path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;

const load = (path: string): SSHConfig | null =>
  existsSync(path) ? SSHConfig.parse(readFileSync(path, 'utf8')) : null;

const first = (v: string | string[] | undefined): string | null =>
  v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;

/** What ~/.ssh/config says for one alias (OpenSSH's first-match-wins rules, as the parser computes them). */
export const resolveSshAlias = (alias: string, path = sshConfigPath()): SshConfigHost => {
  const config = load(path);
  const c = config ? config.compute(alias, { ignoreCase: true, matchExec: false }) : {};
  const port = first(c['port']);
  const identity = first(c['identityfile']);
  return {
    alias,
    hostName: first(c['hostname']),
    port: port === null ? null : Number(port),
    user: first(c['user']),
    identityFile: identity === null ? null : expandHome(identity),
    proxyJump: first(c['proxyjump']),
  };
};

/** Every concrete alias (no wildcards, no negations) of the Host sections in ~/.ssh/config. */
export const listSshConfigHosts = (path = sshConfigPath()): SshConfigHost[] => {
  const config = load(path);
  if (!config) return [];
  const aliases = new Set<string>();
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const v of values) if (v && !/[*?!]/.test(v)) aliases.add(v);
  }
  return [...aliases].map((a) => resolveSshAlias(a, path));
};
