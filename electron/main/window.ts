import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { isAppPage, isReaderUrl } from './trusted-sender';

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

const webPreferences = () => ({
  preload: join(__dirname, 'preload.js'),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: false,
});

/**
 * No navigation away from the app's page; no new windows but the detached reader (the app's page at `#/reader?…`,
 * a window with the same preload, handed to `onWindow` so IPC serves it); https links open in the user's browser.
 */
const guard = (win: BrowserWindow, page: string, onWindow: (w: BrowserWindow) => void) => {
  win.webContents.on('will-navigate', (event, target) => {
    if (!isAppPage(target, page)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (isReaderUrl(target, page)) {
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          width: 1100,
          height: 900,
          minWidth: 600,
          minHeight: 400,
          title: 'Valley reader',
          webPreferences: webPreferences(),
        },
      };
    }
    if (target.startsWith('https://')) void shell.openExternal(target);
    return { action: 'deny' };
  });
  win.webContents.on('did-create-window', (child) => {
    guard(child, page, onWindow);
    onWindow(child);
  });
};

/** The app's window; `onWindow` is told of each reader window it opens. */
export const createMainWindow = (onWindow: (w: BrowserWindow) => void): BrowserWindow => {
  const { url, origin } = appUrl();
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Valley',
    show: false,
    webPreferences: webPreferences(),
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
  guard(win, url, onWindow);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
};
