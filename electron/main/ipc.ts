import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { ipcChannels, type Result } from '../../shared/api';
import type { Backend } from '../rpc/boot';

/** Only our own window's top frame, showing our own page, may call the backend. */
export const isTrustedSender = (frame: WebFrameMain | null, window: BrowserWindow, appOrigin: string): boolean => {
  if (!frame || frame !== window.webContents.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === 'file:' ? appOrigin === 'file://' : url.origin === appOrigin;
  } catch {
    return false;
  }
};

/** The IPC adapter: one channel in (validated by the router), one channel out (events). */
export const connectIpc = (backend: Backend, window: BrowserWindow, appOrigin: string): (() => void) => {
  ipcMain.handle(
    ipcChannels.invoke,
    async (event: IpcMainInvokeEvent, method: unknown, request: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame, window, appOrigin)) {
        return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame' } };
      }
      return backend.router.handle(String(method), request, { transport: 'ipc' });
    },
  );
  const unsubscribe = backend.services.bus.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(ipcChannels.event, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(ipcChannels.invoke);
  };
};
