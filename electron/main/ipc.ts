import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { isTrustedSender } from './trusted-sender';
import { ipcChannels, type Result } from '../../shared/api';
import type { Backend } from '../rpc/boot';

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
