import { join } from 'node:path';
import { clusterProfileSchema, type ClusterProfileInput } from '../../shared/api/cluster';
import type { StudyInput } from '../../shared/domain/study';
import { seedStudents } from '../../shared/domain/students';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { slug } from '../../electron/services/cluster/plan-vars';
import { testHost } from './workspace';
import { knownHostsFor, testProfile, type ClusterTestEnv } from './cluster-env';
import { fakeLcbMain, fakeModelFiles, fakeTuneScript } from './fake-trainer';

/**
 * A Slurm profile on CI's loopback sshd with the stand-in `tune` and LiveCodeBench runner installed in its
 * remote folder, and both seed students' model folders (placeholder weights). `appDir` holds known_hosts.
 */
export const studyClusterProfile = async (
  e: ClusterTestEnv,
  appDir: string,
  name = 'slurm',
): Promise<ClusterProfileInput> => {
  const p = testProfile(e, knownHostsFor(e, appDir), {
    name,
    kind: 'slurm',
    partition: e.slurmPartition,
    cpusPerGpu: 1,
  });
  const ex = await openExecutor(testHost(appDir), clusterProfileSchema.parse(p));
  try {
    const home = (await ex.run('pwd', 'home')).trim();
    const base = `${home}/${p.remoteDir as string}`;
    await ex.run(sh`mkdir -p ${`${base}/bin`} ${`${base}/lcb/lcb_runner/runner`}`, 'setup');
    await ex.writeFile(`${base}/bin/tune`, fakeTuneScript, 0o755);
    for (const f of ['lcb_runner/__init__.py', 'lcb_runner/runner/__init__.py'])
      await ex.writeFile(`${base}/lcb/${f}`, '');
    await ex.writeFile(`${base}/lcb/lcb_runner/runner/main.py`, fakeLcbMain);
    for (const s of seedStudents) {
      const dir = `${base}/models/${slug(s.id)}`;
      for (const [f, text] of Object.entries(
        fakeModelFiles(Object.values(s.tokenizer.files), s.checkpointShards, s.attentionHeads),
      )) {
        await ex.run(sh`mkdir -p ${join(dir, f, '..')}`, 'mkdir');
        await ex.writeFile(`${dir}/${f}`, text);
      }
    }
    return {
      ...p,
      setup: `export PATH="${base}/bin:$PATH"; export VALLEY_FAKE_SLEEP=0.02 VALLEY_FAKE_STEPS=3`,
      lcbDir: `${base}/lcb`,
    };
  } finally {
    ex.close();
  }
};

/** Remove the profile's remote folder. */
export const removeRemote = async (appDir: string, profile: ClusterProfileInput): Promise<void> => {
  const ex = await openExecutor(testHost(appDir), clusterProfileSchema.parse(profile)).catch(() => null);
  await ex?.exec(sh`rm -rf ${profile.remoteDir as string}`);
  ex?.close();
};

/**
 * The issue's small study: 2 students × curve sizes (tiny: the demo's rows stand for 1K/10K) × 1 seed, the
 * baseline, and a correctness ablation continuing from the larger curve cell; one GPU per job, a few rows.
 */
export const smallStudy = (dataset: string, cluster: string, gpus: number, name = 'small'): StudyInput => ({
  name,
  description: 'Two students, two nested sizes, one seed, the baseline and a correctness ablation from the larger size',
  teacher: { datasets: [dataset], sampling_seed: 0 },
  partitions: { correctness: 'judgement' },
  students: ['Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
  seeds: [0],
  curve: { sizes: [2, 4], baseline: true },
  ablations: [
    {
      name: 'correctness',
      continue_from: 'curve-4',
      conditions: [
        { name: 'correct', partition: 'correct', size: 3 },
        { name: 'incorrect', partition: 'incorrect', size: 3 },
      ],
    },
  ],
  transforms: { overlong: 'keep' },
  trainer: {
    template: 'torchtune-full',
    variables: { gpus: String(gpus), effective_batch: String(gpus), time: '0:10:00' },
  },
  evaluation: { template: 'lcb-eval', variables: { gpus: String(gpus), n: '2', time: '0:10:00' } },
  cluster,
});
