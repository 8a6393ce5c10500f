import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema } from '../../shared/api/cluster';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { tempDir, testHost } from '../helpers/workspace';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { fakeTuneScript } from '../helpers/fake-trainer';

const env = clusterTestEnv();
const root = resolve(__dirname, '../..');

describe.skipIf(!env)('valley cluster/submit/jobs/logs/cancel/fetch CLI against the real sshd', () => {
  const e = env as NonNullable<typeof env>;
  let dir: string;
  let cleanup: () => Promise<void>;
  let ws: string;
  // built only when the suite runs: without the CI services there is no env to build it from
  let profile: ReturnType<typeof testProfile>;
  const valley = (...args: string[]) =>
    spawnSync('node', [resolve(root, 'bin/valley.cjs'), ...args, '--workspace', ws], {
      encoding: 'utf8',
      cwd: root,
      timeout: 120_000,
    });
  const json = (...args: string[]) => {
    const r = valley(...args, '--json');
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    profile = testProfile(e, '');
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    ({ dir, cleanup } = await tempDir('valley-cluster-cli-'));
    ws = join(dir, 'ws');
    profile.knownHostsFile = knownHostsFor(e, dir);
    profile.setup = `export PATH="$HOME/${profile.remoteDir}/bin:$PATH"`;
    const ex = await openExecutor(testHost(dir), clusterProfileSchema.parse(profile));
    await ex.run(sh`mkdir -p ${`${profile.remoteDir}/bin`}`, 'setup');
    await ex.writeFile(`${profile.remoteDir}/bin/tune`, fakeTuneScript, 0o755);
    ex.close();
  });
  afterAll(async () => {
    const ex = await openExecutor(testHost(dir), clusterProfileSchema.parse(profile)).catch(() => null);
    await ex?.exec(sh`rm -rf ${profile.remoteDir as string}`);
    ex?.close();
    await cleanup();
  });

  it('adds, lists and tests a profile; an unknown host key gets the accept hint and a non-zero exit', () => {
    const add = valley(
      'cluster',
      'add',
      'lab',
      '--kind',
      'ssh',
      '--host',
      e.host,
      '--port',
      String(e.port),
      '--user',
      e.user,
      '--key',
      e.keyFile,
      '--known-hosts',
      profile.knownHostsFile as string,
      '--remote-dir',
      profile.remoteDir as string,
      '--setup',
      profile.setup as string,
    );
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('Cluster lab (ssh 127.0.0.1) saved');
    const list = json('cluster', 'list') as { clusters: { name: string }[] };
    expect(list.clusters.map((c) => c.name)).toEqual(['local', 'lab']);
    const test = valley('cluster', 'test', 'lab');
    expect(test.status, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^ok {4}authentication/m);
    const empty = join(dir, 'kh-empty');
    writeFileSync(empty, '');
    expect(
      valley(
        'cluster',
        'add',
        'fresh',
        '--kind',
        'ssh',
        '--host',
        e.host,
        '--port',
        String(e.port),
        '--user',
        e.user,
        '--key',
        e.keyFile,
        '--known-hosts',
        empty,
      ).status,
    ).toBe(0);
    const unknown = valley('cluster', 'test', 'fresh');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toMatch(/--accept-host-key SHA256:\S+/);
  });

  it('submits, follows, tails, fetches and cancels from the command line', async () => {
    const data = join(dir, 'tiny.jsonl');
    writeFileSync(data, '{"messages":[]}\n{"messages":[]}\n');
    const preview = valley(
      'submit',
      '--cluster',
      'lab',
      '--template',
      'custom',
      '--data',
      data,
      '--var',
      'command=tune',
      '--preview',
    );
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('--- run.sh');
    const sub = json(
      'submit',
      '--cluster',
      'lab',
      '--template',
      'custom',
      '--data',
      data,
      '--var',
      'command=tune',
      '--seed',
      '7',
      '--label',
      'study=cli',
    ) as { jobs: { id: string }[] };
    const id = sub.jobs[0]?.id as string;
    let state = '';
    for (let i = 0; i < 100 && state !== 'completed'; i++) {
      const jobs = json('jobs') as { jobs: { id: string; state: string }[] };
      state = jobs.jobs.find((j) => j.id === id)?.state ?? '';
      if (state !== 'completed') await new Promise((r) => setTimeout(r, 300));
    }
    expect(state).toBe('completed');
    const logs = json('logs', id) as { loss: unknown[]; text: string };
    expect(logs.loss).toHaveLength(5);
    const fetched = json('fetch', id) as { run: { metrics: Record<string, number>; labels: Record<string, string> } };
    expect(fetched.run.metrics['pass@1']).toBeCloseTo(0.2, 10);
    expect(fetched.run.labels).toMatchObject({ study: 'cli', seed: '7' });
    const long = json('submit', '--cluster', 'lab', '--template', 'custom', '--var', 'command=sleep 300') as {
      jobs: { id: string }[];
    };
    const cancelled = json('cancel', long.jobs[0]?.id as string) as { state: string };
    expect(cancelled.state).toBe('cancelled');
    const missing = valley('logs', 'no-such-job');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No job "no-such-job" in this workspace');
  });
});
