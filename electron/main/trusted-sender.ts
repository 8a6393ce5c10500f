import type { BrowserWindow, WebFrameMain } from 'electron';

/** Only our own window's top frame, showing our own page, may call the backend. */
export const isTrustedSender = (
  frame: Pick<WebFrameMain, 'url'> | null,
  window: { webContents: { mainFrame: unknown } } | Pick<BrowserWindow, 'webContents'>,
  appOrigin: string,
): boolean => {
  if (!frame || frame !== window.webContents.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' ? appOrigin === 'file://' : url.origin === appOrigin;
  } catch {
    return false;
  }
};

/** The page an address shows, without its #route. */
const pageOf = (address: string): string => address.split('#')[0] ?? address;

/** Whether a window.open address is the app's own page at its reader route (`#/reader?…`): the detached reader. */
export const isReaderUrl = (target: string, appPage: string): boolean =>
  pageOf(target) === pageOf(appPage) && /^#\/reader(\?|$)/.test(target.slice(pageOf(target).length));

/** Whether a navigation stays on the app's page (a #route change or a reload of it). */
export const isAppPage = (target: string, appPage: string): boolean => pageOf(target) === pageOf(appPage);
