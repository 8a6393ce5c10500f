import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterProfileInput } from '../../shared/api/cluster';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { clusterTestEnv } from '../helpers/cluster-env';
import { removeRemote, studyClusterProfile } from '../helpers/study-cluster';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED study browser test: ${skip}`);
const env = skip ? null : clusterTestEnv();

/**
 * The Study screen end to end on CI's sshd + Slurm (stand-in trainer and evaluator): "New study from the paper"
 * edited down to the small study (2 students × 2 tiny sizes × 1 seed + baseline + a correctness ablation from
 * the larger cell), planned, launched; the matrix and the plot fill in as the backend imports finished chains;
 * a cell opens its job chain, log, manifest hashes, and its traces in Curate.
 */
describe.skipIf(skip !== null || !env)('Study screen (browser mode, real sshd + Slurm)', () => {
  const e = env as NonNullable<typeof env>;
  let app: AppUnderTest;
  let profile: ClusterProfileInput;

  beforeAll(async () => {
    process.env['VALLEY_STUDY_POLL_MS'] = '1000';
    app = await openApp({ demo: true, demoTraces: 300 });
    delete process.env['VALLEY_STUDY_POLL_MS'];
    await app.page.setViewportSize({ width: 1280, height: 800 });
    profile = await studyClusterProfile(e, join(app.t.dir, '..'));
    await app.t.call('cluster.save', { profile });
  });
  afterAll(async () => {
    if (app) await removeRemote(join(app.t.dir, '..'), profile);
    await app?.close();
  });

  it(
    'launches the paper’s design (edited small) from the dialog and follows it to every score and its provenance',
    { timeout: 300_000 },
    async () => {
      const { page } = app;
      // browser notifications: what the page asks and shows recorded (then really asked and shown); the page has
      // no answer yet, so "Save and launch" asks
      await page.addInitScript(() => {
        const Original = window.Notification;
        const seen: { title: string; body: string }[] = [];
        const asked: string[] = [];
        class Recorded extends Original {
          constructor(title: string, options?: NotificationOptions) {
            seen.push({ title, body: options?.body ?? '' });
            super(title, options);
          }
        }
        Object.defineProperty(Recorded, 'requestPermission', {
          value: () => {
            asked.push(Original.permission);
            return Original.requestPermission();
          },
        });
        Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
        Object.defineProperty(window, 'valleyNotifications', { value: seen });
        Object.defineProperty(window, 'valleyAsked', { value: asked });
      });
      await page.reload();
      expect(await page.evaluate(() => Notification.permission)).toBe('default');
      await expect.poll(() => page.locator('[data-testid="notify-toggle"]').innerText()).toBe('Notify me');
      await page.click('.sidebar [data-section="study"]');
      await page.waitForSelector('text=No study yet');
      await page.click('[data-testid="study-new"]');
      const dialog = page.locator('[data-testid="study-dialog"]');
      // the seed design, planned: 2 students × (baseline, 1K, 10K, 30K, 2 correctness + 2 difficulty + 3 structure)
      await expect.poll(() => page.locator('[data-testid="plan-cells"]').innerText(), { timeout: 20_000 }).toBe('22');
      expect(await page.locator('[data-testid="plan-jobs"]').innerText()).toBe('42');
      await app.screenshot('study-dialog-paper');

      // edited down to the small study
      await page.fill('[data-testid="study-name"]', 'small');
      await page.selectOption('[data-testid="study-cluster"]', 'slurm');
      await page.fill('[data-testid="study-sizes"]', '2, 4');
      await page.click('[data-testid="ablation-difficulty"] input[type="checkbox"]');
      await page.click('[data-testid="ablation-structure"] input[type="checkbox"]');
      await page.fill('[data-testid="ablation-size-correctness"]', '3');
      await page.selectOption('[data-testid="study-overlong"]', 'keep');
      await page.fill('[data-testid="study-trainer-vars"]', 'gpus=1\neffective_batch=1\ntime=0:10:00');
      await page.fill('[data-testid="study-eval-vars"]', 'gpus=1\nn=2\ntime=0:10:00');
      await expect.poll(() => page.locator('[data-testid="plan-cells"]').innerText(), { timeout: 10_000 }).toBe('10');
      expect(await page.locator('[data-testid="plan-jobs"]').innerText()).toBe('18');
      expect(await dialog.innerText()).toContain('correct 3 · incorrect 3 · from curve-4');
      // GPU-hours follow the throughput the user sets (tokens × epochs ÷ throughput)
      const trainHours = async () => Number(await page.locator('[data-testid="plan-train-hours"]').innerText());
      const at2500 = await trainHours();
      expect(at2500).toBeGreaterThan(0);
      await page.fill('[data-testid="study-throughput"]', '5000');
      await expect.poll(async () => (await trainHours()) / at2500, { timeout: 10_000 }).toBeCloseTo(0.5, 1);
      await app.screenshot('study-dialog-small');
      // a finished condition shows as a notice in the app (notice.posted over the WebSocket)
      const notice = page.locator('.notice[data-kind="success"]', { hasText: /Study small: .+ done/ }).first();
      const noticed = notice.waitFor({ timeout: 280_000 }).then(
        async () => notice.innerText(),
        (e: unknown) => `never shown: ${String(e)}`,
      );
      await page.click('[data-testid="study-launch"]');
      // the launch click asked for notifications; headless Chromium answers no (it has no prompt) and the app says so
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { valleyAsked: string[] }).valleyAsked))
        .toEqual(['default']);
      await page.locator('.notice', { hasText: 'The browser blocks notifications for this page' }).waitFor();
      // the user allows them in the site settings and turns "Notify me" on
      await page.context().grantPermissions(['notifications']);
      await page.click('[data-testid="notify-toggle"]');
      await expect.poll(() => page.locator('[data-testid="notify-toggle"]').innerText()).toBe('Notifications on');
      await page.waitForSelector('[data-testid="study-dialog"]', { state: 'detached' });

      // the matrix fills in as chains are submitted, run and imported by the backend
      const matrix = page.locator('[data-testid="study-matrix"]');
      await expect
        .poll(
          () =>
            page
              .locator(
                '[data-testid="study-cellbtn"][data-state="queued"], [data-testid="study-cellbtn"][data-state="training"], [data-testid="study-cellbtn"][data-state="evaluating"]',
              )
              .count(),
          { timeout: 60_000 },
        )
        .toBeGreaterThan(0);
      await app.screenshot('study-running');
      await expect
        .poll(() => page.locator('[data-testid="study-cellbtn"][data-state="done"]').count(), {
          timeout: 240_000,
          interval: 1000,
        })
        .toBe(10);
      expect(await page.locator('[data-testid="study-counts"]').innerText()).toBe('10 done');
      const text = await matrix.innerText();
      expect(text).toContain('correctness: correct 3');
      expect(text).toContain('70.0%');
      // every point on the plot: 2 students × 2 sizes, their baselines, and the ablation points
      await expect
        .poll(() => page.locator('[data-testid="study-plot"] .scatterlayer .trace').count(), { timeout: 10_000 })
        .toBe(6);
      await app.screenshot('study-done');
      expect(await noticed).toMatch(
        /Study small: .+ done[\s\S]+pass@1 Qwen2\.5-7B-Instruct \d\.\d{3} · Llama-3\.1-8B-Instruct \d\.\d{3}/,
      );
      // and as one browser notification per condition, with its scores
      const { conditions } = await app.t.call('study.status', { name: 'small' });
      const shown = () =>
        page.evaluate(() =>
          (window as unknown as { valleyNotifications: { title: string; body: string }[] }).valleyNotifications.map(
            (n) => n.title,
          ),
        );
      await expect
        .poll(async () => (await shown()).sort(), { timeout: 30_000 })
        .toEqual(conditions.map((c) => `Study small: ${c.label} done`).sort());

      // provenance: a cell → its chain and log → the manifest it trained on → its traces in Curate
      await page.click('[data-testid="study-cellbtn"][data-cell="correctness-correct.qwen2.5-7b-instruct.s0"]');
      const cell = page.locator('[data-testid="study-cell"]');
      await expect.poll(() => cell.locator('[data-testid="study-job"]').count(), { timeout: 10_000 }).toBe(2);
      expect(await cell.innerText()).toMatch(/from checkpoint \S+\/output\/epoch_4/);
      await cell.locator('[data-testid="study-job-log"] >> nth=0').click();
      await expect
        .poll(() => cell.locator('[data-testid="study-log"]').innerText(), { timeout: 20_000 })
        .toContain('fake torchtune: 3 examples');
      const manifest = await cell.locator('[data-testid="study-manifest"]').innerText();
      expect(manifest).toMatch(/partition correct/);
      expect(manifest).toMatch(/train-3\.jsonl\s+3\s+[0-9a-f]{12}…/);
      await cell.scrollIntoViewIfNeeded();
      await app.screenshot('study-provenance');
      await cell.locator('[data-testid="study-open-traces"]').click();
      await page.waitForSelector('[data-screen="curate"]');

      // the study on the Analysis screen: its two curves with its own baseline, its ablation against the 4 cell
      await page.click('.sidebar [data-section="analysis"]');
      const rows = page.locator('[data-testid="valley-table"] tbody tr');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const allRuns = await rows.count();
      await page.selectOption('[data-testid="analysis-study"]', 'small');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
      expect(allRuns).not.toBe(2);
      const series = await page.locator('.analysis-series-toggles label').allInnerTexts();
      expect(series.map((x) => x.trim()).sort()).toEqual(
        (await app.t.call('analysis.series', { study: 'small' })).series.map((x) => x.label).sort(),
      );
      await expect
        .poll(() => page.locator('[data-testid="ablation-plot"] .barlayer .trace').count(), { timeout: 10_000 })
        .toBe(2);
      expect(await page.locator('.analysis').innerText()).toContain('the cell each condition continued from');
      await app.screenshot('analysis-study');
      await page.locator('[data-testid="ablation-plot"]').scrollIntoViewIfNeeded();
      await app.screenshot('analysis-study-ablations');
      // the choice is a saved Analysis setting: the page opened again shows the study
      await page.reload();
      await page.waitForSelector('[data-screen="analysis"]');
      await expect
        .poll(() => page.locator('[data-testid="analysis-study"]').inputValue(), { timeout: 20_000 })
        .toBe('small');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
      expect((await app.t.call('analysis.view.get', {})).view.study).toBe('small');
      await page.selectOption('[data-testid="analysis-study"]', '');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(allRuns);
      // nothing went wrong on the way: no error notice, no console error
      expect(await page.locator('.notice.error').allInnerTexts()).toEqual([]);
      expect(app.problems).toEqual([]);
    },
  );
});
