import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openApp, type AppUnderTest } from '../helpers/browser';
import { shootBoth } from '../helpers/screens';

const skip = browserUnavailable();
if (skip) console.warn(`SKIPPED workspace browser tests: ${skip}`);
const lcbDir = resolve(__dirname, '../../../shared/data/livecodebench');

describe.skipIf(skip !== null)('Workspaces and the file browser in browser mode', () => {
  let app: AppUnderTest;
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'valley-e2e-ws-'));
    app = await openApp({ demo: true, demoTraces: 300 });
    await app.page.waitForSelector('[data-testid="ws-switch"] .badge.demo');
  });
  afterAll(async () => {
    await app?.close();
    await rm(parent, { recursive: true, force: true });
  });

  it('importing in the demo offers a new workspace; files are picked in a browser served by the backend', async () => {
    const { page } = app;
    await page.click('.sidebar [data-section="data"]');
    await page.click('[data-testid="open-results-import"]');
    await page.waitForSelector('[data-testid="results-dialog"] [data-testid="demo-offer"]');
    await page.click('[data-testid="results-dialog"] button:has-text("Browse files…")');
    await page.waitForSelector('[data-testid="file-browser"] input[aria-label="folder path"]');
    // starts at home
    const home = (await app.t.call('fs.list', {})).home;
    expect(await page.inputValue('[data-testid="file-browser"] input[aria-label="folder path"]')).toBe(home);
    await page.fill('[data-testid="file-browser"] input[aria-label="folder path"]', lcbDir);
    await page.press('[data-testid="file-browser"] input[aria-label="folder path"]', 'Enter');
    const file = 'O1-Mini-2024-09-12_N1_Scenario.codegeneration_1_0.2_eval_all.json';
    const row = page.locator(`[data-testid="file-browser"] tr[data-entry="${file}"]`);
    await row.waitFor();
    const listed = (await app.t.call('fs.list', { dir: lcbDir })).entries.find((e) => e.name === file);
    expect(await row.innerText()).toContain(`${((listed?.size ?? 0) / 2 ** 20).toFixed(1)} MB`);
    expect(await page.locator('[data-testid="file-browser"] tr[data-entry="Qwen2.5-Ins-7B"]').innerText()).toContain(
      'Qwen2.5-Ins-7B/',
    );
    await row.click();
    await shootBoth(page, 'workspace-file-browser');
    await page.click('[data-testid="fb-choose"]');
    expect(await page.inputValue('[data-testid="results-paths"]')).toBe(join(lcbDir, file));
    await shootBoth(page, 'workspace-demo-offer');
    await page.click('[data-testid="results-dialog"] [data-testid="demo-offer-create"]');
    await page.waitForSelector('[data-testid="workspace-dialog"] [data-testid="ws-create"]');
  });

  it('creates a workspace in a folder chosen in the browser, switches to it, and switches back from the palette', async () => {
    const { page } = app;
    await page.fill('[data-testid="ws-name"]', 'LCB study');
    await page.click('[data-testid="workspace-dialog"] button:has-text("Choose where…")');
    await page.waitForSelector('[data-testid="file-browser"]');
    await page.fill('[data-testid="file-browser"] input[aria-label="folder path"]', parent);
    await page.press('[data-testid="file-browser"] input[aria-label="folder path"]', 'Enter');
    await expect.poll(() => page.locator('.fb-crumbs').innerText()).toContain(parent.split('/').pop() as string);
    await page.click('[data-testid="fb-choose"]');
    const dir = join(parent, 'LCB-study');
    expect(await page.inputValue('[data-testid="ws-dir"]')).toBe(dir);
    await shootBoth(page, 'workspace-new');
    await page.click('[data-testid="ws-create"]');
    // every window reloads onto the new workspace: empty, not the demo
    await expect
      .poll(() => page.locator('[data-testid="ws-switch"]').innerText(), { timeout: 60_000 })
      .toContain('LCB study');
    expect(await page.locator('[data-testid="ws-switch"] .badge.demo').count()).toBe(0);
    expect((await app.t.call('system.info', {})).workspace).toMatchObject({ dir, name: 'LCB study', isDemo: false });
    expect((await app.t.call('runs.list', {})).runs).toHaveLength(0);
    await page.keyboard.press('Control+o');
    await page.waitForSelector('[data-testid="workspace-dialog"] [data-testid="ws-recent"] li');
    expect(await page.locator('[data-testid="ws-recent"]').innerText()).toContain('LCB study');
    await shootBoth(page, 'workspace-dialog');
    await page.click('[data-testid="workspace-dialog"] button:has-text("Close")');
    // the palette lists the workspaces: reopen the demo
    await page.keyboard.press('Control+k');
    await page.fill('.palette input', 'reopen valley demo');
    await page.waitForSelector('.palette li:has-text("Reopen Valley demo")');
    await shootBoth(page, 'workspace-palette');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="ws-switch"]').innerText(), { timeout: 60_000 })
      .toContain('Valley demo');
    expect((await app.t.call('system.info', {})).workspace.dir).toBe(app.t.dir);
    expect((await app.t.call('runs.list', {})).runs.length).toBeGreaterThan(0);
  });
});
