import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/workspace';

/** Profiles: a key file that is not there is refused at save; the list says how each profile really authenticates. */
describe('cluster profiles', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
  });
  afterAll(async () => t?.close());

  it('refuses a key file that does not exist, naming it', async () => {
    await expect(
      t.call('cluster.save', {
        profile: { name: 'lab', kind: 'ssh', host: 'gpu.example.org', auth: 'key', keyFile: '/nonexistent/id_ed25519' },
      }),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: 'Cluster "lab": key file /nonexistent/id_ed25519 does not exist on this computer',
    });
    expect((await t.call('cluster.list', {})).clusters.map((c) => c.name)).toEqual(['local']);
  });

  it('shows the true authentication source: the key file, or the agent (and whether it is reachable)', async () => {
    const key = join(t.dir, '..', 'id_test');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    await t.call('cluster.save', {
      profile: { name: 'with-key', kind: 'ssh', host: 'gpu.example.org', auth: 'key', keyFile: key },
    });
    await t.call('cluster.save', {
      profile: { name: 'by-agent', kind: 'ssh', host: 'gpu.example.org', auth: 'agent' },
    });
    const { authSources } = await t.call('cluster.list', {});
    expect(authSources['with-key']).toBe(`key ${key}`);
    expect(authSources['by-agent']).toBe(
      process.env['SSH_AUTH_SOCK'] ? 'ssh-agent' : 'ssh-agent (SSH_AUTH_SOCK is not set)',
    );
    expect(authSources['local']).toBe('');
  });
});
