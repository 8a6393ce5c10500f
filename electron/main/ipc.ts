import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { isTrustedSender } from './trusted-sender';
import { ipcChannels, type Result } from '../../shared/api';
import type { Backend } from '../rpc/boot';

export interface IpcAdapter {
  /** Serve a window (the main one, a detached reader) until it closes: its calls are trusted, it gets every event. */
  attach(window: BrowserWindow): void;
  close(): void;
}

/** The IPC adapter: one channel in (validated by the router), one channel out (events), for every app window. */
export const connectIpc = (backend: Backend, appOrigin: string): IpcAdapter => {
  const windows = new Set<BrowserWindow>();
  ipcMain.handle(
    ipcChannels.invoke,
    async (event: IpcMainInvokeEvent, method: unknown, request: unknown): Promise<Result<unknown>> => {
      const trusted = [...windows].some((w) => !w.isDestroyed() && isTrustedSender(event.senderFrame, w, appOrigin));
      if (!trusted) return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame' } };
      return backend.router.handle(String(method), request, { transport: 'ipc' });
    },
  );
  const unsubscribe = backend.services.bus.subscribe((name, payload) => {
    for (const w of windows) if (!w.isDestroyed()) w.webContents.send(ipcChannels.event, name, payload);
  });
  return {
    attach(window) {
      windows.add(window);
      window.on('closed', () => windows.delete(window));
    },
    close() {
      unsubscribe();
      ipcMain.removeHandler(ipcChannels.invoke);
    },
  };
};
