import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProfileSchema, type ClusterProfileInput } from '../../shared/api/cluster';
import { openExecutor } from '../../electron/services/cluster/connect';
import { sh } from '../../electron/services/cluster/quote';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { clusterTestEnv, knownHostsFor, testProfile } from '../helpers/cluster-env';
import { fakeTuneScript } from '../helpers/fake-trainer';
import { testHost } from '../helpers/workspace';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED cluster browser test: ${skip}`);
const env = skip ? null : clusterTestEnv();

describe.skipIf(skip !== null || !env)('Cluster jobs in the Runs screen (browser mode, real sshd)', () => {
  const e = env as NonNullable<typeof env>;
  let app: AppUnderTest;
  let profile: ClusterProfileInput;
  let data: string;

  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 300 });
    const dir = join(app.t.dir, '..');
    profile = testProfile(e, knownHostsFor(e, dir), { name: 'gpu-box', kind: 'ssh' });
    profile.setup = `export PATH="$HOME/${profile.remoteDir}/bin:$PATH"; export VALLEY_FAKE_SLEEP=0.3`;
    const ex = await openExecutor(testHost(dir), clusterProfileSchema.parse(profile));
    await ex.run(sh`mkdir -p ${`${profile.remoteDir}/bin`}`, 'setup');
    await ex.writeFile(`${profile.remoteDir}/bin/tune`, fakeTuneScript, 0o755);
    ex.close();
    await app.t.call('cluster.save', { profile });
    const { datasets } = await app.t.call('data.datasets', {});
    await app.t.call('curate.subsets.save', {
      name: 'ocr2-subset',
      spec: { dataset: datasets.find((d) => d.kind === 'traces')?.name as string, sizes: [8] },
    });
    data = (await app.t.call('curate.export', { subset: 'ocr2-subset', formats: ['torchtune'], wait: true })).dir;
    await app.page.click('.sidebar [data-section="runs"]');
    await app.page.waitForSelector('[data-testid="cluster-panel"]');
  });
  afterAll(async () => {
    const ex = await openExecutor(testHost(join(app.t.dir, '..')), clusterProfileSchema.parse(profile)).catch(
      () => null,
    );
    await ex?.exec(sh`rm -rf ${profile.remoteDir as string}`);
    ex?.close();
    await app?.close();
  });

  it('tests a connection, shows the exact script, submits, follows the log and loss, fetches the run', async () => {
    const { page } = app;
    await page.click('[data-testid="cluster-test-gpu-box"]');
    await expect
      .poll(() => page.locator('[data-testid="cluster-report-gpu-box"]').innerText(), { timeout: 20_000 })
      .toContain('authentication');
    expect(await page.locator('[data-testid="cluster-report-gpu-box"]').innerText()).toContain('free disk');
    await page.locator('[data-testid="cluster-report-gpu-box"]').scrollIntoViewIfNeeded();
    await app.screenshot('cluster-profiles');

    await page.click('[data-testid="open-submit"]');
    await page.selectOption('[data-testid="submit-dialog"] select >> nth=0', 'gpu-box');
    await page.selectOption('[data-testid="submit-dialog"] select >> nth=1', 'custom');
    await page.check(`[data-testid="submit-exports"] label:has-text("ocr2-subset") input`);
    await page.fill('[data-testid="submit-dialog"] textarea >> nth=1', 'command=tune\nfake_steps=12\ngpus=1\nnodes=1');
    await page.click('[data-testid="submit-preview"]');
    await expect
      .poll(() => page.locator('[data-testid="submit-scripts"]').innerText(), { timeout: 20_000 })
      .toContain('bash run.sh > train.log 2>&1');
    expect(await page.locator('[data-testid="submit-scripts"]').innerText()).toContain(
      "export VALLEY_SUBSET='ocr2-subset'",
    );
    await app.screenshot('cluster-submit-dialog');
    await page.click('[data-testid="submit-go"]');
    await page.waitForSelector('[data-testid="jobs-table"] tbody tr');
    await page.click('[data-testid="jobs-table"] tbody tr >> nth=0');
    await expect
      .poll(() => page.locator('[data-testid="job-log"]').innerText(), { timeout: 30_000 })
      .toContain('Step 3 | loss:');
    await expect
      .poll(() => page.locator('[data-testid="jobs-table"] tbody tr >> nth=0').innerText(), { timeout: 60_000 })
      .toContain('completed');
    await expect
      .poll(() => page.locator('[data-testid="loss-curve"] .scatterlayer .trace').count(), { timeout: 20_000 })
      .toBe(1);
    await page.locator('[data-testid="job-detail"]').scrollIntoViewIfNeeded();
    await app.screenshot('cluster-jobs');
    await page.click('[data-testid="jobs-table"] button:has-text("Fetch results")');
    await expect
      .poll(() => page.locator('[data-testid="runs-table"]').innerText(), { timeout: 20_000 })
      .toContain('custom-ocr2-subset-8-Qwen2.5-7B-Instruct-s0');
    expect(data).toContain('exports');
  });

  it('defaults to torchtune with evaluation after training, and shows the pre-flight checklist with host, path and fix', async () => {
    const { page } = app;
    await page.click('[data-testid="open-submit"]');
    await page.selectOption('[data-testid="submit-dialog"] select >> nth=0', 'gpu-box');
    expect(await page.locator('[data-testid="submit-dialog"] select >> nth=1').inputValue()).toBe('torchtune-full');
    expect(await page.locator('[data-testid="submit-evaluate"]').isChecked()).toBe(true);
    await page.check(`[data-testid="submit-exports"] label:has-text("ocr2-subset") input`);
    await page.fill(
      '[data-testid="submit-dialog"] textarea >> nth=1',
      'gpus=1\nnodes=1\nbatch_size=1\neffective_batch=1\nlr=8e-5\nwarmup_ratio=0.10\nepochs=5\nmax_seq_len=32768\nmodels_dir=models\ntime=1:00:00',
    );
    await page.click('[data-testid="submit-preview"]');
    await expect
      .poll(() => page.locator('[data-testid="submit-scripts"]').innerText(), { timeout: 20_000 })
      .toContain('after torchtune-full-ocr2-subset-8');
    await page.click('[data-testid="submit-check"]');
    const list = page.locator('[data-testid="submit-checklist"]');
    await expect.poll(() => list.innerText(), { timeout: 30_000 }).toContain('model folder');
    const text = await list.innerText();
    expect(text).toContain('✓ tune');
    expect(text).toMatch(/✗ model folder\s+Qwen\/Qwen2.5-7B-Instruct: no model folder/);
    expect(text).toContain('Fix: download the weights there, e.g. `tune download Qwen/Qwen2.5-7B-Instruct');
    expect(text).toContain('✗ LiveCodeBench');
    await list.scrollIntoViewIfNeeded();
    await app.screenshot('cluster-checklist');
  });
});
