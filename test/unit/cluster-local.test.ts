import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJobStates, type Job } from '../../shared/api/cluster';
import { startTestBackend, tempDir, testHost, type TestBackend } from '../helpers/workspace';
import { bootBackend } from '../../electron/rpc/boot';
import { ValleyError, backendNoticeSchema, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api';
import { fakeTuneScript } from '../helpers/fake-trainer';
import { insertJob } from '../../electron/services/cluster/jobs';

/** The built-in "local" backend needs no services: the same loop as a cluster, on this machine. */
describe('local backend (this machine)', () => {
  let t: TestBackend;
  let data: string;
  beforeAll(async () => {
    t = await startTestBackend();
    const root = join(t.dir, '..');
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin', 'tune'), fakeTuneScript);
    chmodSync(join(root, 'bin', 'tune'), 0o755);
    data = join(root, 'tiny.jsonl');
    writeFileSync(data, '{"messages":[]}\n'.repeat(4));
    await t.call('cluster.save', {
      profile: {
        name: 'here',
        kind: 'local',
        remoteDir: join(root, 'jobs-here'),
        setup: `export PATH=${root}/bin:"$PATH"`,
      },
    });
  });
  afterAll(async () => t?.close());

  const waitDone = async (id: string): Promise<Job> => {
    for (let i = 0; i < 200; i++) {
      const job = (await t.call('cluster.jobs', { refresh: true })).jobs.find((j) => j.id === id) as Job;
      if (finishedJobStates.includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('job did not finish');
  };

  it('lists the built-in local profile and tests it', async () => {
    const { clusters } = await t.call('cluster.list', {});
    expect(clusters.map((c) => c.name)).toEqual(['local', 'here']);
    const r = await t.call('cluster.test', { name: 'here' });
    expect(r.checks.map((c) => c.name)).toEqual(['scheduler', 'GPUs', 'free disk']);
    await t.call('cluster.save', { profile: { name: 'spare', kind: 'ssh', host: 'gpu.example.org' } });
    await expect(t.call('cluster.save', { profile: { name: 'spare', kind: 'ssh', host: 'other' } })).rejects.toThrow(
      /exists; pass replace/,
    );
    await expect(t.call('cluster.save', { profile: { name: 'nohost', kind: 'slurm' } })).rejects.toThrow(
      'Cluster "nohost": host must not be empty',
    );
    await t.call('cluster.remove', { name: 'spare' });
    expect((await t.call('cluster.list', {})).clusters.map((c) => c.name)).toEqual(['local', 'here']);
  });

  it('runs a job as a detached process, captures its exit code, tails its log, imports its results', async () => {
    const { jobs } = await t.call('cluster.submit', {
      cluster: 'here',
      template: 'custom',
      data: [data],
      variables: { command: 'tune' },
    });
    const done = await waitDone(jobs[0]?.id as string);
    expect([done.state, done.exitCode]).toEqual(['completed', 0]);
    expect((await t.call('cluster.logs', { job: done.id })).loss).toHaveLength(5);
    const { run } = await t.call('cluster.fetch', { job: done.id });
    expect(run.metrics['pass@1']).toBeCloseTo(0.4, 10);
  });

  it('marks a submission left half-done by a Valley that stopped as failed', async () => {
    await insertJob(t.backend.services.workspace.engine, {
      id: 'orphan-1',
      name: 'orphan',
      cluster: 'here',
      kind: 'local',
      template: 'custom',
      remoteId: null,
      remoteDir: '/nowhere',
      state: 'submitting',
      detail: 'uploading',
      node: null,
      exitCode: null,
      submittedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      elapsedSeconds: null,
      labels: {},
      manifest: null,
      runId: null,
      files: [],
    });
    const job = (await t.call('cluster.jobs', { refresh: true })).jobs.find((j) => j.id === 'orphan-1');
    expect([job?.state, job?.detail]).toEqual([
      'failed',
      'submission interrupted (Valley stopped before it was sent); submit again',
    ]);
  });

  it('fills the LiveCodeBench evaluation template with the runner’s arguments', async () => {
    const p = await t.call('cluster.preview', {
      cluster: 'here',
      template: 'lcb-eval',
      variables: { model_path: '/ckpt/qwen-1k-s0', n: '10' },
    });
    const run = p.jobs[0]?.files.find((f) => f.name === 'run.sh')?.text ?? '';
    for (const arg of [
      '--local_model_path /ckpt/qwen-1k-s0',
      '--scenario codegeneration',
      '--n 10',
      '--temperature 0.2',
      '--release_version release_v5',
      '--evaluate',
    ])
      expect(run).toContain(arg);
  });

  it('captures a failing exit code and cancels a running job', async () => {
    const failing = await t.call('cluster.submit', {
      cluster: 'here',
      template: 'custom',
      variables: { command: 'echo about to fail; exit 3' },
    });
    const failed = await waitDone(failing.jobs[0]?.id as string);
    expect([failed.state, failed.exitCode, failed.detail]).toEqual(['failed', 3, 'exit code 3']);
    expect((await t.call('cluster.logs', { job: failed.id })).text).toContain('about to fail');
    const long = await t.call('cluster.submit', {
      cluster: 'here',
      template: 'custom',
      variables: { command: 'sleep 300' },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.call('cluster.cancel', { job: long.jobs[0]?.id as string })).state).toBe('cancelled');
    // every process of the job is gone, not just its wrapper
    const pgid = Number(readFileSync(join(long.jobs[0]?.remoteDir as string, 'pid'), 'utf8'));
    const groupAlive = () => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive()).toBe(false);
  });
});

describe('a sweep over a real subset export (manifest) on the local backend', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 300 });
    const root = join(t.dir, '..');
    mkdirSync(join(root, 'bin'), { recursive: true });
    writeFileSync(join(root, 'bin', 'tune'), fakeTuneScript);
    chmodSync(join(root, 'bin', 'tune'), 0o755);
    await t.call('cluster.save', {
      profile: {
        name: 'here',
        kind: 'local',
        remoteDir: join(root, 'jobs-here'),
        setup: `export PATH=${root}/bin:"$PATH"`,
      },
    });
  });
  afterAll(async () => t?.close());

  it('trains one job per exported size, each linked to the manifest, and imports each as a run', async () => {
    const { datasets } = await t.call('data.datasets', {});
    const dataset = datasets.find((d) => d.kind === 'traces')?.name as string;
    await t.call('curate.subsets.save', { name: 'tiny', spec: { dataset, sizes: [5, 10] } });
    const exported = await t.call('curate.export', { subset: 'tiny', formats: ['torchtune'], wait: true });
    expect((await t.call('cluster.exports', {})).exports).toEqual([
      { dir: exported.dir, subset: 'tiny', sizes: [5, 10] },
    ]);
    const { jobs } = await t.call('cluster.submit', {
      cluster: 'here',
      template: 'custom',
      data: [exported.dir],
      seeds: [3],
      variables: { command: 'tune' },
    });
    expect(jobs.map((j) => [j.labels['subset'], j.labels['size'], j.manifest])).toEqual([
      ['tiny', '5', join(exported.dir, 'manifest.json')],
      ['tiny', '10', join(exported.dir, 'manifest.json')],
    ]);
    for (const j of jobs) {
      for (let i = 0; i < 200; i++) {
        const job = (await t.call('cluster.jobs', { refresh: true })).jobs.find((x) => x.id === j.id) as Job;
        if (finishedJobStates.includes(job.state)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const runs = await Promise.all(jobs.map(async (j) => (await t.call('cluster.fetch', { job: j.id })).run));
    expect(runs.map((r) => [r.size, r.seed, r.metrics['pass@1']])).toEqual([
      [5, 3, 0.5],
      [10, 3, 1],
    ]);
  });
});

describe('job events and notifications', () => {
  it('pushes cluster.job events as a job moves, and notifies the desktop when it ends', async () => {
    const { dir, cleanup } = await tempDir('valley-cluster-notify-');
    const notes: string[] = [];
    const backend = await bootBackend({
      host: { ...testHost(dir), notify: (title, body) => notes.push(`${title} — ${body}`) },
      version: 'test',
      workspaceDir: join(dir, 'ws'),
      ifMissing: 'create',
    });
    const seen: string[] = [];
    const posted: unknown[] = [];
    const off = backend.services.bus.subscribe((name, payload) => {
      if (name === 'cluster.job') seen.push((payload as Job).state);
      if (name === 'notice.posted') posted.push(payload);
    });
    try {
      const call = async <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => {
        const r = await backend.router.handle(m, req, { transport: 'test' });
        if (!r.ok) throw ValleyError.from(r.error);
        return r.value as ResponseOf<M>;
      };
      await call('cluster.save', { profile: { name: 'here', kind: 'local', remoteDir: join(dir, 'jobs') } });
      const { jobs } = await call('cluster.submit', {
        cluster: 'here',
        template: 'custom',
        variables: { command: 'sleep 0.3; exit 4' },
      });
      for (let i = 0; i < 100 && !seen.includes('failed'); i++) {
        await call('cluster.jobs', { refresh: true });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen[0]).toBe('running');
      expect(seen.at(-1)).toBe('failed');
      expect(notes).toEqual([`Job failed: ${jobs[0]?.name} — here · exit code 4`]);
      // the same notice, pushed to every window as a typed event
      expect(posted.map((p) => backendNoticeSchema.parse(p))).toEqual([
        {
          kind: 'error',
          title: `Job failed: ${jobs[0]?.name}`,
          body: 'here · exit code 4',
          source: 'job',
          subject: jobs[0]?.id,
        },
      ]);
    } finally {
      off();
      await backend.close();
      await cleanup();
    }
  });
});
