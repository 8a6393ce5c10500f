import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED runs view browser tests: ${skip}`);

describe.skipIf(skip !== null)('Runs view: sortable results, labels, compare', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 300 });
    await app.page.click('.sidebar [data-section="runs"]');
    await app.page.waitForSelector('[data-testid="runs-table"] tbody tr');
  });
  afterAll(async () => app?.close());

  it('sorts by a metric column, both ways', async () => {
    const { page } = app;
    const passColumn = async () =>
      (await page.locator('[data-testid="runs-table"] tbody tr td:nth-child(8)').allInnerTexts()).map((t) =>
        Number(t.replace('%', '')),
      );
    await page.click('[data-testid="runs-table"] th[data-sort="m:pass@1"]');
    const desc = await passColumn();
    expect(desc.length).toBe(16);
    expect([...desc].sort((a, b) => b - a)).toEqual(desc);
    await page.click('[data-testid="runs-table"] th[data-sort="m:pass@1"]');
    const asc = await passColumn();
    expect([...asc].sort((a, b) => a - b)).toEqual(asc);
  });

  it('compares two runs down to the problems only one solved', async () => {
    const { page } = app;
    await page.check('tr[data-run="demo-qwen7b-all-30000"] input[type="checkbox"]');
    await page.check('tr[data-run="demo-qwen7b-all-1000"] input[type="checkbox"]');
    await page.waitForSelector('[data-testid="run-compare"] [data-testid="compare-problems"] tbody tr');
    const onlyA = await page.locator('[data-testid="only-a"]').innerText();
    const onlyB = await page.locator('[data-testid="only-b"]').innerText();
    const count = (s: string) => Number(/\((\d+)\)$/.exec(s)?.[1]);
    const api = await app.t.call('analysis.compareRuns', { a: 'demo-qwen7b-all-30000', b: 'demo-qwen7b-all-1000' });
    expect(count(onlyA)).toBe(api.onlyA.length);
    expect(count(onlyB)).toBe(api.onlyB.length);
    await page.locator('[data-testid="run-compare"]').scrollIntoViewIfNeeded();
    await app.screenshot('runs-compare');
  });

  it('edits a run’s labels in place', async () => {
    const { page } = app;
    await page.click('tr[data-run="demo-llama8b-all-1000"] td.labels button');
    await page.fill('tr[data-run="demo-llama8b-all-1000"] td.labels input', 'demo=true, note=valley point');
    await page.press('tr[data-run="demo-llama8b-all-1000"] td.labels input', 'Enter');
    await expect
      .poll(() => page.locator('tr[data-run="demo-llama8b-all-1000"] td.labels').innerText(), { timeout: 10_000 })
      .toContain('note=valley point');
    const { runs } = await app.t.call('runs.list', {});
    expect(runs.find((r) => r.id === 'demo-llama8b-all-1000')?.labels['note']).toBe('valley point');
  });
});
