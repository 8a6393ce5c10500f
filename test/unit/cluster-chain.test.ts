import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema, finishedJobStates, type ClusterProfileInput, type Job } from '../../shared/api/cluster';
import { seedStudents } from '../../shared/domain/students';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { startTestBackend, testHost, type TestBackend } from '../helpers/workspace';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { fakeLcbMain, fakeModelFiles, fakeTuneScript } from '../helpers/fake-trainer';

/**
 * The CI loop: a real subset export → train → evaluate as one chain on the real sshd + Slurm (afterok), with a
 * stand-in `tune` that loads its config with OmegaConf and fails on a missing key, and a stand-in LiveCodeBench
 * runner that parses LiveCodeBench's own argument names; fetching imports one run per chain, labelled from the
 * job, and it lands on the Analysis fit in the student's one series.
 */
const env = clusterTestEnv();
const qwen = seedStudents[0] as (typeof seedStudents)[number];

describe.skipIf(!env)('train → evaluate chains on a real Slurm', () => {
  const e = env as NonNullable<typeof env>;
  let t: TestBackend;
  let profile: ClusterProfileInput;

  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 300 });
    const p = testProfile(e, knownHostsFor(e, join(t.dir, '..')), {
      name: 'slurm',
      kind: 'slurm',
      partition: e.slurmPartition,
      cpusPerGpu: 1,
    });
    const ex = await openExecutor(testHost(join(t.dir, '..')), clusterProfileSchema.parse(p));
    const home = (await ex.run('pwd', 'home')).trim();
    const base = `${home}/${p.remoteDir as string}`;
    await ex.run(
      sh`mkdir -p ${`${base}/bin`} ${`${base}/lcb/lcb_runner/runner`} ${`${base}/models/Qwen-Qwen2.5-7B-Instruct`}`,
      'setup',
    );
    await ex.writeFile(`${base}/bin/tune`, fakeTuneScript, 0o755);
    for (const f of ['lcb_runner/__init__.py', 'lcb_runner/runner/__init__.py'])
      await ex.writeFile(`${base}/lcb/${f}`, '');
    await ex.writeFile(`${base}/lcb/lcb_runner/runner/main.py`, fakeLcbMain);
    for (const [f, text] of Object.entries(
      fakeModelFiles(Object.values(qwen.tokenizer.files), qwen.checkpointShards, qwen.attentionHeads),
    )) {
      await ex.writeFile(`${base}/models/Qwen-Qwen2.5-7B-Instruct/${f}`, text);
    }
    ex.close();
    profile = { ...p, setup: `export PATH="${base}/bin:$PATH"; export VALLEY_FAKE_SLEEP=0.05`, lcbDir: `${base}/lcb` };
    await t.call('cluster.save', { profile });
  });
  afterAll(async () => {
    const ex = await openExecutor(testHost(join(t.dir, '..')), clusterProfileSchema.parse(profile)).catch(() => null);
    await ex?.exec(sh`rm -rf ${profile.remoteDir as string}`);
    ex?.close();
    await t?.close();
  });

  it('submits training with its evaluation after it (afterok), fetches one labelled run per chain, and the fit shows them', async () => {
    const { datasets } = await t.call('data.datasets', {});
    const dataset = datasets.find((d) => d.kind === 'traces')?.name as string;
    await t.call('curate.subsets.save', { name: 'tiny', spec: { dataset, sizes: [5, 10] } });
    const exported = await t.call('curate.export', { subset: 'tiny', formats: ['torchtune'], wait: true });
    const req = {
      cluster: 'slurm',
      template: 'torchtune-full',
      data: [exported.dir],
      students: ['Qwen2.5-7B-Instruct'],
      seeds: [7],
      evaluate: true,
      variables: { gpus: String(e.slurmGpus), effective_batch: String(e.slurmGpus), time: '0:10:00' },
      evalVariables: { gpus: String(e.slurmGpus), n: '2' },
    };
    const preview = await t.call('cluster.preview', req);
    expect(preview.jobs.map((j) => [j.labels['template'], j.after === null])).toEqual([
      ['torchtune-full', true],
      ['lcb-eval', false],
      ['torchtune-full', true],
      ['lcb-eval', false],
    ]);
    const evalRun = preview.jobs[1]?.files.find((f) => f.name === 'run.sh')?.text ?? '';
    expect(evalRun).toContain(`--tensor_parallel_size ${e.slurmGpus}`);
    expect(evalRun).toMatch(/--local_model_path \S+\/output\/epoch_4/);
    // every script passes Slurm's own check before anything is sent
    const { jobs } = await t.call('cluster.submit', { ...req, jobIds: preview.jobs.map((j) => j.id as string) });
    expect(jobs).toHaveLength(4);
    const [train, evaluation] = jobs as [Job, Job];
    expect(evaluation.detail).toBe(`PENDING (after ${train.remoteId as string})`);
    const deadline = Date.now() + 180_000;
    let all: Job[] = [];
    for (;;) {
      all = (await t.call('cluster.jobs', { refresh: true })).jobs.filter((j) => jobs.some((x) => x.id === j.id));
      if (all.every((j) => finishedJobStates.includes(j.state))) break;
      if (Date.now() > deadline)
        throw new Error(`chain did not finish: ${JSON.stringify(all.map((j) => [j.name, j.state, j.detail]))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(all.map((j) => j.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    // fetching the training job fetches its chain: one run, labelled with no typing
    const fetched = await t.call('cluster.fetch', { job: train.id });
    expect(fetched.job.id).toBe(evaluation.id);
    const manifestLabels = fetched.run.labels;
    expect(fetched.run.student).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect([fetched.run.size, fetched.run.seed, fetched.run.partition]).toEqual([5, 7, 'tiny']);
    expect(manifestLabels['dataset']).toBe(dataset);
    expect(manifestLabels['manifest sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(manifestLabels['trained by']).toBe(train.id);
    expect(fetched.run.metrics['pass@1']).toBeCloseTo(0.5, 10);
    const second = jobs[2] as Job;
    const other = await t.call('cluster.fetch', { job: second.id });
    expect([other.run.size, other.run.metrics['pass@1']]).toEqual([10, 1]);
    // the two runs and the demo's untrained Qwen2.5-7B-Instruct (another spelling) make one series on the fit
    const { series } = await t.call('analysis.series', { partitions: ['tiny'] });
    expect(series).toHaveLength(1);
    expect(series[0]?.points.map((p) => [p.size, p.runIds])).toEqual([
      [5, [fetched.run.id]],
      [10, [other.run.id]],
    ]);
    expect(series[0]?.baseline?.size).toBe(0);
  });
});
