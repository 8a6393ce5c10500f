import { describe, expect, it } from 'vitest';
import { isAppPage, isReaderUrl, isTrustedSender } from '../../electron/main/trusted-sender';

describe('IPC trusted-sender check', () => {
  const mainFrame = { url: 'file:///opt/Valley/resources/app.asar/.vite/renderer/main_window/index.html' };
  const window = { webContents: { mainFrame } };

  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedSender(mainFrame, window, 'file://')).toBe(true);
    const dev = { url: 'http://localhost:5173/' };
    expect(isTrustedSender(dev, { webContents: { mainFrame: dev } }, 'http://localhost:5173')).toBe(true);
  });

  it('refuses a sub-frame, another origin, or no frame', () => {
    const iframe = { url: mainFrame.url };
    expect(isTrustedSender(iframe, window, 'file://')).toBe(false);
    const evil = { url: 'https://evil.example/' };
    expect(isTrustedSender(evil, { webContents: { mainFrame: evil } }, 'file://')).toBe(false);
    expect(isTrustedSender(evil, { webContents: { mainFrame: evil } }, 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender(null, window, 'file://')).toBe(false);
  });

  it('lets window.open make a window only for the app page at its reader route', () => {
    const page = mainFrame.url;
    expect(isReaderUrl(`${page}#/reader?dataset=demo-ocr2&row=12&index=3`, page)).toBe(true);
    expect(isReaderUrl(`${page}#/reader`, page)).toBe(true);
    expect(isReaderUrl('http://localhost:5173/#/reader?dataset=a&row=1', 'http://localhost:5173/')).toBe(true);
    expect(isReaderUrl(`${page}#/readers`, page)).toBe(false);
    expect(isReaderUrl(page, page)).toBe(false);
    expect(isReaderUrl('file:///tmp/evil.html#/reader?row=1', page)).toBe(false);
    expect(isReaderUrl('https://evil.example/#/reader?row=1', 'http://localhost:5173/')).toBe(false);
    expect(isReaderUrl('http://localhost:5174/#/reader', 'http://localhost:5173/')).toBe(false);
    // navigation: a #route of the page stays, anything else is stopped
    expect(isAppPage(`${page}#/reader?row=2`, page)).toBe(true);
    expect(isAppPage('https://evil.example/', page)).toBe(false);
  });
});
