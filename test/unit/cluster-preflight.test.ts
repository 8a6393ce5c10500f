import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema, type ClusterProfileInput, type PreflightReport } from '../../shared/api/cluster';
import { seedStudents } from '../../shared/domain/students';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { startTestBackend, testHost, type TestBackend } from '../helpers/workspace';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { fakeLcbMain, fakeModelFiles, fakeTuneScript } from '../helpers/fake-trainer';

/** Pre-flight on the real sshd + Slurm: each refusal names its reason, host, path and fix, and nothing is uploaded. */
const env = clusterTestEnv();
const qwen = seedStudents[0] as (typeof seedStudents)[number];

describe.skipIf(!env)('pre-flight before upload', () => {
  const e = env as NonNullable<typeof env>;
  let t: TestBackend;
  let base = '';
  let ready: ClusterProfileInput;
  let data: string;
  const failed = (r: PreflightReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);

  beforeAll(async () => {
    t = await startTestBackend({ demo: true, demoTraces: 300 });
    const p = testProfile(e, knownHostsFor(e, join(t.dir, '..')), {
      name: 'ready',
      kind: 'slurm',
      partition: e.slurmPartition,
      cpusPerGpu: 1,
    });
    const ex = await openExecutor(testHost(join(t.dir, '..')), clusterProfileSchema.parse(p));
    base = `${(await ex.run('pwd', 'home')).trim()}/${p.remoteDir as string}`;
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
    ready = { ...p, setup: `export PATH="${base}/bin:$PATH"`, lcbDir: `${base}/lcb` };
    await t.call('cluster.save', { profile: ready });
    // the same host without tune on the PATH, and with a partition Slurm does not have
    await t.call('cluster.save', { profile: { ...ready, name: 'no-tune', setup: '' } });
    await t.call('cluster.save', { profile: { ...ready, name: 'no-partition', partition: 'nope' } });
    const { datasets } = await t.call('data.datasets', {});
    await t.call('curate.subsets.save', {
      name: 'pf',
      spec: { dataset: datasets.find((d) => d.kind === 'traces')?.name as string, sizes: [8] },
    });
    data = (await t.call('curate.export', { subset: 'pf', formats: ['torchtune'], wait: true })).dir;
  });
  afterAll(async () => {
    const ex = await openExecutor(testHost(join(t.dir, '..')), clusterProfileSchema.parse(ready)).catch(() => null);
    await ex?.exec(sh`rm -rf ${ready.remoteDir as string}`);
    ex?.close();
    await t?.close();
  });

  const req = (over: Record<string, unknown> = {}) => ({
    cluster: 'ready',
    template: 'torchtune-full',
    data: [data],
    students: ['Qwen/Qwen2.5-7B-Instruct'],
    evaluate: true,
    variables: { gpus: String(e.slurmGpus), effective_batch: String(e.slurmGpus) },
    evalVariables: { gpus: String(e.slurmGpus) },
    ...over,
  });

  it('passes every check when the cluster is ready', async () => {
    const r = await t.call('cluster.check', req());
    expect(failed(r)).toEqual([]);
    expect(r.checks.map((c) => c.name)).toEqual([
      'tune',
      'model folder',
      'GPUs',
      'partition',
      'Slurm accepts torchtune-full',
      'Slurm accepts lcb-eval',
      'free disk',
      'LiveCodeBench',
    ]);
  });

  it('refuses with a named reason: no tune, a missing model folder, 8 GPUs on a 2-GPU node, a missing partition', async () => {
    const noTune = await t.call('cluster.check', req({ cluster: 'no-tune' }));
    expect(failed(noTune)).toContain('tune');
    expect(noTune.checks.find((c) => c.name === 'tune')?.fix).toMatch(/install torchtune/);

    const noModel = await t.call('cluster.check', req({ students: ['meta-llama/Llama-3.1-8B-Instruct'] }));
    const model = noModel.checks.find((c) => c.name === 'model folder');
    expect([model?.ok, model?.path, model?.host]).toEqual([
      false,
      `${base}/models/meta-llama-Llama-3.1-8B-Instruct`,
      expect.stringContaining(e.host),
    ]);
    expect(model?.fix).toContain('tune download meta-llama/Llama-3.1-8B-Instruct');

    const tooMany = await t.call('cluster.check', req({ variables: { gpus: '8', effective_batch: '8' } }));
    const gpus = tooMany.checks.find((c) => c.name === 'GPUs');
    expect([gpus?.ok, gpus?.detail]).toEqual([false, `8 GPU(s) per node asked, ${e.slurmGpus} on the largest node`]);
    expect(failed(tooMany)).toContain('Slurm accepts torchtune-full');

    const noPartition = await t.call('cluster.check', req({ cluster: 'no-partition' }));
    expect(noPartition.checks.find((c) => c.name === 'partition')).toMatchObject({ ok: false, path: 'nope' });

    // submitting is refused the same way, before anything is uploaded
    await expect(t.call('cluster.submit', req({ cluster: 'no-tune' }))).rejects.toThrow(
      /pre-flight failed \(tune on .*install torchtune/,
    );
    const ex = await openExecutor(testHost(join(t.dir, '..')), clusterProfileSchema.parse(ready));
    expect((await ex.exec(sh`ls ${base}`)).stdout.split('\n').filter(Boolean).sort()).toEqual(['bin', 'lcb', 'models']);
    ex.close();
    expect((await t.call('cluster.jobs', {})).jobs).toEqual([]);
  });

  it('refuses a student it does not know, with the known list', async () => {
    const r = await t.call('cluster.check', req({ students: ['mistral-7b'] }));
    expect(r.ok).toBe(false);
    expect(r.checks[0]?.detail).toMatch(
      /Unknown student "mistral-7b": known students are Qwen\/Qwen2.5-7B-Instruct, meta-llama\/Llama-3.1-8B-Instruct/,
    );
    // any spelling of a preset is that preset
    expect(failed(await t.call('cluster.check', req({ students: ['qwen2.5-7b-instruct'] })))).toEqual([]);
  });
});
