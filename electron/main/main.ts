import { app, BrowserWindow, dialog } from 'electron';
import { bootBackend, type Backend } from '../rpc/boot';
import { electronHost } from './host';
import { connectIpc } from './ipc';
import { appUrl, createMainWindow } from './window';

// Thin shell: open the backend on the workspace (the demo on first start), its window (and reader windows), IPC.
let backend: Backend | null = null;
let window: BrowserWindow | null = null;
let disconnect = (): void => undefined;

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
  const ipc = connectIpc(backend, appUrl().origin);
  disconnect = () => ipc.close();
  // detached reader windows (window.open of the app's #/reader route) are served like the main one
  window = createMainWindow((reader) => ipc.attach(reader));
  ipc.attach(window);
  window.on('closed', () => {
    window = null;
  });
});

app.on('window-all-closed', () => {
  disconnect();
  void backend?.close().finally(() => app.quit());
});
