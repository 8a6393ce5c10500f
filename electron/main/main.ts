import { app, BrowserWindow, dialog } from 'electron';
import { bootBackend, type Backend } from '../rpc/boot';
import { electronHost } from './host';
import { connectIpc } from './ipc';
import { appUrl, createMainWindow } from './window';

// Thin shell: open the backend on the workspace (the demo on first start), one window, the IPC adapter.
let backend: Backend | null = null;
let window: BrowserWindow | null = null;

const workspaceArg = (): string | undefined => {
  const i = process.argv.indexOf('--workspace');
  return i >= 0 ? process.argv[i + 1] : undefined;
};

app.enableSandbox();

app.whenReady().then(async () => {
  try {
    backend = await bootBackend({
      host: electronHost(() => window),
      version: app.getVersion(),
      workspaceDir: workspaceArg(),
    });
  } catch (error) {
    dialog.showErrorBox('Valley could not open its workspace', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  window = createMainWindow();
  const disconnect = connectIpc(backend, window, appUrl().origin);
  window.on('closed', () => {
    disconnect();
    window = null;
  });
});

app.on('window-all-closed', () => {
  void backend?.close().finally(() => app.quit());
});
