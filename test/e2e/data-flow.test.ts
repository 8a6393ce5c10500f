import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED data-flow browser tests: ${skip}`);

const poll = <T>(f: () => Promise<T> | T) => expect.poll(f, { timeout: 20_000 });

/** Every RPC the page sends (POST /api/invoke), by method, from now on. */
const countCalls = (page: Page) => {
  const calls: string[] = [];
  page.on('request', (r) => {
    if (!r.url().endsWith('/api/invoke')) return;
    const body = JSON.parse(r.postData() ?? '{}') as { method?: string };
    calls.push(body.method ?? '?');
  });
  return {
    reset: () => calls.splice(0),
    byMethod: () => calls.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m]: (acc[m] ?? 0) + 1 }), {}),
  };
};

/** Wait until no RPC has been sent for `quietMs` (the store's refetches have all gone out). */
const settle = async (page: Page, quietMs = 1500): Promise<void> => {
  let last = Date.now();
  const onRequest = () => (last = Date.now());
  page.on('request', onRequest);
  while (Date.now() - last < quietMs) await page.waitForTimeout(200);
  page.off('request', onRequest);
};

describe.skipIf(skip !== null)('one path per feature: a mark click in browser mode', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 3000 });
    await app.page.click('.sidebar [data-section="curate"]');
    await app.page.waitForSelector('[data-testid="trace-row"][data-row-id]');
  });
  afterAll(async () => app?.close());

  it('issues each query once: the mutation, then one refetch triggered by workspace.changed', async () => {
    const { page } = app;
    await page.click('[data-testid="preset-correctness"]');
    await page.waitForSelector('[data-testid="partition-row"]');
    await page.locator('[data-testid="partition-row"]').first().locator('[data-testid="mark-here"]').click();
    const rows = page.locator('[data-testid="trace-row"][data-row-id]');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
    await settle(page);
    const calls = countCalls(page);
    await page.click('[data-testid="mark-include"]');
    await poll(() => page.locator('.tt-row.mark-include').count()).toBe(3);
    await settle(page);
    const counted = calls.byMethod();
    // the mark itself, and everything it changes fetched exactly once
    expect(counted).toEqual({
      'curate.marks.set': 1,
      'curate.partitions.list': 1,
      'curate.history': 1,
      'curate.partitions.stats': 1,
      'traces.facets': 1,
      'traces.window': 1,
    });
    // the partition's size followed the mark
    const sizes = await page.locator('[data-testid="partition-size"]').allInnerTexts();
    expect(sizes.length).toBeGreaterThan(0);
    await app.screenshot('data-flow-marked');
  });

  it('undo is one call and one refetch too', async () => {
    const { page } = app;
    const calls = countCalls(page);
    await page.click('[data-testid="undo"]');
    await poll(() => page.locator('.tt-row.mark-include').count()).toBe(0);
    await settle(page);
    expect(calls.byMethod()).toEqual({
      'curate.undo': 1,
      'curate.partitions.list': 1,
      'curate.history': 1,
      'curate.partitions.stats': 1,
      'traces.facets': 1,
      'traces.window': 1,
    });
  });
});
