import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED problems browser tests: ${skip}`);
const lcbDir = resolve(__dirname, '../../../shared/data/livecodebench');
const qwenFile = join(lcbDir, 'Qwen2.5-Ins-7B', 'Scenario.codegeneration_1_0.2_eval_all.json');
const o1File = join(lcbDir, 'O1-Mini-2024-09-12_N1_Scenario.codegeneration_1_0.2_eval_all.json');
const real = existsSync(qwenFile) && existsSync(o1File);
if (!real) console.warn(`SKIPPED the real LiveCodeBench part: ${lcbDir} is absent (../shared)`);

describe.skipIf(skip !== null)('From a score to a problem', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 300 });
  });
  afterAll(async () => app?.close());

  it('a point on the Analysis plot leads to the problems it lost against the baseline, and one problem across runs', async () => {
    const { page } = app;
    await page.click('.sidebar [data-section="analysis"]');
    await page.waitForSelector('[data-testid="scaling-plot"] .scatterlayer .trace .points path');
    // the Qwen point at 1K: the valley
    const api = await app.t.call('analysis.series', {});
    const qwen = api.series.find((s) => s.student === 'Qwen2.5-7B-Instruct' && s.partition === 'all');
    const label = qwen?.label as string;
    await page.evaluate(
      ([name, size]) => {
        const el = document.querySelector('[data-testid="scaling-plot"]') as unknown as {
          data: { name: string; x: number[]; customdata?: string[] }[];
          emit(event: string, data: unknown): void;
        };
        const trace = el.data.find((t) => t.name === name && t.customdata);
        const i = trace?.x.indexOf(Number(size)) ?? -1;
        el.emit('plotly_click', {
          points: [{ data: trace, x: trace?.x[i], y: 0, customdata: trace?.customdata?.[i] }],
        });
      },
      [label, '1000'],
    );
    await page.waitForSelector('[data-testid="provenance"] [data-testid="compare-baseline"]');
    await page.click('[data-testid="compare-baseline"]');
    await page.waitForSelector(
      'main[data-screen="runs"] [data-testid="run-compare"] [data-testid="compare-problems"] tbody tr',
    );
    const c = await app.t.call('analysis.compareRuns', { a: 'demo-qwen7b-all-0', b: 'demo-qwen7b-all-1000' });
    // "solved by the baseline, broken at 1K" is the default group
    expect(await page.locator('[data-testid="only-a"]').innerText()).toContain(`(${c.onlyA.length})`);
    expect(await page.locator('[data-testid="compare-problems"] tbody tr').count()).toBe(c.onlyA.length);
    await page.selectOption('[data-testid="run-compare"] select[aria-label="difficulty"]', 'hard');
    const hard = c.onlyA.filter((p) => p.difficulty === 'hard').length;
    await expect.poll(() => page.locator('[data-testid="compare-problems"] tbody tr').count()).toBe(hard);
    await page.selectOption('[data-testid="run-compare"] select[aria-label="difficulty"]', '');
    await page.locator('[data-testid="run-compare"]').scrollIntoViewIfNeeded();
    await shootBoth(page, 'problems-compare', () =>
      page.locator('[data-testid="run-compare"]').scrollIntoViewIfNeeded(),
    );
    // a problem opens with the two compared runs first, then every other run that answered it
    const first = c.onlyA[0]?.questionId as string;
    await page.click(`[data-testid="compare-problems"] tr[data-problem="${first}"]`);
    await page.waitForSelector('[data-testid="problem-view"] [data-testid="problem-run"]');
    const columns = await page
      .locator('[data-testid="problem-run"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-run')));
    expect(columns.slice(0, 2)).toEqual(['demo-qwen7b-all-0', 'demo-qwen7b-all-1000']);
    expect(columns).toHaveLength(16);
    const verdicts = await page
      .locator('[data-testid="problem-run"]')
      .nth(0)
      .locator('[data-testid="verdict"]')
      .allInnerTexts();
    expect(verdicts).toEqual(['passed']);
    expect(
      await page.locator('[data-testid="problem-run"]').nth(1).locator('[data-testid="verdict"]').allInnerTexts(),
    ).toEqual(['failed']);
    await shootBoth(page, 'problems-across-runs');
    // j steps to the next problem of the filtered list
    await page.keyboard.press('j');
    await expect
      .poll(() => page.locator('[data-testid="problem-view"] h1').innerText())
      .toContain(c.onlyA[1]?.questionId as string);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="run-compare"]');
  });

  it.skipIf(!real)(
    'a real LiveCodeBench run opens to its problems, each output with its extracted code and graded result',
    async () => {
      const { page } = app;
      await app.t.call('results.import', {
        paths: [qwenFile],
        labels: { student: 'Qwen2.5-7B-Instruct', size: '0', partition: 'lcb-real' },
      });
      await app.t.call('results.import', {
        paths: [o1File],
        labels: { student: 'o1-mini', size: '0', partition: 'lcb-real' },
      });
      await page.click('.sidebar [data-section="runs"]');
      const { runs } = await app.t.call('runs.list', {});
      const qwen = runs.find((r) => r.source === qwenFile);
      await page.click(`tr[data-run="${qwen?.id}"] [data-testid="open-run-problems"]`);
      await page.waitForSelector('[data-testid="run-problems"] [data-testid="problems-table"] tbody tr');
      expect(await page.locator('[data-testid="problems-table"] tbody tr').count()).toBe(1055);
      await page.click('[data-testid="run-problems"] button[data-outcome="failed"]');
      await page.selectOption('[data-testid="run-problems"] select[aria-label="difficulty"]', 'easy');
      const list = await app.t.call('runs.problems', { id: qwen?.id as string });
      const failedEasy = list.problems.filter((p) => p.passed === 0 && p.difficulty === 'easy');
      await expect.poll(() => page.locator('[data-testid="problems-table"] tbody tr').count()).toBe(failedEasy.length);
      await shootBoth(page, 'problems-run');
      const q = failedEasy[0]?.questionId as string;
      await page.click(`[data-testid="problems-table"] tr[data-problem="${q}"]`);
      await page.waitForSelector('[data-testid="problem-view"] [data-testid="extracted-code"]');
      const p = await app.t.call('runs.problem', { questionId: q, runIds: [qwen?.id as string] });
      const col = page.locator(`[data-testid="problem-run"][data-run="${qwen?.id}"]`);
      expect(await col.locator('[data-testid="verdict"]').innerText()).toBe('failed');
      expect(await col.locator('[data-testid="extracted-code"]').innerText()).toBe(p.runs[0]?.outputs[0]?.code);
      // the O1-mini run answered it too: its column follows
      expect(await page.locator('[data-testid="problem-run"]').count()).toBe(2);
      await page.click('[data-testid="problem-view"] summary:has-text("Question")');
      await shootBoth(page, 'problems-real-outputs');
    },
  );
});
