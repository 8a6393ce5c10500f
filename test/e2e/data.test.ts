import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { jsonl, ocr2Row } from '../helpers/trace-files';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED data screen browser tests: ${skip}`);

describe.skipIf(skip !== null)('Data screen in browser mode', () => {
  let app: AppUnderTest;
  const dir = mkdtempSync(join(tmpdir(), 'valley-e2e-data-'));
  const traces = join(dir, 'ocr2-sample.jsonl');
  const bad = join(dir, 'broken.jsonl');
  const results = join(dir, 'qwen_eval_all.json');
  beforeAll(async () => {
    writeFileSync(traces, jsonl(Array.from({ length: 120 }, (_, i) => ocr2Row(i))));
    writeFileSync(bad, `${JSON.stringify(ocr2Row(0))}\n{"id": "x",\n`);
    writeFileSync(
      results,
      JSON.stringify([
        { question_id: 'a', difficulty: 'easy', output_list: ['<think>x</think>\n```py\n1\n```'], graded_list: [true] },
        { question_id: 'b', difficulty: 'hard', output_list: ['<think>x'], graded_list: [false] },
      ]),
    );
    app = await openApp({ demo: true, demoTraces: 300 });
    await app.page.click('.sidebar [data-section="data"]');
    await app.page.waitForSelector('[data-testid="datasets-table"]');
  });
  afterAll(async () => app?.close());

  it('previews a JSONL source, shows the detected preset and role mapping, and imports it', async () => {
    const { page } = app;
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-paths"]', traces);
    await page.click('[data-testid="import-preview"]');
    await page.waitForSelector('[data-testid="import-sample"]');
    expect(await page.locator('[data-testid="preview-summary"]').innerText()).toContain('OpenCodeReasoning-2');
    expect(await page.locator('[data-role="response"]').inputValue()).toBe('r1_generation');
    // correct one role by hand: no pass rate
    await page.selectOption('[data-role="passRate"]', '');
    await page.fill('[data-testid="import-name"]', 'sample-ocr2');
    await app.screenshot('data-import-preview');
    await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]');
    expect(await page.locator('[data-testid="import-progress"]').innerText()).toMatch(
      /120 rows imported \(\d+ MB\/s\)/,
    );
    await page.click('[data-testid="import-dialog"] .dialog-head button');
    await expect.poll(() => page.locator('[data-dataset="sample-ocr2"]').count()).toBe(1);
    expect(await page.locator('[data-dataset="sample-ocr2"]').innerText()).toContain('120');
    const { datasets } = await app.t.call('data.datasets', {});
    expect(datasets.find((d) => d.name === 'sample-ocr2')?.roles['passRate']).toBeNull();
    await app.screenshot('data-screen');
  });

  it('shows where a bad file is broken', async () => {
    const { page } = app;
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-paths"]', bad);
    await page.click('[data-testid="import-preview"]');
    await page.waitForSelector('[data-testid="import-sample"], [data-testid="import-error"]');
    if ((await page.locator('[data-testid="import-start"]').count()) > 0)
      await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-error"]');
    const text = await page.locator('[data-testid="import-error"]').innerText();
    expect(text).toContain(bad);
    expect(text).toContain('line 2');
    await app.screenshot('data-import-error');
    await page.click('[data-testid="import-dialog"] .dialog-head button');
  });

  it('imports LiveCodeBench results with labels and edits a label', async () => {
    const { page } = app;
    await page.click('[data-testid="open-results-import"]');
    await page.fill('[data-testid="results-paths"]', results);
    await page.fill('[data-testid="results-label-student"]', 'Qwen2.5-7B');
    await page.fill('[data-testid="results-label-size"]', '1000');
    await page.click('[data-testid="results-start"]');
    await page.waitForSelector('[data-testid="results-runs"] tbody tr');
    expect(await page.locator('[data-testid="results-runs"]').innerText()).toContain('50.0%');
    await page.fill('[aria-label^="seed of"]', '3');
    await page.click('[data-testid="results-runs"] button');
    await expect
      .poll(async () => (await app.t.call('runs.list', {})).runs.find((r) => r.student === 'Qwen2.5-7B')?.seed)
      .toBe(3);
    await app.screenshot('data-results-import');
  });

  it("shows per source how many '-' questions are filled and which source dataset is missing", async () => {
    const { page } = app;
    const close = page.locator('.dialog-head button');
    if (await close.count()) await close.first().click();
    const dash = join(dir, 'ocr2-dash.jsonl');
    writeFileSync(
      dash,
      jsonl(
        Array.from({ length: 6 }, (_, i) =>
          ocr2Row(i, { question: '-', dataset: i < 4 ? 'taco' : 'apps', index: String(i) }),
        ),
      ),
    );
    await app.t.call('data.import', { paths: [dash], name: 'dash', wait: true });
    const table = page.locator('[data-testid="question-sources"]');
    await expect
      .poll(() => table.locator('[data-source="taco"]').innerText())
      .toContain('missing: import BAAI/TACO (preset taco)');
    const taco = join(dir, 'taco-train.jsonl');
    writeFileSync(
      taco,
      jsonl(
        Array.from({ length: 5 }, (_, i) => ({
          question: `TACO ${i}`,
          solutions: '[]',
          input_output: '{}',
          difficulty: 'EASY',
          name: `t${i}`,
        })),
      ),
    );
    await app.t.call('data.import', { paths: [taco], name: 'BAAI-TACO', wait: true });
    await expect
      .poll(() => table.locator('[data-source="taco"]').innerText())
      .toMatch(/dash\s+taco\s+4\s+4\s+0\s+BAAI-TACO/);
    expect(await table.locator('[data-source="apps"]').innerText()).toContain(
      'missing: import codeparrot/apps (preset apps)',
    );
    await app.screenshot('data-question-sources');
  });
});
