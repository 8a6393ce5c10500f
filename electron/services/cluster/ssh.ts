import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, utils, type ConnectConfig } from 'ssh2';
import { ValleyError } from '../../../shared/api';
import { addHostKey, checkHostKey, type HostKeyStatus } from './known-hosts';

/** Where and as whom to connect, fully resolved (ssh config applied). */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  auth: 'agent' | 'key';
  keyFile: string | null;
  knownHostsFile: string;
  /** Reached first; the connection to this endpoint is tunnelled through it. */
  jump: SshEndpoint | null;
}

export interface SshSecrets {
  /** Passphrase of the endpoint's key file (never logged, never part of an error). */
  passphrase?: string | undefined;
}

export const describeEndpoint = (e: SshEndpoint): string => `${e.user}@${e.host}:${e.port}`;

/** Thrown when the host's key is not in known_hosts: the UI shows the fingerprint and may accept it. */
export const unknownHostKeyError = (
  e: SshEndpoint,
  status: Extract<HostKeyStatus, { status: 'unknown' }>,
): ValleyError =>
  new ValleyError(
    'forbidden',
    `The host key of ${e.host}:${e.port} is not known yet (${status.keyType} ${status.fingerprint}). ` +
      'Check this fingerprint with the cluster’s administrators, then accept it.',
    { unknownHostKey: { host: e.host, port: e.port, fingerprint: status.fingerprint, keyType: status.keyType } },
  );

const changedHostKeyError = (e: SshEndpoint, s: Extract<HostKeyStatus, { status: 'changed' }>): ValleyError =>
  new ValleyError(
    'forbidden',
    `WARNING: THE HOST KEY OF ${e.host}:${e.port} HAS CHANGED. Valley refused to connect: someone may be ` +
      `intercepting the connection. known_hosts (${e.knownHostsFile}, line ${s.line}) expects ${s.expected}, ` +
      `the server offered ${s.keyType} ${s.fingerprint}. If the host was really reinstalled, remove that line.`,
    { file: e.knownHostsFile, line: s.line, hostKeyChanged: true },
  );

/** Load a private key, turning every failure into a message that names the file but never the passphrase. */
const loadKey = async (e: SshEndpoint, passphrase: string | undefined): Promise<Buffer> => {
  const file = e.keyFile as string;
  if (!existsSync(file))
    throw new ValleyError('not_found', `Key file ${file} does not exist`, { file, field: 'keyFile' });
  const data = await readFile(file);
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new ValleyError('forbidden', `Key file ${file} is encrypted: a passphrase is needed`, {
        file,
        needsPassphrase: true,
      });
    }
    if (/passphrase|decrypt|integrity/i.test(parsed.message)) {
      throw new ValleyError('forbidden', `The passphrase for key file ${file} is wrong`, {
        file,
        needsPassphrase: true,
      });
    }
    throw new ValleyError('bad_input', `Key file ${file} is not a private key Valley can read`, { file });
  }
  return data;
};

const connectionError = (
  e: SshEndpoint,
  error: Error & { level?: string; code?: string },
  how: string,
): ValleyError => {
  const where = describeEndpoint(e);
  if (error.level === 'client-authentication') {
    return new ValleyError('forbidden', `Authentication failed for ${where}: the server refused ${how}`, {
      authFailed: true,
    });
  }
  if (error.code === 'ECONNREFUSED')
    return new ValleyError('unavailable', `Connection to ${e.host}:${e.port} refused (is sshd running there?)`);
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
    return new ValleyError('unavailable', `Host ${e.host} not found`);
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT')
    return new ValleyError('unavailable', `Connection to ${e.host}:${e.port} timed out`);
  return new ValleyError('unavailable', `SSH connection to ${where} failed: ${error.message}`);
};

export interface ConnectOptions {
  /** Accept and remember an unknown host key, but only if its fingerprint is this one (the user saw it). */
  acceptFingerprint?: string | undefined;
  readyTimeoutMs?: number;
}

/** Open an authenticated SSH connection (through the jump host, if any), checking the host key first. */
export const connectSsh = async (
  e: SshEndpoint,
  secrets: SshSecrets,
  options: ConnectOptions = {},
  sock?: Duplex,
): Promise<Client> => {
  let jumpClient: Client | null = null;
  if (e.jump && !sock) {
    jumpClient = await connectSsh(e.jump, {}, { readyTimeoutMs: options.readyTimeoutMs });
    const jc = jumpClient;
    sock = await new Promise<Duplex>((resolve, reject) =>
      jc.forwardOut('127.0.0.1', 0, e.host, e.port, (err, stream) =>
        err ? reject(connectionError(e, err, 'the tunnel')) : resolve(stream),
      ),
    ).catch((err: unknown) => {
      jc.end();
      throw err;
    });
  }
  const config: ConnectConfig = {
    host: e.host,
    port: e.port,
    username: e.user,
    readyTimeout: options.readyTimeoutMs ?? 20_000,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    ...(sock ? { sock } : {}),
  };
  let how: string;
  if (e.auth === 'key') {
    if (!e.keyFile)
      throw new ValleyError('bad_input', 'This profile authenticates with a key file, but none is set', {
        field: 'keyFile',
      });
    config.privateKey = await loadKey(e, secrets.passphrase);
    if (secrets.passphrase) config.passphrase = secrets.passphrase;
    how = `the key ${e.keyFile}`;
  } else {
    const agent = process.env['SSH_AUTH_SOCK'];
    if (!agent)
      throw new ValleyError(
        'unavailable',
        'No ssh-agent is running (SSH_AUTH_SOCK is not set); use a key file instead',
        { field: 'auth' },
      );
    config.agent = agent;
    how = 'the keys of the ssh-agent';
  }
  let refusal: ValleyError | null = null;
  config.hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
    void (async () => {
      const status = await checkHostKey(e.knownHostsFile, e.host, e.port, key);
      if (status.status === 'match') return verify(true);
      if (status.status === 'unknown' && options.acceptFingerprint === status.fingerprint) {
        await addHostKey(e.knownHostsFile, e.host, e.port, key);
        return verify(true);
      }
      if (status.status === 'unknown') refusal = unknownHostKeyError(e, status);
      else if (status.status === 'changed') refusal = changedHostKeyError(e, status);
      else
        refusal = new ValleyError(
          'forbidden',
          `The host key of ${e.host}:${e.port} is revoked in ${e.knownHostsFile}`,
          { file: e.knownHostsFile, line: status.line },
        );
      verify(false);
    })().catch(() => verify(false));
  };
  const client = new Client();
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (err: Error & { level?: string; code?: string }) =>
        reject(refusal ?? connectionError(e, err, how)),
      );
      client.once('close', () =>
        reject(
          refusal ??
            new ValleyError('unavailable', `SSH connection to ${describeEndpoint(e)} closed during the handshake`),
        ),
      );
      client.connect(config);
    });
  } catch (error) {
    client.end();
    jumpClient?.end();
    throw error;
  }
  client.on('error', () => undefined); // later errors surface through the operation that hits them
  if (jumpClient) {
    const jc = jumpClient;
    client.once('close', () => jc.end());
  }
  return client;
};
