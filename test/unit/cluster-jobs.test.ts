import { writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValleyError, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api';
import { clusterProfileSchema, finishedJobStates, type ClusterProfileInput, type Job } from '../../shared/api/cluster';
import { bootBackend, type Backend } from '../../electron/rpc/boot';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { slurmScheduler } from '../../electron/services/cluster/sched-slurm';
import { tempDir, testHost } from '../helpers/workspace';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { fakeModelFiles, fakeTuneScript } from '../helpers/fake-trainer';

const env = clusterTestEnv();
const NASTY = "x'; rm -rf ~ #";

/** A backend that can be closed and reopened on the same workspace (a restart of Valley). */
const restartable = async () => {
  const { dir, cleanup } = await tempDir('valley-cluster-');
  const ws = join(dir, 'ws');
  let backend: Backend = await bootBackend({
    host: testHost(dir),
    version: 'test',
    workspaceDir: ws,
    ifMissing: 'create',
  });
  const call = async <M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> => {
    const r = await backend.router.handle(method, request, { transport: 'test' });
    if (!r.ok) throw ValleyError.from(r.error);
    return r.value as ResponseOf<M>;
  };
  return {
    dir,
    call,
    async restart() {
      await backend.close();
      backend = await bootBackend({ host: testHost(dir), version: 'test', workspaceDir: ws, ifMissing: 'refuse' });
    },
    async close() {
      await backend.close();
      await cleanup();
    },
  };
};
type TB = Awaited<ReturnType<typeof restartable>>;

const waitFor = async (t: TB, ids: string[], until: (j: Job) => boolean, seconds = 90): Promise<Job[]> => {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { jobs, errors } = await t.call('cluster.jobs', { refresh: true });
    expect(errors).toEqual([]);
    const mine = jobs.filter((j) => ids.includes(j.id));
    if (mine.length === ids.length && mine.every(until)) return mine;
    if (Date.now() > deadline)
      throw new Error(
        `jobs did not reach the state in time: ${JSON.stringify(mine.map((j) => [j.name, j.state, j.detail]))}`,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
};
const finished = (j: Job) => finishedJobStates.includes(j.state);

describe.skipIf(!env)('cluster jobs against a real sshd and a real Slurm', () => {
  const e = env as NonNullable<typeof env>;
  let t: TB;
  let data: string;
  const profiles: ClusterProfileInput[] = [];

  const setupProfile = async (over: Partial<ClusterProfileInput>) => {
    const p = testProfile(e, knownHostsFor(e, t.dir), over);
    p.setup = `export PATH="$HOME/${p.remoteDir}/bin:$PATH"`;
    const ex = await openExecutor(testHost(t.dir), clusterProfileSchema.parse(p));
    await ex.run(sh`mkdir -p ${`${p.remoteDir}/bin`} && touch canary-${p.remoteDir as string}`, 'setup');
    await ex.writeFile(`${p.remoteDir}/bin/tune`, fakeTuneScript, 0o755);
    const model = `${p.remoteDir}/models/Qwen-Qwen2.5-7B-Instruct`;
    await ex.run(sh`mkdir -p ${model}`, 'model folder');
    for (const [f, text] of Object.entries(fakeModelFiles(['vocab.json', 'merges.txt'], '00004', 28)))
      await ex.writeFile(`${model}/${f}`, text);
    ex.close();
    await t.call('cluster.save', { profile: p });
    profiles.push(p);
    return p;
  };

  beforeAll(async () => {
    t = await restartable();
    data = join(t.dir, `${NASTY}.jsonl`);
    writeFileSync(
      data,
      Array.from({ length: 6 }, (_, i) =>
        JSON.stringify({
          messages: [
            { role: 'user', content: `q${i}` },
            { role: 'assistant', content: `a${i}` },
          ],
        }),
      ).join('\n') + '\n',
    );
  });
  afterAll(async () => {
    for (const p of profiles) {
      const ex = await openExecutor(testHost(t.dir), clusterProfileSchema.parse(p)).catch(() => null);
      await ex?.exec(sh`rm -rf ${p.remoteDir as string} canary-${p.remoteDir as string}`);
      ex?.close();
    }
    await t?.close();
  });

  it('plain SSH: upload → submit → monitor → logs → fetch → import, with a subset named like an injection', async () => {
    const p = await setupProfile({ name: 'plain', kind: 'ssh' });
    const preview = await t.call('cluster.preview', {
      cluster: 'plain',
      template: 'custom',
      data: [data],
      seeds: [1, 2],
      variables: { command: 'tune' },
    });
    expect(preview.jobs).toHaveLength(2);
    expect(preview.jobs[0]?.files.find((f) => f.name === 'job.sh')?.text).toContain(
      `export VALLEY_SUBSET='x'\\''; rm -rf ~ #'`,
    );
    const jobIds = preview.jobs.map((j) => j.id as string);
    const { jobs } = await t.call('cluster.submit', {
      cluster: 'plain',
      template: 'custom',
      data: [data],
      seeds: [1, 2],
      variables: { command: 'tune' },
      labels: { study: 'valley' },
      jobIds,
    });
    expect(jobs.map((j) => j.state)).toEqual(['running', 'running']);
    expect(jobs.map((j) => j.id)).toEqual(jobIds);
    await expect(
      t.call('cluster.submit', {
        cluster: 'plain',
        template: 'custom',
        data: [data],
        seeds: [1, 2],
        variables: { command: 'tune' },
        jobIds,
      }),
    ).rejects.toThrow(/already submitted/);
    const done = await waitFor(
      t,
      jobs.map((j) => j.id),
      finished,
    );
    expect(done.map((j) => [j.state, j.exitCode])).toEqual([
      ['completed', 0],
      ['completed', 0],
    ]);
    expect(done[0]?.node).toBeTruthy();
    const logs = await t.call('cluster.logs', { job: jobs[0]?.id as string });
    expect(logs.text).toContain(`fake torchtune: 6 examples from`);
    expect(logs.loss.map((l) => l.step)).toEqual([1, 2, 3, 4, 5]);
    expect(logs.loss[0]).toEqual({ step: 1, epoch: null, loss: 2.5, lr: 8e-5 });
    const fetched = await t.call('cluster.fetch', { job: jobs[0]?.id as string });
    expect(fetched.run.metrics['pass@1']).toBeCloseTo(0.6, 10);
    expect(fetched.run.labels).toMatchObject({
      subset: NASTY,
      size: '6',
      seed: expect.stringMatching(/^[12]$/),
      study: 'valley',
      cluster: 'plain',
    });
    expect(fetched.run.size).toBe(6);
    expect(fetched.job.runId).toBe(fetched.run.id);
    expect(fetched.files).toContain('train.log');
    expect((await t.call('cluster.fetch', { job: jobs[0]?.id as string })).run.id).toBe(fetched.run.id);
    // the injection-shaped name did nothing: the home folder and its canary are still there
    const ex = await openExecutor(testHost(t.dir), clusterProfileSchema.parse(p));
    expect(
      (await ex.exec(sh`test -f canary-${p.remoteDir as string} && ls ${`${p.remoteDir}/data`}`)).stdout.trim(),
    ).toBe(NASTY);
    // what was sent is byte for byte what the preview showed
    for (const f of preview.jobs[0]?.files ?? [])
      expect((await ex.readFile(`${jobs[0]?.remoteDir}/${f.name}`)).toString()).toBe(f.text);
    ex.close();
  });

  it('Slurm: a torchtune sweep as one job array under srun, with #SBATCH resources; fetch says why there is no run', async () => {
    await setupProfile({ name: 'slurm', kind: 'slurm', partition: e.slurmPartition, cpusPerGpu: 1 });
    const req = {
      cluster: 'slurm',
      template: 'torchtune-full',
      data: [data],
      seeds: [1, 2],
      array: true,
      variables: { gpus: '1', effective_batch: '2', time: '0:10:00' },
    };
    const preview = await t.call('cluster.preview', req);
    const arrayScript = preview.jobs[0]?.files[0]?.text ?? '';
    expect(arrayScript).toContain(`#SBATCH --partition='${e.slurmPartition}'`);
    expect(arrayScript).toContain(`#SBATCH --gres='gpu:1'`);
    expect(arrayScript).toContain(`#SBATCH --array='0-1'`);
    expect(arrayScript).toContain(`#SBATCH --cpus-per-task='1'`);
    expect(arrayScript).toContain(`#SBATCH --mem-per-gpu='64G'`);
    const config = preview.jobs[1]?.files.find((f) => f.name === 'config.yaml')?.text ?? '';
    expect(config).toContain('conversation_style: openai');
    expect(config).toContain('gradient_accumulation_steps: 2');
    expect(config).toContain('lr: 0.00008');
    expect(config).toContain('num_warmup_steps: 2'); // 5 epochs × (6 rows // 2) = 15 steps, 10 % rounded up
    // the subset's hostile name stays one YAML string
    expect((parse(config) as { dataset: { data_files: string } }).dataset.data_files).toMatch(
      new RegExp(`/data/${NASTY.replace(/[$*]/g, '\\$&')}/${NASTY.replace(/[$*]/g, '\\$&')}\\.jsonl$`),
    );
    expect(preview.jobs[1]?.files.find((f) => f.name === 'run.sh')?.text).toContain(
      'srun --ntasks-per-node=1 --kill-on-bad-exit=1 tune run --nnodes 1 --nproc_per_node 1',
    );
    const { jobs } = await t.call('cluster.submit', req);
    expect(jobs.map((j) => j.remoteId)).toEqual([expect.stringMatching(/^\d+_0$/), expect.stringMatching(/^\d+_1$/)]);
    const done = await waitFor(
      t,
      jobs.map((j) => j.id),
      finished,
    );
    expect(done.map((j) => [j.state, j.exitCode, j.node])).toEqual([
      ['completed', 0, 'localhost'],
      ['completed', 0, 'localhost'],
    ]);
    const logs = await t.call('cluster.logs', { job: jobs[1]?.id as string });
    expect(logs.loss).toHaveLength(5);
    // training alone writes checkpoints, not an evaluation: fetch says what it found and why there is no run
    await expect(t.call('cluster.fetch', { job: jobs[1]?.id as string })).rejects.toThrow(
      /no LiveCodeBench \*_eval_all\.json was written; found .*train\.log/,
    );
  });

  it('a job Slurm no longer lists: sacct fails (accounting off), so the wrapper’s exit code decides', async () => {
    const p = profiles.find((x) => x.name === 'slurm') as ClusterProfileInput;
    const ex = await openExecutor(testHost(t.dir), clusterProfileSchema.parse(p));
    try {
      expect((await ex.exec('sacct -n -X -j 1')).code).not.toBe(0);
      const dir = `${await ex.run(sh`cd ${p.remoteDir as string} && pwd`, 'pwd').then((o) => o.trim())}/jobs/gone`;
      await ex.run(sh`mkdir -p ${dir} && echo 0 > ${`${dir}/exit_code`}`, 'setup');
      const states = await slurmScheduler.status(ex, [
        { remoteId: '99999999', remoteDir: dir },
        { remoteId: '99999998', remoteDir: `${dir}-none` },
      ]);
      expect(states.get('99999999')).toMatchObject({ state: 'completed', exitCode: 0 });
      expect(states.get('99999998')).toMatchObject({ state: 'lost' });
    } finally {
      ex.close();
    }
  });

  it('cancels a running job on both backends', async () => {
    for (const cluster of ['plain', 'slurm']) {
      const { jobs } = await t.call('cluster.submit', {
        cluster,
        template: 'custom',
        data: [data],
        variables: { command: 'tune', fake_steps: '600', fake_sleep: '0.1' },
      });
      const id = jobs[0]?.id as string;
      await waitFor(t, [id], (j) => j.state === 'running');
      const cancelled = await t.call('cluster.cancel', { job: id });
      expect(cancelled.state).toBe('cancelled');
      await expect(t.call('cluster.fetch', { job: id })).rejects.toThrow(
        /the job cancelled(?: with exit code \d+)?; found .*train\.log/,
      );
    }
  });

  it('re-attaches to running jobs after the backend restarts', async () => {
    const submitted: string[] = [];
    for (const cluster of ['plain', 'slurm']) {
      // long enough (~20 s) that the SSH job is still running when Slurm has started its own
      const { jobs } = await t.call('cluster.submit', {
        cluster,
        template: 'custom',
        data: [data],
        variables: { command: 'tune', fake_steps: '200', fake_sleep: '0.1' },
      });
      submitted.push(jobs[0]?.id as string);
    }
    await waitFor(t, submitted, (j) => j.state === 'running');
    await t.restart();
    const after = await waitFor(t, submitted, finished);
    expect(after.map((j) => [j.kind, j.state, j.exitCode])).toEqual(
      expect.arrayContaining([
        ['ssh', 'completed', 0],
        ['slurm', 'completed', 0],
      ]),
    );
  }, 150_000);
});
