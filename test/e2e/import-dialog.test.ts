import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED browser tests: ${skip}`);

describe.skipIf(skip !== null)('import dialog, notices and Escape (browser mode, empty workspace)', () => {
  let app: AppUnderTest;
  let file: string;
  beforeAll(async () => {
    app = await openApp({ demo: false });
    file = join(app.t.dir, '..', 'bad-line-3.jsonl');
    const row = (i: number) =>
      JSON.stringify({
        id: `r${i}`,
        question: `Question ${i}`,
        r1_generation: `<think>t${i}</think>print(${i})`,
        pass_rate: 1,
      });
    writeFileSync(file, [row(1), row(2), '{"id": "r3", "question": "broken', row(4), row(5)].join('\n') + '\n');
    await app.page.waitForSelector('.sidebar [data-section]');
  });
  afterAll(async () => app?.close());

  it('offers "skip bad lines" when the preview fails on line 3, and imports the good rows', async () => {
    const { page } = app;
    await page.click('.sidebar [data-section="data"]');
    await page.click('[data-testid="open-import"]');
    await page.fill('[data-testid="import-paths"]', file);
    await page.click('[data-testid="import-preview"]');
    const error = page.locator('[data-testid="import-error"]');
    await expect.poll(() => error.innerText(), { timeout: 30_000 }).toContain('line 3');
    await app.screenshot('import-bad-line-3');
    await page.click('[data-testid="preview-skip-bad-lines"]');
    await page.waitForSelector('[data-testid="import-sample"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="import-sample"] tbody tr').count()).toBe(4);
    expect(await page.locator('[data-testid="import-skip-bad-lines"]').isChecked()).toBe(true);
    expect(await error.count()).toBe(0);
    await app.screenshot('import-bad-line-3-skipped');
    await page.fill('[data-testid="import-name"]', 'badline');
    await page.click('[data-testid="import-start"]');
    await expect
      .poll(() => page.locator('[data-testid="import-progress"]').getAttribute('data-state'), { timeout: 60_000 })
      .toBe('done');
    expect((await app.t.call('data.datasets', {})).datasets.find((d) => d.name === 'badline')?.rows).toBe(4);
  });

  it('closes every dialog with Escape', async () => {
    const { page } = app;
    const dialog = page.locator('[role="dialog"]');
    expect(await dialog.count()).toBe(1); // the import dialog, still open after its import
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    for (const [section, opener] of [
      ['data', 'open-import'],
      ['data', 'open-results-import'],
      ['runs', 'open-submit'],
    ] as const) {
      await page.click(`.sidebar [data-section="${section}"]`);
      await page.click(`[data-testid="${opener}"]`);
      await page.waitForSelector('[role="dialog"]');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count(), { message: `${opener} closes with Escape` }).toBe(0);
    }
    // the palette too
    await page.keyboard.press('Control+k');
    await page.waitForSelector('.palette input');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.palette').count()).toBe(0);
  });

  it('closes an info notice by itself and drops an unreadable saved view', async () => {
    const { page } = app;
    await app.t.call('curate.ui.set', {
      key: 'curate:badline',
      value: { panel: 'no-such-tab', sort: { column: 'nope' }, showThink: true },
    });
    await page.click('.sidebar [data-section="curate"]');
    const info = page.locator('.notice[data-kind="info"]');
    await expect.poll(() => info.innerText(), { timeout: 20_000 }).toContain('partly unreadable; reset: sort, panel');
    // the default tab instead of the broken one
    await expect.poll(() => page.locator('[data-testid="tab-partitions"]').getAttribute('class')).toContain('active');
    await app.screenshot('notice-info');
    await expect.poll(() => info.count(), { timeout: 12_000 }).toBe(0);
  });
  // errors staying until dismissed, at most three stacking and repeats counted: test/unit/notices.test.ts
});
