import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema } from '../../shared/api';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED curate browser tests: ${skip}`);

/** The machine may be busy: give the UI time. */
const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 20_000 });

const count = async (app: AppUnderTest): Promise<number> =>
  Number(
    ((await app.page.locator('[data-testid="match-count"]').innerText()).split(' of ')[0] ?? '').replace(/[^\d]/g, ''),
  );

describe.skipIf(skip !== null)('Curate screen in browser mode on the demo workspace', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 20_000 });
    await app.page.click('.sidebar [data-section="curate"]');
    await app.page.waitForSelector('[data-testid="trace-row"][data-row-id]');
  });
  afterAll(async () => app?.close());

  it('brushes a histogram, which filters the table and the other histograms', async () => {
    const { page } = app;
    await poll(() => count(app)).toBe(20_000);
    await app.screenshot('curate-start');
    const plot = page.locator('[data-testid="facet-tokens"] .nsewdrag').first();
    const box = await plot.boundingBox();
    if (!box) throw new Error('no tokens plot');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="filter-chip"]');
    expect(await page.locator('[data-testid="filter-chip"]').innerText()).toContain('tokens');
    await poll(() => count(app)).toBeLessThan(20_000);
    const brushed = await count(app);
    expect(brushed).toBeGreaterThan(0);
    // the table shows the brushed rows only
    const firstTokens = await page.locator('[data-testid="trace-row"][data-row-id] .tt-cell.num').nth(2).innerText();
    expect(Number(firstTokens.replace(/[^\d]/g, ''))).toBeGreaterThan(0);
    const topRow = await page.locator('[data-testid="trace-row"][data-row-id]').first().getAttribute('data-row-id');
    // jump deep into the table: the rows there arrive on demand
    await page.locator('[data-testid="traces-table"]').evaluate((el) => el.scrollTo(0, el.scrollHeight * 0.7));
    // (poll the row id itself: right after the scroll the rows from the top are still on screen)
    await poll(async () =>
      Number(await page.locator('[data-testid="trace-row"][data-row-id]').first().getAttribute('data-row-id')),
    ).toBeGreaterThan(5000);
    expect(await page.locator('[data-testid="trace-row"][data-row-id]').count()).toBeGreaterThan(10);
    await page.locator('[data-testid="traces-table"]').evaluate((el) => el.scrollTo(0, 0));
    await poll(() => page.locator('[data-testid="trace-row"][data-row-id]').first().getAttribute('data-row-id')).toBe(
      topRow,
    );
    await page.click('[data-testid="tab-partitions"]');
    await app.screenshot('curate-brushed');
  });

  it('marks rows in a partition, and undoes/redoes with the keyboard', async () => {
    const { page } = app;
    await page.click('[data-testid="preset-correctness"]');
    await page.waitForSelector('[data-testid="partition-row"]');
    await page.locator('[data-testid="partition-row"]').first().locator('[data-testid="mark-here"]').click();
    const rows = page.locator('[data-testid="trace-row"][data-row-id]');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
    await page.click('[data-testid="mark-include"]');
    await poll(() => page.locator('.tt-row.mark-include').count()).toBe(3);
    for (let i = 3; i < 5; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
    await page.click('[data-testid="mark-exclude"]');
    await poll(() => page.locator('.tt-row.mark-exclude').count()).toBe(2);
    await app.screenshot('curate-marked');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await poll(() => page.locator('.tt-row.mark-exclude').count()).toBe(0);
    await page.waitForSelector('[data-testid="redo"]:not([disabled])');
    await page.keyboard.press('Control+Shift+z');
    await poll(() => page.locator('.tt-row.mark-exclude').count()).toBe(2);
    const marks = await app.t.call('curate.marks.list', { partition: 'correct' });
    expect(marks.include).toHaveLength(3);
    expect(marks.exclude).toHaveLength(2);
  });

  it('opens a trace with folded reasoning, the final answer and a comparison', async () => {
    const { page } = app;
    await page.locator('[data-testid="trace-row"][data-row-id]').nth(5).click();
    await page.waitForSelector('[data-testid="trace-pane"]');
    expect(await page.locator('.tv-think').getAttribute('open')).toBeNull();
    await page.click('.tv-think summary');
    expect(await page.locator('.tv-think').getAttribute('open')).not.toBeNull();
    await page.click('[data-testid="next-trace"]');
    await poll(() => page.locator('.tt-row.open').getAttribute('data-row-id')).not.toBe(null);
    const options = await page.locator('select[aria-label="compare with"] option').count();
    if (options > 1) {
      await page.selectOption('select[aria-label="compare with"]', { index: 1 });
      await poll(() => page.locator('[data-testid="trace-pane"]').count()).toBe(2);
    }
    await page.locator('[data-testid="final-answer"]').first().scrollIntoViewIfNeeded();
    await app.screenshot('curate-trace');
  });

  it('builds nested 1K/10K subsets, exports them, and the files read back', async () => {
    const { page } = app;
    await page.click('[data-testid="tab-subsets"]');
    await page.fill('[data-testid="subset-name"]', 'e2e study');
    await page.selectOption('[data-testid="subset-from"]', 'correct');
    await page.fill('[data-testid="subset-sizes"]', '1000, 10000');
    await page.click('[data-testid="save-subset"]');
    await page.waitForSelector('[data-testid="subset-plan"]');
    await page
      .locator('[data-testid="subset-row"]', { hasText: 'e2e study' })
      .locator('[data-testid="export-subset"]')
      .click();
    await page.waitForSelector('[data-testid="export-status"][data-state="done"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="export-files"]');
    await app.screenshot('curate-exported');
    const dir = join(app.t.dir, 'exports', 'e2e_study');
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    for (const f of manifest.files) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
    }
    const small = readFileSync(join(dir, 'train-1000.jsonl'), 'utf8').trimEnd().split('\n');
    const big = readFileSync(join(dir, 'train-10000.jsonl'), 'utf8').trimEnd().split('\n');
    expect(small).toHaveLength(1000);
    expect(big).toHaveLength(10_000);
    const bigSet = new Set(big);
    expect(small.every((l) => bigSet.has(l))).toBe(true);
    const first = JSON.parse(small[0] ?? '{}') as { messages: { role: string; content: string }[] };
    expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(first.messages[1]?.content).toContain('<think>');
    // the two rows marked exclude are in no export; the three included ones are in the pool
    const marks = await app.t.call('curate.marks.list', { partition: 'correct' });
    const ids = new Set((await app.t.call('curate.subsets.ids', { name: 'e2e study', size: 10_000 })).rowIds);
    expect(marks.exclude.some((id) => ids.has(id))).toBe(false);
  });

  it('restores the screen after a reload', async () => {
    const { page } = app;
    const before = await page.locator('[data-testid="filter-chip"]').allInnerTexts();
    await page.reload();
    await page.click('.sidebar [data-section="curate"]');
    await page.waitForSelector('[data-testid="filter-chip"]');
    expect(await page.locator('[data-testid="filter-chip"]').allInnerTexts()).toEqual(before);
    await poll(() => page.locator('[data-testid="tab-subsets"].active').count()).toBe(1);
  });
});
