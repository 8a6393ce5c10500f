import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED palette and layout browser tests: ${skip}`);

describe.skipIf(skip !== null)('Palette, keys and layout at 1280×800 and 1920×1080', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true, demoTraces: 300 });
    await app.page.waitForSelector('[data-testid="ws-switch"]');
  });
  afterAll(async () => app?.close());

  it('the palette reaches every part of the app and lists the keys', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.waitForSelector('.palette li');
    const items = await page.locator('.palette li').allInnerTexts();
    const groups = new Set(items.map((t) => t.split('\n')[0]));
    for (const g of ['Go to', 'Data', 'Curate', 'Traces', 'Runs', 'Analysis', 'View', 'Workspace'])
      expect(groups).toContain(g);
    for (const title of [
      'Import a trace dataset…',
      'New partition…',
      'New nested subsets and export…',
      'Submit training / evaluation jobs…',
      'Export a figure (SVG, PDF, PNG) or table…',
      'Toggle light/dark theme',
      'Switch workspace…',
      'Full-width reader on/off',
      'Choose the table columns…',
      'Read the open trace in a window of its own',
    ]) {
      expect(items.some((t) => t.includes(title))).toBe(true);
    }
    expect(await page.locator('.palette li kbd').count()).toBeGreaterThanOrEqual(12);
    await shootBoth(page, 'palette');
    // a command runs: the submit dialog opens on the Runs screen, its actions on screen at 1280×800
    await page.fill('.palette input', 'submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="submit-dialog"]');
    await page.setViewportSize({ width: 1280, height: 800 });
    const box = await page.locator('[data-testid="submit-dialog"] .cluster-modal-body').boundingBox();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(800);
    await shootBoth(page, 'layout-submit-dialog');
    await page.locator('[data-testid="submit-dialog"] button:has-text("Close")').first().click();
  });

  it('Runs keeps names and labels readable at 1280 px', async () => {
    const { page } = app;
    await page.click('.sidebar [data-section="runs"]');
    await page.waitForSelector('[data-testid="runs-table"] tbody tr');
    await shootBoth(page, 'layout-runs');
  });

  it('an empty workspace shows empty states, not empty axes', async () => {
    const empty = await openApp({ demo: false });
    try {
      await empty.page.click('.sidebar [data-section="analysis"]');
      await empty.page.waitForSelector('[data-testid="analysis-empty"]');
      expect(await empty.page.locator('[data-testid="scaling-plot"]').count()).toBe(0);
      await shootBoth(empty.page, 'layout-analysis-empty');
    } finally {
      await empty.close();
    }
  });
});
