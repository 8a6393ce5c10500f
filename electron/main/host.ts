import { app, dialog, Notification, safeStorage, type BrowserWindow } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host, SecretStore } from '../services/host';

/** Secrets encrypted with the OS keychain (safeStorage) in one file under userData. */
const keychainSecrets = (): SecretStore => {
  const file = join(app.getPath('userData'), 'secrets.bin');
  const load = (): Record<string, string> => {
    if (!existsSync(file) || !safeStorage.isEncryptionAvailable()) return {};
    return JSON.parse(safeStorage.decryptString(readFileSync(file))) as Record<string, string>;
  };
  const save = async (values: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, safeStorage.encryptString(JSON.stringify(values)), { mode: 0o600 });
    await rename(tmp, file);
  };
  return {
    persistent: safeStorage.isEncryptionAvailable(),
    get: async (key) => load()[key] ?? null,
    async set(key, value) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('The OS keychain is not available');
      await save({ ...load(), [key]: value });
    },
    async delete(key) {
      const values = load();
      delete values[key];
      await save(values);
    },
  };
};

export const electronHost = (window: () => BrowserWindow | null): Host => ({
  kind: 'electron',
  appDataDir: () => app.getPath('userData'),
  async pickPaths(options) {
    const win = window();
    const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = [
      options.directory ? 'openDirectory' : 'openFile',
      ...(options.multiple ? (['multiSelections'] as const) : []),
    ];
    const opts = { title: options.title, properties, filters: options.filters };
    const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return result.canceled ? null : result.filePaths;
  },
  secrets: keychainSecrets(),
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
});
