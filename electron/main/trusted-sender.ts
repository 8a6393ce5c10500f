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
