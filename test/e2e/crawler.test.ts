import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, SCREENSHOT_DIR, type AppUnderTest } from '../helpers/browser';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED browser tests: ${skip}`);

const SHOTS = process.env['VALLEY_CRAWL_SHOTS'] ?? join(SCREENSHOT_DIR, 'crawl');

/** Give the screen time to fetch and draw (requests go over HTTP/WebSocket, so there is no load event to wait for). */
const settle = (page: Page, ms = 600): Promise<void> => page.waitForTimeout(ms);

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

interface Crawl {
  /** Every place visited, in order ("curate", "curate / tab Contamination", …). */
  visited: string[];
  /** What went wrong where: console errors, page errors, panels showing an error, blank screens. */
  problems: string[];
}

/**
 * Opens every screen, every tab of it, every dialog its "…" buttons open, and every command of the palette,
 * recording any console error, uncaught error, error panel or blank screen with where it happened.
 */
const crawl = async (app: AppUnderTest, workspace: string): Promise<Crawl> => {
  const { page } = app;
  const result: Crawl = { visited: [], problems: [] };
  let seen = 0;
  const check = async (where: string, shot?: string) => {
    await settle(page);
    result.visited.push(where);
    for (const p of app.problems.slice(seen)) result.problems.push(`${where}: ${p}`);
    seen = app.problems.length;
    const panels = await page
      .locator('[data-testid="panel-error"]')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-panel') ?? '?'}: ${e.querySelector('p')?.textContent ?? ''}`),
      );
    for (const p of panels) result.problems.push(`${where}: error panel ${p}`);
    const rootText = (
      await page
        .locator('#root')
        .innerText()
        .catch(() => '')
    ).trim();
    const mainText = (
      await page
        .locator('main.screen')
        .innerText()
        .catch(() => '')
    ).trim();
    if (!rootText) result.problems.push(`${where}: blank window (nothing rendered in #root)`);
    else if (!mainText) result.problems.push(`${where}: blank screen (main is empty)`);
    if (shot) await page.screenshot({ path: join(SHOTS, `${workspace}-${shot}.png`) });
  };

  /** Every dialog closes with Escape; one that does not is a problem (then closed by its button to go on). */
  const closeDialog = async (where: string) => {
    const dialog = page.locator('[role="dialog"]');
    await page.keyboard.press('Escape');
    await settle(page, 300);
    if ((await dialog.count()) === 0) return;
    result.problems.push(`${where}: Escape does not close the dialog`);
    const close = dialog.locator(
      'button:text-is("×"), button:text-is("Close"), button:text-is("Cancel"), .dialog-head button',
    );
    if ((await close.count()) > 0) await close.first().click();
    await settle(page, 300);
    if ((await dialog.count()) > 0) {
      result.problems.push(`${where}: the dialog does not close (×, Close, Cancel)`);
      await page.reload();
      await settle(page, 1000);
    }
  };

  /** Click, or record that what should be there is gone (a crash took the screen with it). */
  const click = async (target: ReturnType<Page['locator']>, where: string): Promise<boolean> => {
    try {
      await target.click({ timeout: 5000 });
      return true;
    } catch {
      result.problems.push(`${where}: could not click it (gone from the screen)`);
      await check(`${where} (missing)`);
      return false;
    }
  };

  await check('start');
  const sections = await page
    .locator('.sidebar [data-section]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-section') ?? ''));
  for (const section of sections) {
    if (!(await click(page.locator(`.sidebar [data-section="${section}"]`), section))) {
      await page.reload();
      continue;
    }
    await page.waitForSelector(`main[data-screen="${section}"]`);
    await check(section, section);

    const tabs = page.locator('main .tabs button, main [role="tab"]');
    const tabNames = await tabs.allInnerTexts();
    for (const [i, name] of tabNames.entries()) {
      if (!(await click(tabs.nth(i), `${section} / tab ${name}`))) continue;
      await check(`${section} / tab ${name}`, `${section}-tab-${slug(name)}`);
    }

    // dialogs: the buttons that say they open one ("Import dataset…", "Submit jobs…")
    const openers = page.locator('main button:enabled').filter({ hasText: /…\s*$/ });
    const openerNames = await openers.allInnerTexts();
    for (const name of openerNames) {
      const where = `${section} / dialog ${name}`;
      if (!(await click(page.locator('main button:enabled').filter({ hasText: name }).first(), where))) continue;
      await page
        .waitForSelector('[role="dialog"]', { timeout: 5000 })
        .catch(() => result.problems.push(`${where}: no dialog opened`));
      await check(where, `${section}-dialog-${slug(name)}`);
      await closeDialog(where);
    }
  }

  // every command of the palette, from a fresh palette each time
  const palette = async (where: string): Promise<boolean> => {
    await page.keyboard.press('Control+k');
    const shown = await page.waitForSelector('.palette input', { timeout: 5000 }).then(
      () => true,
      () => false,
    );
    if (!shown) result.problems.push(`${where}: Ctrl+K shows no command palette`);
    return shown;
  };
  await page.reload();
  await page.waitForSelector('.sidebar [data-section]', { timeout: 10_000 }).catch(() => undefined);
  if (!(await palette('palette'))) return result;
  const commands = await page.locator('.palette li:not(.empty)').allInnerTexts();
  await page.keyboard.press('Escape');
  expect(commands.length, 'the palette lists commands').toBeGreaterThan(0);
  for (const [i, text] of commands.entries()) {
    if (!(await palette(`palette #${i + 1}`))) break;
    const where = `palette / ${text.replace(/\s+/g, ' ')}`;
    if (!(await click(page.locator('.palette li:not(.empty)').nth(i), where))) continue;
    await check(where, `palette-${slug(text)}`);
    if ((await page.locator('[role="dialog"]').count()) > 0) await closeDialog(where);
  }
  return result;
};

for (const demo of [true, false]) {
  const workspace = demo ? 'demo' : 'empty';
  describe.skipIf(skip !== null)(`UI crawler on the ${workspace} workspace`, () => {
    let app: AppUnderTest;
    beforeAll(async () => {
      await mkdir(SHOTS, { recursive: true });
      app = await openApp({ demo, demoTraces: 1500 });
      await app.page.waitForSelector('.sidebar [data-section]');
    });
    afterAll(async () => {
      await app?.close().catch(() => undefined);
    });

    it('opens every screen, tab, dialog and palette command without an error or a blank screen', async () => {
      const { visited, problems } = await crawl(app, workspace);
      expect(problems).toEqual([]);
      expect(visited).toEqual(
        expect.arrayContaining(['data', 'curate', 'runs', 'analysis', 'data / dialog Import dataset…']),
      );
      if (demo)
        expect(visited).toEqual(
          expect.arrayContaining(['curate / tab Contamination', 'curate / tab SQL', 'runs / dialog Submit jobs…']),
        );
    });
  });
}
