import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** Screenshots of the screens, kept in the repository (docs/screenshots), at the two sizes the layout must hold. */
export const DOC_SCREENSHOTS = resolve(__dirname, '../../docs/screenshots');
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Take `name`-1280x800.png and `name`-1920x1080.png of what the page shows, then restore the viewport. `ready` runs
 * after each resize (wait for a relayout, scroll something into view).
 */
export const shootBoth = async (page: Page, name: string, ready?: () => Promise<void>): Promise<string[]> => {
  await mkdir(DOC_SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  const paths: string[] = [];
  for (const v of VIEWPORTS) {
    await page.setViewportSize(v);
    await page.waitForTimeout(150);
    if (ready) await ready();
    const path = join(DOC_SCREENSHOTS, `${name}-${v.width}x${v.height}.png`);
    await page.screenshot({ path });
    paths.push(path);
  }
  if (before) await page.setViewportSize(before);
  return paths;
};
