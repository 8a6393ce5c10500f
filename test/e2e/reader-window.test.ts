import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailable, openCurate, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED detached reader browser tests: ${skip}`);
const poll = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 30_000 });
const shownId = (p: Page) => p.locator('[data-testid="trace-pane"] .tv-meta b').first().innerText();

describe.skipIf(skip !== null)('The reader in a window of its own (browser mode)', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openCurate(400);
  });
  afterAll(async () => app?.close());

  it('opens the trace in a new window that reads it, steps with next/previous, and leaves the saved view alone', async () => {
    const { page } = app;
    // a sort, so the window's next/previous must follow the table's order, not row ids
    await page.click('[data-testid="sort-tokens"]');
    await poll(() => page.locator('[data-testid="sort-tokens"]').innerText()).toContain('▲');
    const rows = page.locator('[data-testid="trace-row"][data-row-id]');
    await poll(() => rows.nth(3).getAttribute('data-index')).toBe('3');
    const ids = await rows.evaluateAll((els) =>
      els.slice(0, 4).map((e) => e.querySelectorAll('.tt-cell')[2]?.textContent),
    );
    await rows.nth(1).click();
    await poll(() => shownId(page)).toBe(ids[1]);
    const openRow = Number(await rows.nth(1).getAttribute('data-row-id'));

    const [reader] = await Promise.all([
      page.context().waitForEvent('page'),
      page.click('[data-testid="reader-window"]'),
    ]);
    const problems: string[] = [];
    reader.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    reader.on('pageerror', (e) => problems.push(e.message));
    await reader.waitForSelector('[data-testid="detached-reader"] [data-testid="trace-pane"]', { timeout: 120_000 });
    await poll(() => shownId(reader)).toBe(ids[1]);
    // the route names the trace; the token was taken out of the address bar as on the app's first page
    expect(new URL(reader.url()).hash).toBe(`#/reader?dataset=demo-ocr2&row=${openRow}&index=1`);
    expect(new URL(reader.url()).searchParams.get('token')).toBeNull();
    expect(await reader.locator('[data-testid="detached-position"]').innerText()).toContain('2 of 400');
    // full width, no way back to a table that is not there
    const width = await reader.locator('[data-testid="trace-reader"]').evaluate((e) => e.getBoundingClientRect().width);
    expect(width).toBeGreaterThan((reader.viewportSize()?.width ?? 0) * 0.9);
    expect(await reader.locator('[data-testid="reader-toggle"]').count()).toBe(0);
    await shootBoth(reader, 'reader-window');

    // next and previous in the table's order: keys and buttons
    await reader.keyboard.press('j');
    await poll(() => shownId(reader)).toBe(ids[2]);
    await reader.click('[data-testid="next-trace"]');
    await poll(() => shownId(reader)).toBe(ids[3]);
    await poll(() => reader.locator('[data-testid="detached-position"]').innerText()).toContain('4 of 400');
    await reader.keyboard.press('k');
    await poll(() => shownId(reader)).toBe(ids[2]);
    await reader.click('button:has-text("◀ prev")');
    await poll(() => shownId(reader)).toBe(ids[1]);
    await reader.keyboard.press('f');
    expect(problems).toEqual([]);

    // the main window still shows its trace, and the saved view is still the main window's
    await reader.waitForTimeout(600);
    expect(await shownId(page)).toBe(ids[1]);
    const saved = await app.t.call('curate.ui.get', { key: 'curate:demo-ocr2' });
    expect(saved.value).toMatchObject({ openRow, sort: { column: 'tokens', desc: false } });
    await reader.close();
  });

  it('says what is wrong with a malformed reader link', async () => {
    const bad = await app.page.context().newPage();
    await bad.goto(`${app.server.url}#/reader?dataset=demo-ocr2&row=oops`, { timeout: 120_000 });
    await poll(() => bad.locator('[data-testid="reader-link-error"]').innerText()).toContain(
      'row “oops” is not a row id',
    );
    await bad.close();
  });
});
