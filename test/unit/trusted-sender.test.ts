import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../electron/main/trusted-sender';

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
});
