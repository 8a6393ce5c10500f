import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHttpServer, type HttpServer } from '../../electron/rpc/http-server';
import { startTestBackend, type TestBackend } from './workspace';

export const CHROMIUM = process.env['VALLEY_CHROMIUM'] ?? '/usr/bin/chromium';
export const RENDERER_DIR = resolve(__dirname, '../../dist/renderer');
export const SCREENSHOT_DIR = resolve(__dirname, '../../test-results/screenshots');

/** Why browser tests cannot run here, or null when they can. */
export const browserUnavailable = (): string | null => {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return 'renderer not built (npm run build)';
  return null;
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

export interface AppUnderTest {
  readonly t: TestBackend;
  readonly server: HttpServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Every console error and uncaught page error since the page opened, in order (the crawler fails on any). */
  readonly problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Browser mode for real: a backend on a fresh (demo) workspace, the HTTP server, Chromium on its URL. */
export const openApp = async (
  options: { demo?: boolean; demoTraces?: number } = { demo: true },
): Promise<AppUnderTest> => {
  const t = await startTestBackend({ demo: options.demo ?? true, demoTraces: options.demoTraces ?? 3000 });
  const server = await startHttpServer({
    router: t.backend.router,
    bus: t.backend.services.bus,
    staticDir: RENDERER_DIR,
  });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const problems: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
    problems.push(`pageerror: ${e.message}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  // a 5 MB bundle parses slowly on a loaded 2-core machine (20+ s seen): allow for it
  await page.goto(server.url, { timeout: 120_000 });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    t,
    server,
    browser,
    page,
    problems,
    async screenshot(name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      await server.close();
      await t.close();
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
};

/** The demo workspace (`demoTraces` traces) in browser mode with the Curate screen open and its first rows drawn. */
export const openCurate = async (demoTraces: number): Promise<AppUnderTest> => {
  const app = await openApp({ demo: true, demoTraces });
  await app.page.click('.sidebar [data-section="curate"]');
  await app.page.waitForSelector('[data-testid="trace-row"][data-row-id]');
  return app;
};
