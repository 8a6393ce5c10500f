import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED browser tests: ${skip}`);

describe.skipIf(skip !== null)('app shell in browser mode on the demo workspace', () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await openApp({ demo: true });
  });
  afterAll(async () => app?.close());

  it('opens on the demo workspace and labels it as demo data', async () => {
    await expect.poll(() => app.page.locator('.statusbar .badge.demo').count()).toBe(1);
    // the token is taken out of the address bar
    expect(app.page.url()).not.toContain('token=');
  });

  it('shows demo data in each of the four sections', async () => {
    const { page } = app;
    const expectations: [string, string][] = [
      ['data', 'demo-ocr2'],
      ['curate', 'demo-'],
      ['runs', 'Qwen2.5-7B-Instruct'],
      ['analysis', 'Llama3.1-8B-Instruct'],
    ];
    for (const [section, text] of expectations) {
      await page.click(`.sidebar [data-section="${section}"]`);
      await page.waitForSelector(`main[data-screen="${section}"]`);
      await expect.poll(() => page.locator('main').innerText(), { timeout: 20_000 }).toContain(text);
      await app.screenshot(`shell-${section}`);
    }
  });

  it('opens the command palette with Ctrl+K and navigates with it', async () => {
    const { page } = app;
    await page.keyboard.press('Control+k');
    await page.waitForSelector('.palette input');
    await page.keyboard.type('go runs');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-screen="runs"]');
    await page.keyboard.press('Control+4');
    await page.waitForSelector('main[data-screen="analysis"]');
  });

  it('switches to the dark theme', async () => {
    const { page } = app;
    await page.click('[data-testid="theme-toggle"]');
    const theme = await page.evaluate(() => document.documentElement.dataset['theme']);
    expect(['dark', 'light']).toContain(theme);
    await page.click('.sidebar [data-section="analysis"]');
    await app.screenshot(`shell-analysis-${theme ?? 'x'}`);
  });
});
