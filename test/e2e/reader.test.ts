import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openCurate, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED trace reader browser tests: ${skip}`);
const poll = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 20_000 });

describe.skipIf(skip !== null)('Reading traces: the full-width reader', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openCurate(400);
  });
  afterAll(async () => app?.close());

  it('folds the reasoning by paragraph, highlights search hits, jumps to the final code, steps with j/k', async () => {
    const { page } = app;
    await page.fill('[data-testid="trace-search"]', 'dynamic');
    await page.press('[data-testid="trace-search"]', 'Enter');
    const hits = await app.t.call('sql.query', {
      sql: "SELECT count(*) FROM ds_demo_ocr2 WHERE response ILIKE '%dynamic%' OR question ILIKE '%dynamic%'",
    });
    await poll(() => page.locator('[data-testid="match-count"]').innerText()).toContain(
      `${Number(hits.rows[0]?.[0]).toLocaleString('en-US')} of`,
    );
    // the first match (table order is row id) with a final code block and paragraphs in its reasoning
    const pick = await app.t.call('sql.query', {
      sql: "SELECT min(row_id) FROM ds_demo_ocr2 WHERE (response ILIKE '%dynamic%' OR question ILIKE '%dynamic%') AND final_code <> '' AND response LIKE '%' || chr(10) || chr(10) || '%'",
    });
    await page.locator(`[data-testid="trace-row"][data-row-id="${Number(pick.rows[0]?.[0])}"]`).click();
    await page.waitForSelector('[data-testid="trace-pane"]');
    await page.keyboard.press('r');
    await page.waitForSelector('[data-testid="trace-reader"] [data-testid="trace-pane"]');
    // the table steps aside: the reader takes the width
    const width = await page.locator('[data-testid="trace-reader"]').evaluate((e) => e.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(1000);
    // search hits marked; folded paragraphs show one line, the ones with a hit stay open
    expect(await page.locator('[data-testid="trace-pane"] mark.hit').count()).toBeGreaterThan(0);
    const paras = page.locator('[data-testid="think-para"]');
    const n = await paras.count();
    const folded = await page.locator('[data-testid="think-para"].folded').count();
    const open = await page.locator('[data-testid="think-para"].open').count();
    expect(folded + open).toBe(n);
    for (const i of [...Array(n).keys()]) {
      const p = paras.nth(i);
      if ((await p.getAttribute('class'))?.includes('open')) continue;
      expect(await p.locator('mark.hit').count()).toBe(0);
    }
    await expect.poll(() => page.locator('[data-testid="token-counts"]').innerText()).toMatch(/tokens · reasoning ≈/);
    await shootBoth(page, 'reader-folded');
    await page.keyboard.press('f');
    await poll(() => page.locator('[data-testid="think-para"].folded').count()).toBe(0);
    await shootBoth(page, 'reader-unfolded');
    await page.keyboard.press('f');
    await page.keyboard.press('c');
    await poll(() =>
      page
        .locator('[data-testid="final-answer"]')
        .first()
        .evaluate((e) => {
          const r = e.getBoundingClientRect();
          return r.top >= 0 && r.top < window.innerHeight;
        }),
    ).toBe(true);
    expect(await page.locator('[data-testid="final-answer"] .c-kw').count()).toBeGreaterThan(0);
    await shootBoth(page, 'reader-final-code');
    const first = await page.locator('[data-testid="trace-pane"] .tv-meta b').first().innerText();
    await page.keyboard.press('j');
    await poll(() => page.locator('[data-testid="trace-pane"] .tv-meta b').first().innerText()).not.toBe(first);
    await page.keyboard.press('k');
    await poll(() => page.locator('[data-testid="trace-pane"] .tv-meta b').first().innerText()).toBe(first);
  });

  it('compares two traces side by side at full width, and Esc returns to the table', async () => {
    const { page } = app;
    const options = await page.locator('select[aria-label="compare with"] option').count();
    if (options > 1) {
      await page.selectOption('select[aria-label="compare with"]', { index: 1 });
      await poll(() => page.locator('[data-testid="trace-pane"]').count()).toBe(2);
      const w = await page
        .locator('[data-testid="trace-pane"]')
        .nth(1)
        .evaluate((e) => e.getBoundingClientRect().width);
      expect(w).toBeGreaterThan(450);
      await shootBoth(page, 'reader-compare');
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="trace-row"][data-row-id]');
    expect(await page.locator('[data-testid="trace-reader"]').count()).toBe(0);
  });
});
