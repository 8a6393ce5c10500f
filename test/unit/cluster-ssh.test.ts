import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValleyError, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api';
import { bootBackend } from '../../electron/rpc/boot';
import { memorySecretStore } from '../../electron/services/host';
import { clusterProfileSchema } from '../../shared/api/cluster';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { startTestBackend, testHost, type TestBackend } from '../helpers/workspace';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { startTcpProxy } from '../helpers/tcp-proxy';

const env = clusterTestEnv();

const keygen = (file: string, passphrase = ''): string => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'valley-test-other', '-f', file]);
  return file;
};
const fingerprintOfPub = (pub: string): string =>
  execFileSync('ssh-keygen', ['-lf', pub, '-E', 'sha256']).toString().split(/\s+/)[1] as string;

describe.skipIf(!env)('cluster connections against a real sshd', () => {
  const e = env as NonNullable<typeof env>;
  let t: TestBackend;
  let dir: string;
  beforeAll(async () => {
    t = await startTestBackend();
    dir = join(t.dir, '..');
  });
  afterAll(async () => t?.close());

  it('test connection reports auth, scheduler, GPUs and free disk', async () => {
    await t.call('cluster.save', { profile: testProfile(e, knownHostsFor(e, dir), { name: 'ok' }) });
    const r = await t.call('cluster.test', { name: 'ok' });
    expect(r.checks.map((c) => c.name)).toEqual(['host key', 'authentication', 'scheduler', 'GPUs', 'free disk']);
    expect(r.checks.find((c) => c.name === 'authentication')?.ok).toBe(true);
    expect(r.scheduler).toBe('slurm');
    expect(r.gpus).toBe(e.slurmGpus);
    expect(r.freeBytes).toBeGreaterThan(0);
  });

  it('matches hashed known_hosts entries', async () => {
    const file = knownHostsFor(e, dir);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    await t.call('cluster.save', { profile: testProfile(e, file, { name: 'hashed' }) });
    const r = await t.call('cluster.test', { name: 'hashed' });
    expect(r.checks[0]).toMatchObject({ name: 'host key', ok: true });
  });

  it('shows an unknown host key by its SHA256 fingerprint and connects once it is accepted', async () => {
    const file = join(dir, 'empty_known_hosts');
    writeFileSync(file, '');
    await t.call('cluster.save', { profile: testProfile(e, file, { name: 'unknown' }) });
    const r = await t.call('cluster.test', { name: 'unknown' });
    expect(r.ok).toBe(false);
    const expected = fingerprintOfPub(e.hostKeyPub);
    expect(r.unknownHostKey?.fingerprint).toBe(expected);
    await expect(
      t.call('cluster.acceptHostKey', { name: 'unknown', fingerprint: 'SHA256:not-this-one' }),
    ).rejects.toThrow(/not known yet/);
    await t.call('cluster.acceptHostKey', { name: 'unknown', fingerprint: expected });
    expect(readFileSync(file, 'utf8')).toContain(`[${e.host}]:${e.port} ssh-ed25519`);
    expect((await t.call('cluster.test', { name: 'unknown' })).checks[1]).toMatchObject({
      name: 'authentication',
      ok: true,
    });
  });

  it('refuses a changed host key loudly', async () => {
    const other = keygen(join(dir, `other-host-${randomBytes(3).toString('hex')}`));
    const file = join(dir, 'wrong_known_hosts');
    writeFileSync(
      file,
      `[${e.host}]:${e.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    await t.call('cluster.save', { profile: testProfile(e, file, { name: 'changed' }) });
    const r = await t.call('cluster.test', { name: 'changed' });
    expect(r.ok).toBe(false);
    expect(r.checks[0]?.name).toBe('host key');
    expect(r.checks[0]?.detail).toMatch(/HOST KEY OF 127\.0\.0\.1:\d+ HAS CHANGED/);
    expect(r.checks[0]?.detail).toContain(fingerprintOfPub(e.hostKeyPub));
    expect(r.unknownHostKey).toBeNull();
  });

  it('reports bad credentials clearly, and never a passphrase', async () => {
    const stranger = keygen(join(dir, 'stranger'));
    await t.call('cluster.save', {
      profile: testProfile(e, knownHostsFor(e, dir), { name: 'stranger', keyFile: stranger }),
    });
    const r = await t.call('cluster.test', { name: 'stranger' });
    expect(r.checks).toEqual([
      {
        name: 'authentication',
        ok: false,
        detail: `Authentication failed for ${e.user}@${e.host}:${e.port}: the server refused the key ${stranger}`,
      },
    ]);

    const secret = `pass-${randomBytes(6).toString('hex')}`;
    const locked = keygen(join(dir, 'locked'), secret);
    await t.call('cluster.save', {
      profile: testProfile(e, knownHostsFor(e, dir), { name: 'locked', keyFile: locked }),
    });
    const none = await t.call('cluster.test', { name: 'locked' });
    expect(none.needsPassphrase).toBe(true);
    const wrong = await t.call('cluster.test', { name: 'locked', passphrase: `${secret}x` });
    expect(wrong.checks[0]?.detail).toBe(`The passphrase for key file ${locked} is wrong`);
    const right = await t.call('cluster.test', { name: 'locked', passphrase: secret });
    expect(right.checks[0]?.detail).toMatch(/Authentication failed/);
    const everything =
      JSON.stringify([none, wrong, right, await t.call('cluster.list', {})]) +
      readFileSync(join(t.dir, 'valley.duckdb')).toString('latin1');
    expect(everything).not.toContain(secret);
  });

  it('an encrypted key: the passphrase unlocks it, is kept only in a persistent store when the user agrees, and is written nowhere else', async () => {
    const enc = e.encryptedKey;
    if (!enc)
      return console.warn(
        'SKIPPED encrypted-key test: restart the services (bash .ci/services.sh start) to get the encrypted key',
      );
    const keychain = { ...memorySecretStore(), persistent: true };
    const wsDir = join(dir, 'ws-keychain');
    const backend = await bootBackend({
      host: { ...testHost(dir), secrets: keychain },
      version: 'test',
      workspaceDir: wsDir,
      ifMissing: 'create',
    });
    const call = async <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => {
      const r = await backend.router.handle(m, req, { transport: 'test' });
      if (!r.ok) throw ValleyError.from(r.error);
      return r.value as ResponseOf<M>;
    };
    try {
      const replies: unknown[] = [];
      await call('cluster.save', {
        profile: testProfile(e, knownHostsFor(e, dir), { name: 'once', keyFile: enc.file }),
      });
      replies.push(await call('cluster.test', { name: 'once' }));
      expect(replies[0]).toMatchObject({ needsPassphrase: true, ok: false });
      const unlocked = await call('cluster.test', { name: 'once', passphrase: enc.passphrase });
      expect(unlocked.checks.find((c) => c.name === 'authentication')?.ok).toBe(true);
      replies.push(unlocked, await call('cluster.test', { name: 'once' }));
      expect(replies[2]).toMatchObject({ needsPassphrase: true });
      expect(await keychain.get('cluster:once:passphrase')).toBeNull();

      await call('cluster.save', {
        profile: testProfile(e, knownHostsFor(e, dir), { name: 'kept', keyFile: enc.file, rememberPassphrase: true }),
      });
      replies.push(await call('cluster.test', { name: 'kept', passphrase: enc.passphrase }));
      expect(await keychain.get('cluster:kept:passphrase')).toBe(enc.passphrase);
      const again = await call('cluster.test', { name: 'kept' });
      expect(again.checks.find((c) => c.name === 'authentication')?.ok).toBe(true);
      replies.push(again, await call('cluster.list', {}), await call('cluster.jobs', {}));
      expect(JSON.stringify(replies)).not.toContain(enc.passphrase);
    } finally {
      await backend.close();
    }
    const grep = spawnSync('grep', ['-rlaF', enc.passphrase, wsDir], { encoding: 'utf8' });
    expect([grep.status, grep.stdout]).toEqual([1, '']); // 1: no file holds it
  });

  it('upload: resumes after the connection is killed, checks SHA-256, skips a file already there', async () => {
    const proxy = await startTcpProxy(e.port);
    try {
      const profile = clusterProfileSchema.parse(
        testProfile(e, knownHostsFor(e, dir, proxy.port), { port: proxy.port }),
      );
      const file = join(dir, 'big.jsonl');
      writeFileSync(file, randomBytes(12 * 1024 * 1024));
      const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
      const remote = `${profile.remoteDir}/data/big.jsonl`;
      const host = testHost(dir);
      let ex = await openExecutor(host, profile);
      let seen = 0;
      proxy.cutAfter(5 * 1024 * 1024);
      await expect(ex.upload(file, remote, { onProgress: (d) => (seen = d) })).rejects.toThrow();
      ex.close();
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThan(12 * 1024 * 1024);
      ex = await openExecutor(host, profile);
      const resumed = await ex.upload(file, remote);
      expect(resumed.resumedFrom).toBeGreaterThan(0);
      expect(resumed.sha256).toBe(hash);
      expect((await ex.run(sh`sha256sum < ${remote}`, 'hash')).split(' ')[0]).toBe(hash);
      const again = await ex.upload(file, remote);
      expect(again).toMatchObject({ skipped: true, bytes: 0 });
      await ex.run(sh`rm -rf ${profile.remoteDir}`, 'cleanup');
      ex.close();
    } finally {
      await proxy.close();
    }
  });

  it('authenticates with the keys of a real ssh-agent', async () => {
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const before = process.env['SSH_AUTH_SOCK'];
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', ['-q', e.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      process.env['SSH_AUTH_SOCK'] = sock;
      await t.call('cluster.save', {
        profile: testProfile(e, knownHostsFor(e, dir), { name: 'agent', auth: 'agent', keyFile: null }),
      });
      const r = await t.call('cluster.test', { name: 'agent' });
      expect(r.checks.find((c) => c.name === 'authentication')).toMatchObject({ ok: true });
      execFileSync('ssh-add', ['-D'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const refused = await t.call('cluster.test', { name: 'agent' });
      expect(refused.checks[0]?.detail).toBe(
        `Authentication failed for ${e.user}@${e.host}:${e.port}: the server refused the keys of the ssh-agent`,
      );
    } finally {
      if (before === undefined) delete process.env['SSH_AUTH_SOCK'];
      else process.env['SSH_AUTH_SOCK'] = before;
      agent.kill();
    }
  });

  it('connects through a jump host (the same sshd, reached through its own tunnel)', async () => {
    await t.call('cluster.save', {
      profile: testProfile(e, knownHostsFor(e, dir), { name: 'jumped', jumpHost: `${e.user}@${e.host}:${e.port}` }),
    });
    const r = await t.call('cluster.test', { name: 'jumped' });
    expect(r.checks.find((c) => c.name === 'authentication')).toMatchObject({ ok: true });
    const bad = testProfile(e, knownHostsFor(e, dir), { name: 'bad-jump', jumpHost: `${e.user}@${e.host}:1` });
    await t.call('cluster.save', { profile: bad });
    expect((await t.call('cluster.test', { name: 'bad-jump' })).checks[0]?.detail).toMatch(/127\.0\.0\.1:1 refused/);
  });

  it('a ValleyError for an unreachable port names the host', async () => {
    const profile = clusterProfileSchema.parse(testProfile(e, knownHostsFor(e, dir), { port: 1 }));
    const err = await openExecutor(testHost(dir), profile).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ValleyError);
    expect((err as ValleyError).message).toMatch(/127\.0\.0\.1:1 refused/);
  });
});
