import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailable, openCurate, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED curate columns browser tests: ${skip}`);
const poll = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 20_000 });

const headWidth = (page: Page, key: string) =>
  page.locator(`[data-testid="head-${key}"]`).evaluate((e) => Math.round(e.getBoundingClientRect().width));
const headKeys = (page: Page) =>
  page
    .locator('.tt-head [data-testid^="head-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(5)));

/** Press the mouse on an edge and move it `dx` px in four steps; the button stays down (the caller releases it). */
const dragStart = async (page: Page, testId: string, dx: number): Promise<void> => {
  const edge = await page.locator(`[data-testid="${testId}"]`).boundingBox();
  if (!edge) throw new Error(`no ${testId} edge`);
  const x = edge.x + edge.width / 2;
  const y = edge.y + edge.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (const step of [1, 2, 3, 4]) await page.mouse.move(x + (dx * step) / 4, y);
};

describe.skipIf(skip !== null)('Curate table: choosable and resizable columns', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openCurate(400);
    await app.page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => app?.close());

  it('drags an edge, moves it by keys, fits it by double-click, hides and shows columns; a reload keeps it all', async () => {
    const { page } = app;
    // every column is shown at first, the ones that used to fall off at 1440 px included
    expect(await headKeys(page)).toEqual(expect.arrayContaining(['response_chars', 'tokens', 'question']));
    expect(await headWidth(page, 'id')).toBe(120);

    // drag the id column's right edge 80 px to the right
    await dragStart(page, 'resize-id', 80);
    // while dragging, the rows follow the header
    const rowCell = page.locator('[data-testid="trace-row"][data-row-id] .tt-cell:nth-child(3)').first();
    await poll(() => rowCell.evaluate((e) => Math.round(e.getBoundingClientRect().width))).toBe(200);
    await page.mouse.up();
    await poll(() => headWidth(page, 'id')).toBe(200);

    // the keyboard: a focused edge moves by 10 px (Shift: 50)
    await page.focus('[data-testid="resize-tokens"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => headWidth(page, 'tokens')).toBe(90);
    await page.keyboard.press('Shift+ArrowLeft');
    await poll(() => headWidth(page, 'tokens')).toBe(40);
    expect(await page.locator('[data-testid="resize-tokens"]').getAttribute('aria-valuenow')).toBe('40');

    // double-click fits: the tokens column grows until every number read so far shows whole
    await page.dblclick('[data-testid="resize-tokens"]');
    await poll(() => headWidth(page, 'tokens')).toBeGreaterThan(40);
    const clipped = await page.locator('[data-testid="trace-row"][data-row-id]').evaluateAll((rows) =>
      rows.filter((r) => {
        const cell = r.querySelectorAll('.tt-cell')[9];
        return cell !== undefined && cell.scrollWidth > cell.clientWidth;
      }),
    );
    expect(clipped.length).toBe(0);
    const fitted = await headWidth(page, 'tokens');

    // the chooser hides source and judged, and shows judged again
    await page.click('[data-testid="columns-button"]');
    await page.waitForSelector('[data-testid="columns-box"]');
    await page.click('[data-testid="column-source"]');
    await page.click('[data-testid="column-correct"]');
    await poll(() => headKeys(page)).not.toContain('source');
    expect(await headKeys(page)).not.toContain('correct');
    await page.click('[data-testid="column-correct"]');
    await poll(() => headKeys(page)).toContain('correct');
    // rows show the same columns: check, mark and the 8 shown
    expect(await page.locator('[data-testid="trace-row"][data-row-id]').first().locator('.tt-cell').count()).toBe(10);
    // the table from its first column (focusing an edge scrolled it sideways)
    const left = async () => {
      await page.locator('[data-testid="traces-table"]').evaluate((e) => (e.scrollLeft = 0));
    };
    await shootBoth(page, 'curate-columns-chooser', left);
    await page.keyboard.press('Escape');
    await poll(() => page.locator('[data-testid="columns-box"]').count()).toBe(0);
    await shootBoth(page, 'curate-columns', left);

    // saved with the Curate view, field by field; a reload restores it
    await poll(async () => {
      const saved = await app.t.call('curate.ui.get', { key: 'curate:demo-ocr2' });
      return saved.value;
    }).toMatchObject({ hiddenColumns: ['source'], columnWidths: { id: 200, tokens: fitted } });
    await page.reload();
    await page.waitForSelector('[data-testid="trace-row"][data-row-id]');
    await poll(() => headKeys(page)).not.toContain('source');
    expect(await headWidth(page, 'id')).toBe(200);
    expect(await headWidth(page, 'tokens')).toBe(fitted);
    expect(await headKeys(page)).toEqual(expect.arrayContaining(['correct', 'response_chars', 'question']));

    // Home puts a column back at its default width; "Default widths" forgets them all
    await page.focus('[data-testid="resize-id"]');
    await page.keyboard.press('Home');
    await poll(() => headWidth(page, 'id')).toBe(120);
    await page.click('[data-testid="columns-button"]');
    await page.click('[data-testid="columns-reset-widths"]');
    await poll(() => headWidth(page, 'tokens')).toBe(70);
    await page.keyboard.press('Escape');
    expect(app.problems).toEqual([]);
  });

  it('gives a wide screen to the table, and the side panel keeps the width dragged on its edge', async () => {
    const { page } = app;
    const widths = () =>
      page.evaluate(() => {
        const w = (s: string) => Math.round(document.querySelector(s)?.getBoundingClientRect().width ?? 0);
        return { main: w('.curate-main'), table: w('.curate-table'), side: w('.curate-side') };
      });
    await page.locator('[data-testid="trace-row"][data-row-id]').nth(2).click();
    await page.waitForSelector('[data-testid="trace-pane"]');
    // 1280 px: the panel takes 42 % as before; 1920 px: at most 600 px, the rest is the table's
    await page.setViewportSize({ width: 1280, height: 800 });
    await poll(async () => {
      const w = await widths();
      return Math.abs(w.side - w.main * 0.42) <= 1;
    }).toBe(true);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await poll(async () => (await widths()).side).toBe(600);
    expect((await widths()).table).toBeGreaterThan(1000);
    await shootBoth(page, 'curate-split');

    // drag the edge 200 px to the left: the panel grows by 200 px, and a reload keeps it
    await dragStart(page, 'side-resize', -200);
    await poll(async () => (await widths()).side).toBe(800);
    await page.mouse.up();
    await page.reload();
    await page.waitForSelector('[data-testid="trace-row"][data-row-id]');
    await poll(async () => (await widths()).side).toBe(800);
    await shootBoth(page, 'curate-split-dragged');
    // the keys move it too, never past what leaves the table 400 px
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.focus('[data-testid="side-resize"]');
    for (let i = 0; i < 30; i++) await page.keyboard.press('Shift+ArrowLeft');
    await poll(async () => (await widths()).table).toBe(400);
    await page.keyboard.press('ArrowRight');
    await poll(async () => {
      const w = await widths();
      return w.main - w.side - 8 - w.table;
    }).toBe(0);
    // Home: back to the default split
    await page.keyboard.press('Home');
    await poll(async () => (await widths()).side).toBe(600);
    expect(app.problems).toEqual([]);
  });
});
