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
    const edge = await page.locator('[data-testid="resize-id"]').boundingBox();
    if (!edge) throw new Error('no resize edge on the id column');
    const x = edge.x + edge.width / 2;
    const y = edge.y + edge.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (const dx of [20, 40, 60, 80]) await page.mouse.move(x + dx, y);
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
});
