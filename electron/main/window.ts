import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'";

/** The app's page: the Vite dev server under `npm start`, the packaged file otherwise. */
export const appUrl = (): { url: string; origin: string } => {
  if (typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' && MAIN_WINDOW_VITE_DEV_SERVER_URL) {
    return { url: MAIN_WINDOW_VITE_DEV_SERVER_URL, origin: new URL(MAIN_WINDOW_VITE_DEV_SERVER_URL).origin };
  }
  const file = join(__dirname, `../renderer/${MAIN_WINDOW_VITE_NAME}/index.html`);
  return { url: `file://${file}`, origin: 'file://' };
};

export const createMainWindow = (): BrowserWindow => {
  const { url, origin } = appUrl();
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Valley',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // A strict CSP on everything the window loads (the production page also carries it as a meta tag).
  if (origin !== 'file://') {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")],
        },
      });
    });
  }
  // No navigation away from the app, no new windows; https links open in the user's browser.
  win.webContents.on('will-navigate', (event, target) => {
    if (target !== url) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (target.startsWith('https://')) void shell.openExternal(target);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
};
